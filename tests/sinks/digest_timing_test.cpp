// Time-aware delivery in the digest batcher, on a fake clock: digests at a local time of day,
// quiet hours and snoozes hold notifications and send them as one digest when they end.
#include <gtest/gtest.h>

#include "sinks/digest_batcher.h"
#include "sinks/memory_digest_store.h"
#include "sinks/notification_codec.h"
#include "tests/sinks/notification_fixture.h"
#include "tests/sinks/recording_sink.h"
#include "tests/support/fake_clock.h"

namespace fmn::sinks {
namespace {

using namespace std::chrono_literals;
using test::FakeClock;
using testing::make_notification;
using testing::MessageSpec;
using testing::RecordingSink;

// The fake clock starts at 2024-05-01 12:00 UTC: 14:00 in Prague (CEST, UTC+2).
constexpr const char* kPrague = "Europe/Prague";

std::shared_ptr<const DeliveryWindow> window(int16_t quiet_from = -1, int16_t quiet_to = -1,
                                             int64_t snoozed_until = 0) {
  return std::make_shared<const DeliveryWindow>(
      DeliveryWindow{kPrague, quiet_from, quiet_to, snoozed_until});
}

struct Fixture {
  explicit Fixture(DigestPolicy policy) : policy(std::move(policy)), store(48h, clock) {}
  void deliver(int i) {
    MessageSpec spec;
    spec.msg_id = "2024-timed-" + std::to_string(i);
    spec.subtitle = "item " + std::to_string(i);
    Notification n = make_notification(spec, DestinationKind::kEmail, "petr@example.org");
    n.set_names("petr", n.rule_name(), n.address());
    n.digest = policy;
    batcher.deliver(std::vector{n});
  }
  // Moves the clock to `hh:mm` UTC, `days` after the start, and ticks.
  void tick_at(int days, int hour, int minute = 0) {
    const auto target = std::chrono::hours(24 * days + hour - 12) + std::chrono::minutes(minute);
    clock.advance(target - (clock.steady() - start));
    batcher.tick();
  }
  DigestPolicy policy;
  FakeClock clock;
  Clock::time_point start = clock.steady();
  RecordingSink sink;
  MemoryDigestStore store;
  DigestBatcher batcher{sink, store, {}, clock};
};

TEST(DigestTiming, ADailyDigestGoesAtItsLocalTimeOfDay) {
  Fixture f(DigestPolicy{0s, 0, 8 * 60, window()});
  f.deliver(1);
  f.tick_at(0, 20);
  f.deliver(2);
  f.tick_at(1, 5, 59);  // 07:59 in Prague
  EXPECT_TRUE(f.sink.digests.empty());
  f.tick_at(1, 6);  // 08:00 in Prague
  ASSERT_EQ(f.sink.digests.size(), 1u);
  EXPECT_EQ(f.sink.digests[0].items.size(), 2u);
  EXPECT_TRUE(f.sink.single.empty());
  // The next item waits for the next morning, not 24 hours after it arrived.
  f.tick_at(1, 7);
  f.deliver(3);
  f.tick_at(2, 5, 59);
  EXPECT_EQ(f.sink.digests.size(), 1u);
  f.tick_at(2, 6);
  ASSERT_EQ(f.sink.digests.size(), 2u);
  EXPECT_EQ(f.sink.digests[1].items.size(), 1u);
}

TEST(DigestTiming, EveryStaysADelayWithoutATimeOfDay) {
  Fixture f(DigestPolicy{24h, 0});
  f.deliver(1);  // 12:00 UTC
  f.tick_at(1, 11, 59);
  EXPECT_TRUE(f.sink.digests.empty());
  f.tick_at(1, 12);
  EXPECT_EQ(f.sink.digests.size(), 1u);
}

TEST(DigestTiming, QuietHoursHoldNotificationsAndSendThemAsOneDigest) {
  Fixture f(DigestPolicy{0s, 0, -1, window(22 * 60, 7 * 60)});
  f.deliver(1);  // 14:00 local: at once
  EXPECT_EQ(f.sink.single.size(), 1u);
  f.tick_at(0, 21, 30);  // 23:30 local
  f.deliver(2);
  f.tick_at(1, 1);
  f.deliver(3);
  f.tick_at(1, 4, 59);  // 06:59 local
  EXPECT_EQ(f.sink.single.size(), 1u);
  EXPECT_TRUE(f.sink.digests.empty());
  f.tick_at(1, 5);  // 07:00 local: quiet hours are over
  ASSERT_EQ(f.sink.digests.size(), 1u);
  EXPECT_EQ(f.sink.digests[0].items.size(), 2u);
  f.deliver(4);
  EXPECT_EQ(f.sink.single.size(), 2u);  // at once again
}

TEST(DigestTiming, ACountReachedInQuietHoursWaitsForTheirEnd) {
  Fixture f(DigestPolicy{0s, 2, -1, window(22 * 60, 7 * 60)});
  f.tick_at(0, 21, 30);
  f.deliver(1);
  f.deliver(2);
  f.deliver(3);
  EXPECT_TRUE(f.sink.digests.empty());
  f.tick_at(1, 5);
  ASSERT_EQ(f.sink.digests.size(), 1u);
  EXPECT_EQ(f.sink.digests[0].items.size(), 3u);
}

TEST(DigestTiming, AnItemInQuietHoursHoldsADigestThatWouldHaveGoneDuringThem) {
  Fixture f(DigestPolicy{1h, 0, -1, window(22 * 60, 7 * 60)});
  f.tick_at(0, 19, 30);  // 21:30 local: the digest would go at 22:30
  f.deliver(1);
  f.tick_at(0, 20, 10);  // 22:10 local
  f.deliver(2);
  f.tick_at(0, 20, 30);
  EXPECT_TRUE(f.sink.digests.empty());
  f.tick_at(1, 5);
  ASSERT_EQ(f.sink.digests.size(), 1u);
  EXPECT_EQ(f.sink.digests[0].items.size(), 2u);
}

TEST(DigestTiming, ASnoozeHoldsEverythingUntilItEnds) {
  const int64_t two_pm_utc = 1714564800 + 2 * 3600;
  Fixture f(DigestPolicy{0s, 0, -1, window(-1, -1, two_pm_utc)});
  f.deliver(1);
  f.deliver(2);
  f.tick_at(0, 13, 59);
  EXPECT_TRUE(f.sink.single.empty());
  EXPECT_TRUE(f.sink.digests.empty());
  f.tick_at(0, 14);
  ASSERT_EQ(f.sink.digests.size(), 1u);
  EXPECT_EQ(f.sink.digests[0].items.size(), 2u);
  f.deliver(3);
  EXPECT_EQ(f.sink.single.size(), 1u);
}

TEST(DigestTiming, PendingDigestsAreListedAndAFlushMakesThemDueNow) {
  Fixture f(DigestPolicy{0s, 0, 8 * 60, window()});
  f.deliver(1);
  f.deliver(2);
  auto pending = f.store.pending();
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].items, 2u);
  EXPECT_EQ((*pending)[0].due_ms, (1714564800 + 18 * 3600) * int64_t{1000});  // 08:00 local
  EXPECT_TRUE(DigestBatcher::key_of_user((*pending)[0].key, "petr"));
  EXPECT_FALSE(DigestBatcher::key_of_user((*pending)[0].key, "pet"));
  ASSERT_TRUE(f.store.expedite((*pending)[0].key, 0).value());
  f.batcher.tick();
  ASSERT_EQ(f.sink.digests.size(), 1u);
  EXPECT_TRUE(f.store.pending()->empty());
  EXPECT_FALSE(f.store.expedite((*pending)[0].key, 0).value());
}

TEST(DigestTiming, TheCodecKeepsTheTimeOfDayAndTheWindow) {
  MessageSpec spec;
  Notification n = make_notification(spec, DestinationKind::kEmail, "petr@example.org");
  n.digest = DigestPolicy{0s, 3, 8 * 60, window(22 * 60, 7 * 60, 1714600000)};
  std::string bytes;
  encode_notification(n, bytes);
  auto back = decode_notification(bytes);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->digest.at, 8 * 60);
  EXPECT_EQ(back->digest.count, 3u);
  ASSERT_NE(back->digest.window, nullptr);
  EXPECT_EQ(*back->digest.window, *n.digest.window);
}

}  // namespace
}  // namespace fmn::sinks
