// /confirm: the link a new destination's confirmation request carries
// (sinks/confirmation.h: "?user=..&kind=..&address=..&code=..&action=accept|reject").
//
// GET shows a form that POSTs the same URL (a mail scanner following links answers nothing);
// POST checks the code in constant time and its expiry (prefs/confirmation.h) and marks the
// destination confirmed, or rejected. No session is needed: the code is the proof. Unknown
// destination or wrong code: 404; expired: 410.
// REQUIRES: for POST, the caller gives the call exclusive use of `store`.
#pragma once

#include <cstdint>

#include "prefs/preference_store.h"
#include "web/http_message.h"

namespace fmn::web {

HttpResponse confirm_page(prefs::PreferenceStore& store, const HttpRequest& request,
                          int64_t now_unix);

}  // namespace fmn::web
