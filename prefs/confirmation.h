// Destination confirmation: a new address or nick receives only a confirmation message until
// its owner sends the code back.
//
// start_confirmation() puts a destination in the pending state with a fresh random code valid
// for `validity`; confirm() checks a code (constant time) and expiry. Thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "prefs/model.h"

namespace fmn::prefs {

// `chars` random letters and digits from the OS's CSPRNG (codes, SSE feed tokens).
std::string random_token(size_t chars);

void start_confirmation(Destination& destination, int64_t now_unix,
                        std::chrono::seconds validity = std::chrono::hours(24));

enum class ConfirmOutcome { kConfirmed, kWrongCode, kExpired, kNotPending };
ConfirmOutcome confirm(Destination& destination, std::string_view code, int64_t now_unix);

}  // namespace fmn::prefs
