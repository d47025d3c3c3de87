// /unsubscribe: the signed link in every notification (sinks/unsubscribe_link.h).
//
// GET shows what the link stops and a button that POSTs the same URL, so that a mail scanner
// following links changes nothing. POST (the button, or an RFC 8058 one-click POST with the
// body "List-Unsubscribe=One-Click") removes the named rule's deliveries to that destination
// (with no rule named: every rule's) from the user's preferences and says so; it needs no
// session, the signature is the proof. A link whose signature does not match its values
// (forged, altered, or signed with another key) is answered 403 and changes nothing.
// REQUIRES: for POST, the caller gives the call exclusive use of `store`.
#pragma once

#include <string_view>

#include "prefs/preference_store.h"
#include "web/http_message.h"

namespace fmn::web {

HttpResponse unsubscribe_page(std::string_view secret, prefs::PreferenceStore& store,
                              const HttpRequest& request);

}  // namespace fmn::web
