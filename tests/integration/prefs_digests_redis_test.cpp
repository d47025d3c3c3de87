// `fmn-prefs digests USER [--flush]` against a real Redis holding a digest batcher's pending
// digests, as the running service keeps them: the listing shows each of the user's digests
// (and no one else's), and --flush makes the batcher send them on its next tick.
#include <gtest/gtest.h>

#include "sinks/digest_batcher.h"
#include "sinks/digest_store_factory.h"
#include "sinks/redis_digest_store.h"
#include "tests/sinks/notification_fixture.h"
#include "tests/sinks/recording_sink.h"
#include "tests/support/command_output.h"
#include "tests/support/fake_clock.h"
#include "tests/support/redis_config.h"
#include "tests/support/redis_server.h"

namespace fmn::sinks {
namespace {

using namespace std::chrono_literals;
using testing::make_notification;
using testing::MessageSpec;

Notification for_user(const std::string& user, int i, DigestPolicy policy) {
  MessageSpec spec;
  spec.msg_id = "2024-" + user + "-" + std::to_string(i);
  spec.subtitle = "item " + std::to_string(i);
  Notification n = make_notification(spec, DestinationKind::kEmail, user + "@example.org");
  n.set_names(user, n.rule_name(), n.address());
  n.digest = std::move(policy);
  return n;
}

TEST(PrefsDigests, ListsAUsersPendingDigestsAndFlushHasTheServiceSendThem) {
  auto redis = test::RedisServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  auto store = RedisDigestStore::connect(
      kind_digest_redis(test::redis_config(*redis), DestinationKind::kEmail));
  ASSERT_TRUE(store.ok()) << store.error().message;
  test::FakeClock clock;  // 2024-05-01 12:00 UTC
  testing::RecordingSink sink;
  DigestBatcher batcher(sink, **store, {}, clock);

  const DigestPolicy morning{
      0s, 0, 8 * 60, std::make_shared<const DeliveryWindow>(DeliveryWindow{"Europe/Prague"})};
  batcher.deliver(std::vector{for_user("petr", 1, morning), for_user("petr", 2, morning),
                              for_user("petr", 3, morning),
                              for_user("alice", 1, DigestPolicy{1h, 0})});
  const std::string digests = std::string(FMN_BIN_DIR) + "/fmn-prefs digests --redis " +
                              redis->host() + ":" + std::to_string(redis->port()) + " ";

  std::string listed = test::command_output(digests + "petr");
  EXPECT_NE(listed.find("email petr@example.org: 3 notifications, due 2024-05-02T06:00:00Z\n"),
            std::string::npos)
      << listed;
  EXPECT_EQ(listed.find("alice"), std::string::npos) << listed;

  batcher.tick();
  EXPECT_TRUE(sink.digests.empty()) << "not due before 08:00 in Prague";
  std::string flushed = test::command_output(digests + "petr --flush");
  EXPECT_NE(flushed.find("flushed 1 digest: the service sends it on its next tick"),
            std::string::npos)
      << flushed;
  batcher.tick();
  ASSERT_EQ(sink.digests.size(), 1u);
  EXPECT_EQ(sink.digests[0].items.size(), 3u);
  EXPECT_EQ(sink.digests[0].items[0].user(), "petr");

  EXPECT_EQ(test::command_output(digests + "petr"), "no pending digests for petr\n");
  EXPECT_NE(test::command_output(digests + "alice")
                .find("email alice@example.org: 1 notification, due 2024-05-01T13:00:00Z\n"),
            std::string::npos);
}

TEST(PrefsDigests, AHeldItemMovesItsDigestsDueTimeInRedisOnlyLater) {
  auto redis = test::RedisServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  auto store = RedisDigestStore::connect(test::redis_config(*redis));
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto due = [&] {
    auto pending = (*store)->pending();
    EXPECT_TRUE(pending.ok() && pending->size() == 1u);
    return pending.ok() && !pending->empty() ? (*pending)[0].due_ms : -1;
  };
  ASSERT_EQ((*store)->add("email:petr:p@example.org", "a", "1", 5000, 1000).value(), 1u);
  EXPECT_EQ(due(), 5000);  // the first item sets the due time
  ASSERT_EQ((*store)->add("email:petr:p@example.org", "b", "2", 6000, 9000).value(), 2u);
  EXPECT_EQ(due(), 9000);  // held until quiet hours end
  ASSERT_EQ((*store)->add("email:petr:p@example.org", "c", "3", 7000, 2000).value(), 3u);
  EXPECT_EQ(due(), 9000);  // never earlier
}

}  // namespace
}  // namespace fmn::sinks
