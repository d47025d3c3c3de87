#include "prefs/confirmation.h"

#include <random>

namespace fmn::prefs {

std::string random_token(size_t chars) {
  static constexpr char kAlphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";  // no look-alikes
  std::random_device random;                                               // the OS's CSPRNG
  std::string token;
  while (token.size() < chars) token += kAlphabet[random() % (sizeof kAlphabet - 1)];
  return token;
}

void start_confirmation(Destination& destination, int64_t now_unix, std::chrono::seconds validity) {
  destination.confirmation = {ConfirmationState::kPending, random_token(16),
                              now_unix + validity.count()};
}

ConfirmOutcome confirm(Destination& destination, std::string_view code, int64_t now_unix) {
  auto& c = destination.confirmation;
  if (c.state != ConfirmationState::kPending) return ConfirmOutcome::kNotPending;
  if (now_unix > c.expires_at) return ConfirmOutcome::kExpired;
  unsigned char diff = code.size() != c.code.size();
  for (size_t i = 0; i < c.code.size(); ++i) {
    diff |= static_cast<unsigned char>(c.code[i] ^ (i < code.size() ? code[i] : 0));
  }
  if (diff != 0) return ConfirmOutcome::kWrongCode;
  c = {};
  return ConfirmOutcome::kConfirmed;
}

}  // namespace fmn::prefs
