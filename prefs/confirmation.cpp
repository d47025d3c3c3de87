#include "prefs/confirmation.h"

#include <random>

#include "core/destination_address.h"

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

AnswerOutcome apply_answer(PreferenceStore& store, const ConfirmationReply& reply,
                           int64_t now_unix) {
  auto loaded = store.load_user(reply.user);
  if (!loaded) return AnswerOutcome::kUnavailable;
  if (!loaded->has_value()) return AnswerOutcome::kUnknownOrWrongCode;
  Destination* destination = nullptr;
  for (Destination& d : (*loaded)->destinations) {
    if (d.kind != reply.kind) continue;
    if (reply.kind == DestinationKind::kIrc ? same_irc_nick(d.address, reply.address)
                                            : d.address == reply.address) {
      destination = &d;
    }
  }
  if (destination == nullptr) return AnswerOutcome::kUnknownOrWrongCode;
  // The code is checked on a copy, so that a refusal can be recorded as such.
  Destination checked = *destination;
  switch (confirm(checked, reply.code, now_unix)) {
    case ConfirmOutcome::kConfirmed:
      break;
    case ConfirmOutcome::kExpired:
      return AnswerOutcome::kExpired;
    case ConfirmOutcome::kWrongCode:
    case ConfirmOutcome::kNotPending:
      return AnswerOutcome::kUnknownOrWrongCode;
  }
  destination->confirmation = checked.confirmation;
  if (!reply.accept) destination->confirmation.state = ConfirmationState::kRejected;
  if (!store.put_user(**loaded)) return AnswerOutcome::kUnavailable;
  return reply.accept ? AnswerOutcome::kAccepted : AnswerOutcome::kRefused;
}

}  // namespace fmn::prefs
