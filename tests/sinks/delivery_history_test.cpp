// The in-memory delivery history: newest first, bounded per user and in users, paged, and a
// record's JSON form round-trips.
#include <gtest/gtest.h>

#include "sinks/delivery_record_json.h"
#include "sinks/memory_delivery_history.h"
#include "tests/sinks/delivery_record_fixture.h"

namespace fmn::sinks {
namespace {

using testing::numbered_record;

std::vector<std::string> msg_ids(const Result<std::vector<DeliveryRecord>>& records) {
  EXPECT_TRUE(records.ok());
  std::vector<std::string> out;
  if (records.ok()) {
    for (const DeliveryRecord& r : records.value()) out.push_back(r.msg_id);
  }
  return out;
}

TEST(MemoryDeliveryHistory, KeepsEachUsersNewestRecordsNewestFirst) {
  MemoryDeliveryHistory history({.per_user = 3});
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(history.append({numbered_record("alice", i)}).ok());
  ASSERT_TRUE(history.append({numbered_record("bob", 9)}).ok());
  auto alice = history.recent("alice", 0, 10);
  ASSERT_TRUE(alice.ok());
  EXPECT_EQ(msg_ids(alice), (std::vector<std::string>{"2024-5", "2024-4", "2024-3"}));
  EXPECT_EQ(msg_ids(history.recent("bob", 0, 10)), (std::vector<std::string>{"2024-9"}));
  EXPECT_TRUE(history.recent("carol", 0, 10)->empty());
}

TEST(MemoryDeliveryHistory, PagesByOffsetAndLimit) {
  MemoryDeliveryHistory history;
  std::vector<DeliveryRecord> batch;
  for (int i = 1; i <= 5; ++i) batch.push_back(numbered_record("alice", i));
  ASSERT_TRUE(history.append(batch).ok());
  EXPECT_EQ(msg_ids(history.recent("alice", 1, 2)), (std::vector<std::string>{"2024-4", "2024-3"}));
  EXPECT_EQ(msg_ids(history.recent("alice", 4, 2)), (std::vector<std::string>{"2024-1"}));
  EXPECT_TRUE(history.recent("alice", 5, 2)->empty());
}

TEST(MemoryDeliveryHistory, ForgetsTheUserRecordedLeastRecentlyBeyondMaxUsers) {
  MemoryDeliveryHistory history({.max_users = 2});
  ASSERT_TRUE(history.append({numbered_record("alice", 1), numbered_record("bob", 2)}).ok());
  ASSERT_TRUE(history.append({numbered_record("alice", 3)}).ok());  // bob is now the oldest
  ASSERT_TRUE(history.append({numbered_record("carol", 4)}).ok());
  EXPECT_EQ(history.recent("alice", 0, 10)->size(), 2u);
  EXPECT_TRUE(history.recent("bob", 0, 10)->empty());
  EXPECT_EQ(history.recent("carol", 0, 10)->size(), 1u);
}

TEST(DeliveryRecordJson, RoundTripsEveryField) {
  DeliveryRecord r = numbered_record("alice", 7);
  r.topic = "org.fedoraproject.prod.bodhi.update.comment";
  r.subtitle = "a \"quoted\" subtitle\nwith a newline";
  r.status = DeliveryStatus::kFailed;
  r.detail = "refused (550): no such user";
  auto back = parse_delivery_record(delivery_record_json(r));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(delivery_record_json(*back), delivery_record_json(r));
  EXPECT_EQ(back->status, DeliveryStatus::kFailed);
  EXPECT_EQ(back->subtitle, r.subtitle);
}

TEST(DeliveryRecordJson, EveryStatusRoundTripsByName) {
  for (DeliveryStatus status :
       {DeliveryStatus::kSent, DeliveryStatus::kPendingDigest, DeliveryStatus::kFailed,
        DeliveryStatus::kDeadLettered, DeliveryStatus::kMuted}) {
    DeliveryRecord r = numbered_record("alice", 1);
    r.status = status;
    auto back = parse_delivery_record(delivery_record_json(r));
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->status, status) << delivery_status_name(status);
  }
  EXPECT_EQ(delivery_status_name(DeliveryStatus::kMuted), "muted");
}

TEST(DeliveryRecordJson, RefusesWhatIsNotARecord) {
  EXPECT_FALSE(parse_delivery_record("[]").ok());
  EXPECT_FALSE(parse_delivery_record("{\"status\":\"lost\"}").ok());
  EXPECT_FALSE(parse_delivery_record("not json").ok());
}

}  // namespace
}  // namespace fmn::sinks
