#include "prefs/delivery_outlook.h"

#include "core/clock.h"
#include "prefs/duration_text.h"

namespace fmn::prefs {
namespace {

std::string digest_text(const DigestPolicy& digest, const DeliveryWindow& window, WallTime from,
                        WallTime now) {
  std::string text = "held for a digest, ";
  if (digest.at >= 0) {
    text += "digest due at " +
            format_local(window.tz, next_time_of_day(window.tz, digest.at, from), now) +
            " (daily at " + format_time_of_day(digest.at) + ")";
  } else if (digest.every_seconds > 0) {
    text += "sent " + format_duration(digest.every_seconds) + " after its first notification";
  }
  if (digest.count > 0) {
    text += digest.at >= 0 || digest.every_seconds > 0 ? " or " : "sent ";
    text += "once " + std::to_string(digest.count) + " are waiting";
  }
  return text;
}

// Why a notification arriving at `now` would wait, with a trailing "; ", or nothing.
std::string hold_text(const DeliveryWindow& window, WallTime now) {
  const WallTime release = release_time(window, now);
  if (release <= now) return {};
  const WallTime snooze_end{std::chrono::seconds(window.snoozed_until)};
  std::string text = snooze_end > now ? "held: snoozed until " : "held: quiet hours until ";
  return text + format_local(window.tz, release, now) + ", then sent as one digest; ";
}

std::string destination_verdict(const User& user, const Destination& d, const Delivery& delivery,
                                WallTime now) {
  switch (d.confirmation.state) {
    case ConfirmationState::kPending:
      return "held: the destination awaits its confirmation and receives nothing else until then";
    case ConfirmationState::kRejected:
      return "not delivered: the destination was rejected";
    case ConfirmationState::kConfirmed:
      break;
  }
  const DeliveryWindow window = user.window_of(d);
  if (muted_at(window, now)) {
    const WallTime mute_end{std::chrono::seconds(window.muted_until)};
    return "not delivered: muted until " + format_local(window.tz, mute_end, now) +
           " (dropped, never sent)";
  }
  std::string held = hold_text(window, now);
  if (delivery.digest.immediate())
    return held.empty() ? "delivered at once" : held.substr(0, held.size() - 2);
  return held + digest_text(delivery.digest, window, std::max(now, release_time(window, now)), now);
}

}  // namespace

std::string describe_delivery(const User& user, size_t rule, WallTime now) {
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
           "): " + destination_verdict(user, *d, delivery, now) + "\n";
  }
  return out;
}

std::optional<WallTime> outlook_time(std::string_view text) {
  if (text.empty()) return SystemClock::instance().wall();
  auto seconds = parse_utc(text);
  if (!seconds) return std::nullopt;
  return WallTime(std::chrono::seconds(*seconds));
}

}  // namespace fmn::prefs
