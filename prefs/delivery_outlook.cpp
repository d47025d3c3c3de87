#include "prefs/delivery_outlook.h"

#include "prefs/duration_text.h"

namespace fmn::prefs {
namespace {

std::string digest_text(const DigestPolicy& digest) {
  std::string text = "held for a digest, sent ";
  if (digest.every_seconds > 0) {
    text += format_duration(digest.every_seconds) + " after its first notification";
  }
  if (digest.every_seconds > 0 && digest.count > 0) text += " or ";
  if (digest.count > 0) text += "once " + std::to_string(digest.count) + " are waiting";
  return text;
}

std::string destination_verdict(const Destination& d, const Delivery& delivery) {
  switch (d.confirmation.state) {
    case ConfirmationState::kPending:
      return "held: the destination awaits its confirmation and receives nothing else until then";
    case ConfirmationState::kRejected:
      return "not delivered: the destination was rejected";
    case ConfirmationState::kConfirmed:
      break;
  }
  return delivery.digest.immediate() ? "delivered at once" : digest_text(delivery.digest);
}

}  // namespace

std::string describe_delivery(const User& user, size_t rule) {
  const Rule& r = user.rules[rule];
  if (!user.enabled) return "  -> nothing: the user is disabled\n";
  if (!r.enabled) return "  -> nothing: the rule is disabled\n";
  if (r.deliveries.empty()) return "  -> nothing: the rule names no destination\n";
  std::string out;
  for (const Delivery& delivery : r.deliveries) {
    const Destination* d = user.find_destination(delivery.destination);
    out += "  -> " + delivery.destination;
    if (d == nullptr) {
      out += ": no such destination\n";
      continue;
    }
    out += " (" + std::string(destination_kind_name(d->kind)) + " " + d->address +
           "): " + destination_verdict(*d, delivery) + "\n";
  }
  return out;
}

}  // namespace fmn::prefs
