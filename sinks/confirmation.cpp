#include "sinks/confirmation.h"

#include "sinks/renderer.h"
#include "sinks/text_escape.h"
#include "sinks/unsubscribe_link.h"

namespace fmn::sinks {

std::string confirmation_form_page(std::string_view target, bool accept) {
  std::string page =
      "<!doctype html><html><head><meta charset=\"utf-8\"><title>Fedora notifications</title>"
      "</head><body><form method=\"post\" action=\"";
  append_html(page, target);
  page += accept ? "\"><p>Accept Fedora notifications at this address?</p>"
                   "<button type=\"submit\">Accept</button>"
                 : "\"><p>Refuse Fedora notifications at this address?</p>"
                   "<button type=\"submit\">Refuse</button>";
  page += "</form></body></html>\n";
  return page;
}

std::string confirmation_url(std::string_view base_url, const ConfirmationRequest& request,
                             bool accept) {
  std::string url(base_url);
  url += "/confirm?user=";
  append_url_encoded(url, request.user);
  url += "&kind=";
  url += destination_kind_name(request.kind);
  url += "&address=";
  append_url_encoded(url, request.address);
  url += "&code=";
  append_url_encoded(url, request.code);
  url += accept ? "&action=accept" : "&action=reject";
  return url;
}

}  // namespace fmn::sinks
