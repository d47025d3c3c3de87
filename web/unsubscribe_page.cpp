#include "web/unsubscribe_page.h"

#include "core/query_string.h"
#include "sinks/text_escape.h"
#include "sinks/unsubscribe_link.h"

namespace fmn::web {
namespace {

std::string page(std::string_view title, std::string_view body_html) {
  std::string out =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width\"><title>";
  sinks::append_html(out, title);
  out += "</title></head><body><main><h1>";
  sinks::append_html(out, title);
  out += "</h1>";
  out += body_html;
  out += "</main></body></html>\n";
  return out;
}

// What the link stops, in words.
std::string describe(const sinks::UnsubscribeTarget& t) {
  std::string out = "<p>";
  if (t.rule.empty()) {
    out += "Every rule of <b>";
  } else {
    out += "The rule <b>";
    sinks::append_html(out, t.rule);
    out += "</b> of <b>";
  }
  sinks::append_html(out, t.user);
  out += "</b> sending to ";
  sinks::append_html(out, t.kind);
  out += " <b>";
  sinks::append_html(out, t.address);
  out += "</b>.</p>";
  return out;
}

// Removes the deliveries the link names; false when the store refused the change.
bool remove_deliveries(prefs::PreferenceStore& store, const sinks::UnsubscribeTarget& t) {
  auto loaded = store.load_user(t.user);
  if (!loaded) return false;
  if (!loaded->has_value()) return true;  // nothing left to stop
  prefs::User& user = **loaded;
  bool changed = false;
  for (prefs::Rule& rule : user.rules) {
    if (!t.rule.empty() && rule.name != t.rule) continue;
    changed |= std::erase_if(rule.deliveries, [&](const prefs::Delivery& d) {
                 const prefs::Destination* to = user.find_destination(d.destination);
                 return to != nullptr && destination_kind_name(to->kind) == t.kind &&
                        to->address == t.address;
               }) > 0;
  }
  return !changed || store.put_user(user).ok();
}

}  // namespace

HttpResponse unsubscribe_page(std::string_view secret, prefs::PreferenceStore& store,
                              const HttpRequest& request) {
  const sinks::UnsubscribeTarget target{
      query_param(request.query, "user"), query_param(request.query, "rule"),
      query_param(request.query, "kind"), query_param(request.query, "address")};
  if (!sinks::verify_unsubscribe(secret, target, query_param(request.query, "sig"))) {
    return html_page(403, page("Invalid link",
                               "<p>This unsubscribe link is not valid: it was altered or "
                               "was not sent by this server.</p>"));
  }
  if (request.method == "GET") {
    std::string body = describe(target);
    body += "<form method=\"post\" action=\"/unsubscribe?";
    sinks::append_html(body, request.query);
    body += "\"><button type=\"submit\">Stop these notifications</button></form>";
    return html_page(200, page("Unsubscribe", body));
  }
  if (request.method != "POST") return html_page(405, page("Method not allowed", ""));
  if (!remove_deliveries(store, target)) {
    return html_page(
        503, page("Try again later", "<p>Your preferences could not be changed just now.</p>"));
  }
  return html_page(
      200, page("Unsubscribed", describe(target) + "<p>Nothing more will be sent there by this "
                                                   "rule.</p>"));
}

}  // namespace fmn::web
