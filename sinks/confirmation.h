// A confirmation request: a new email address or IRC nick gets a message with a code and
// links to accept or refuse, and nothing else until it is confirmed. The preferences store
// owns the state (pending with code and expiry / confirmed / rejected); sinks only word and
// send the request. The web app's /confirm page applies a followed link (web/confirm_page.h);
// a sink whose receiver answers through it (the webhook's echoed challenge, the IRC bot's
// "/msg <bot> confirm <user> <code>") hands the answer back through a ConfirmationHandler, which
// the service points at the same store path as the /confirm page (prefs::apply_answer).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/notification.h"

namespace fmn::sinks {

struct ConfirmationRequest {
  std::string user;
  DestinationKind kind = DestinationKind::kEmail;
  std::string address;  // the email address, nick or URL to confirm
  std::string code;     // the secret the answer must carry
  int64_t expires_unix = 0;
  // Kinds whose sink signs with the destination's secret (a webhook): that secret, so the
  // request can go out before the pipeline has read the new destination. Never logged or
  // shown; empty otherwise.
  std::string secret;
};

// The page a confirmation link opens: a form that POSTs the same URL, so a mail scanner that
// follows links does not answer for the user. `target` is the request's path and query.
std::string confirmation_form_page(std::string_view target, bool accept);

// The "<base>/confirm?user=..&kind=..&address=..&code=..&action=accept|reject" link.
std::string confirmation_url(std::string_view base_url, const ConfirmationRequest& request,
                             bool accept);

struct ConfirmationAnswer {
  std::string user, kind, address, code;  // the code is a secret: never log it
  bool accept = false;
};
// kDone: confirmed (accept) or rejected as asked; kUnavailable: the store could not be
// reached, nothing changed.
enum class ConfirmationOutcome { kDone, kUnknownOrWrongCode, kExpired, kUnavailable };
// Applies an answer to the preferences store. Called on the thread of the sink that got it; it
// may wait for the store (a round trip), so sinks call it only for answers they rate-limit.
using ConfirmationHandler = std::function<ConfirmationOutcome(const ConfirmationAnswer&)>;

}  // namespace fmn::sinks
