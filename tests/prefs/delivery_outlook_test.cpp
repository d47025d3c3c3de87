// What the explain tools say would become of a match: here, of a destination or user muted,
// snoozed, or both.
#include "prefs/delivery_outlook.h"

#include <gtest/gtest.h>

namespace fmn::prefs {
namespace {

constexpr int64_t k1800Utc = 1714586400;  // 2024-05-01T18:00:00Z, 20:00 in Prague

WallTime at(int64_t unix_seconds) { return WallTime(std::chrono::seconds(unix_seconds)); }

// petr, in Prague, with an email and an IRC destination and a rule delivering to both.
User petr() {
  User u;
  u.name = "petr";
  u.tz = "Europe/Prague";
  u.destinations = {{.name = "email", .kind = DestinationKind::kEmail, .address = "p@example.org"},
                    {.name = "irc", .kind = DestinationKind::kIrc, .address = "petr"}};
  Rule& r = u.rules.emplace_back();
  r.name = "all";
  r.deliveries = {{.destination = "email"}, {.destination = "irc"}};
  return u;
}

TEST(DeliveryOutlook, ADestinationsMuteSaysUntilWhenAndTouchesNoOther) {
  User u = petr();
  u.destinations[1].muted_until = k1800Utc;
  EXPECT_EQ(describe_delivery(u, 0, at(k1800Utc - 3600)),
            "  -> email (email p@example.org): delivered at once\n"
            "  -> irc (irc petr): not delivered: muted until 20:00 Europe/Prague (dropped, never "
            "sent)\n");
  // Over by itself at its instant.
  EXPECT_EQ(describe_delivery(u, 0, at(k1800Utc)),
            "  -> email (email p@example.org): delivered at once\n"
            "  -> irc (irc petr): delivered at once\n");
}

TEST(DeliveryOutlook, AUsersMuteCoversEveryDestinationAndWinsOverASnooze) {
  User u = petr();
  u.muted_until = k1800Utc;
  u.destinations[0].snoozed_until = k1800Utc + 7200;
  const std::string muted = "not delivered: muted until 20:00 Europe/Prague (dropped, never sent)";
  EXPECT_EQ(
      describe_delivery(u, 0, at(k1800Utc - 60)),
      "  -> email (email p@example.org): " + muted + "\n  -> irc (irc petr): " + muted + "\n");
  // The mute over, the snooze holds the email until it ends.
  EXPECT_EQ(describe_delivery(u, 0, at(k1800Utc)),
            "  -> email (email p@example.org): held: snoozed until 22:00 Europe/Prague, then "
            "sent as one digest\n"
            "  -> irc (irc petr): delivered at once\n");
}

}  // namespace
}  // namespace fmn::prefs
