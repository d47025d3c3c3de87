#include "web/confirm_page.h"

#include "core/query_string.h"
#include "prefs/confirmation.h"
#include "sinks/confirmation.h"

namespace fmn::web {

HttpResponse confirm_page(prefs::PreferenceStore& store, const HttpRequest& request,
                          int64_t now_unix) {
  const bool accept = query_param(request.query, "action") == "accept";
  if (request.method == "GET") {
    std::string target = request.path + "?" + request.query;
    return html_page(200, sinks::confirmation_form_page(target, accept));
  }
  if (request.method != "POST") return text_page(405, "Method not allowed.");
  DestinationKind kind{};
  if (!prefs::parse_destination_kind(query_param(request.query, "kind"), kind)) {
    return text_page(404, "No such confirmation request.");
  }
  const std::string user = query_param(request.query, "user");
  const std::string address = query_param(request.query, "address");
  const std::string code = query_param(request.query, "code");
  switch (prefs::apply_answer(store, {user, kind, address, code, accept}, now_unix)) {
    case prefs::AnswerOutcome::kAccepted:
      return text_page(200, "Confirmed: notifications will be sent here.");
    case prefs::AnswerOutcome::kRefused:
      return text_page(200, "Refused: nothing will be sent here.");
    case prefs::AnswerOutcome::kExpired:
      return text_page(410, "This confirmation request has expired.");
    case prefs::AnswerOutcome::kUnknownOrWrongCode:
      return text_page(404, "No such confirmation request.");
    case prefs::AnswerOutcome::kUnavailable:
      break;
  }
  return text_page(503, "Please try again later.");
}

}  // namespace fmn::web
