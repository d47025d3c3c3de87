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
  auto loaded = store.load_user(query_param(request.query, "user"));
  if (!loaded) return text_page(503, "Please try again later.");
  prefs::Destination* destination = nullptr;
  DestinationKind kind{};
  if (loaded->has_value() &&
      prefs::parse_destination_kind(query_param(request.query, "kind"), kind)) {
    const std::string address = query_param(request.query, "address");
    for (prefs::Destination& d : (*loaded)->destinations) {
      if (d.kind == kind && d.address == address) destination = &d;
    }
  }
  if (destination == nullptr) return text_page(404, "No such confirmation request.");
  // The code is checked on a copy, so that a refusal can be recorded as such.
  prefs::Destination checked = *destination;
  switch (prefs::confirm(checked, query_param(request.query, "code"), now_unix)) {
    case prefs::ConfirmOutcome::kConfirmed:
      break;
    case prefs::ConfirmOutcome::kExpired:
      return text_page(410, "This confirmation request has expired.");
    case prefs::ConfirmOutcome::kWrongCode:
    case prefs::ConfirmOutcome::kNotPending:
      return text_page(404, "No such confirmation request.");
  }
  destination->confirmation = checked.confirmation;
  if (!accept) destination->confirmation.state = prefs::ConfirmationState::kRejected;
  if (!store.put_user(**loaded)) return text_page(503, "Please try again later.");
  return text_page(200, accept ? "Confirmed: notifications will be sent here."
                               : "Refused: nothing will be sent here.");
}

}  // namespace fmn::web
