// Destination confirmation: a new address or nick receives only a confirmation message until
// its owner sends the code back.
//
// start_confirmation() puts a destination in the pending state with a fresh random code valid
// for `validity`; confirm() checks a code (constant time) and expiry. apply_answer() is the one
// path by which an owner's answer reaches the store, whether it came through the /confirm link
// (web/confirm_page.h) or through a sink (the IRC bot's /msg, the webhook's echoed challenge).
// Thread-safe, but apply_answer() needs exclusive use of its store.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "prefs/model.h"
#include "prefs/preference_store.h"

namespace fmn::prefs {

// `chars` random letters and digits from the OS's CSPRNG (codes, SSE feed tokens).
std::string random_token(size_t chars);

void start_confirmation(Destination& destination, int64_t now_unix,
                        std::chrono::seconds validity = std::chrono::hours(24));

enum class ConfirmOutcome { kConfirmed, kWrongCode, kExpired, kNotPending };
ConfirmOutcome confirm(Destination& destination, std::string_view code, int64_t now_unix);

// An owner's answer to a confirmation request. The code is a secret: never log it.
struct ConfirmationReply {
  std::string_view user;
  DestinationKind kind = DestinationKind::kEmail;
  std::string_view address;  // IRC nicks match under the servers' case-mapping
  std::string_view code;
  bool accept = false;
};
enum class AnswerOutcome { kAccepted, kRefused, kUnknownOrWrongCode, kExpired, kUnavailable };

// Finds the user's pending destination of that kind and address, checks the code and expiry,
// and records it confirmed (accept) or rejected. A wrong code, an expired one or no such
// destination changes nothing; kUnavailable: the store could not be read or written.
AnswerOutcome apply_answer(PreferenceStore& store, const ConfirmationReply& reply,
                           int64_t now_unix);

}  // namespace fmn::prefs
