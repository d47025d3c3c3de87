// What the delivery history hears from a destination kind's chain (recorded sink -> digest
// batcher -> recorded sink -> sink): sent, failed with the reason the sink gave up, held for a
// digest and then sent in it; and the recorder drops rather than blocks when its queue is full.
#include "pipeline/recorded_sink.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "core/bounded_id.h"
#include "sinks/digest_batcher.h"
#include "sinks/memory_delivery_history.h"
#include "sinks/memory_digest_store.h"
#include "sinks/renderer.h"
#include "tests/sinks/notification_fixture.h"
#include "tests/sinks/recording_sink.h"

namespace fmn::pipeline {
namespace {

using sinks::DeliveryStatus;
using sinks::testing::make_notification;
using sinks::testing::MessageSpec;

constexpr char kRefused[] = "nobody@example.org";

// Delivers everything but mail to kRefused, which it gives up as refused, as the email sink
// does.
class RefusingSink : public sinks::testing::RecordingSink {
 public:
  void deliver_confirmed(std::span<const Notification> batch,
                         std::span<sinks::NotificationSettled> settled) override {
    for (size_t i = 0; i < batch.size(); ++i) {
      if (batch[i].address() == kRefused) {
        settled[i].give_up("refused (550): no such user");
      } else {
        settled[i]();
      }
    }
  }
};

// Gives up everything queued for kRefused at once, as the IRC sink does for a nick that is not
// on the server.
class GivingUpSink : public sinks::testing::RecordingSink {
 public:
  void deliver_confirmed(std::span<const Notification> batch,
                         std::span<sinks::NotificationSettled> settled) override {
    for (size_t i = 0; i < batch.size(); ++i) {
      if (batch[i].address() == kRefused) {
        settled[i].give_up("irc: not on the server");
      } else {
        settled[i]();
      }
    }
  }
};

struct Chain {
  std::shared_ptr<sinks::MemoryDeliveryHistory> history =
      std::make_shared<sinks::MemoryDeliveryHistory>();
  HistoryRecorder recorder{history};
  RefusingSink sink;
  RecordedSink outcomes{sink, RecordedSink::Records::kOutcomes, recorder};
  sinks::MemoryDigestStore store;
  sinks::DigestBatcher batcher{outcomes, store, {}, SystemClock::instance(), {}};
  RecordedSink front{batcher, RecordedSink::Records::kHeldForDigest, recorder};

  void deliver(std::vector<Notification> batch) {
    std::vector<sinks::NotificationSettled> settled(batch.size(), [] {});
    front.deliver_confirmed(batch, settled);
  }
  std::vector<sinks::DeliveryRecord> records() {  // oldest first
    recorder.stop();
    auto recent = history->recent("bowlofeggs", 0, 100);
    EXPECT_TRUE(recent.ok());
    return {recent->rbegin(), recent->rend()};
  }
};

Notification numbered(int i, std::string address = "bowlofeggs@example.org") {
  MessageSpec spec;
  spec.msg_id = "2024-item-" + std::to_string(i);
  spec.subtitle = "item " + std::to_string(i);
  return make_notification(spec, DestinationKind::kEmail, std::move(address));
}

TEST(RecordedSink, RecordsSentAndFailedWithTheSinksReason) {
  Chain chain;
  chain.deliver({numbered(1), numbered(2, kRefused), numbered(3)});
  const auto records = chain.records();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].status, DeliveryStatus::kSent);
  EXPECT_EQ(records[0].msg_id, "2024-item-1");
  EXPECT_EQ(records[0].subtitle, "item 1");
  EXPECT_EQ(records[0].rule, "my updates");
  EXPECT_EQ(records[0].kind, "email");
  EXPECT_EQ(records[0].address, "bowlofeggs@example.org");
  EXPECT_GT(records[0].at_ms, 0);
  EXPECT_EQ(records[1].status, DeliveryStatus::kFailed);
  EXPECT_EQ(records[1].detail, "refused (550): no such user");
  EXPECT_EQ(records[2].status, DeliveryStatus::kSent);
  EXPECT_EQ(records[2].detail, "");
}

TEST(RecordedSink, EachNotificationGivenUpIsMarkedFailedWithItsReason) {
  auto history = std::make_shared<sinks::MemoryDeliveryHistory>();
  HistoryRecorder recorder(history);
  GivingUpSink sink;
  RecordedSink recorded(sink, RecordedSink::Records::kOutcomes, recorder);
  const std::vector<Notification> queued{numbered(1, kRefused), numbered(2, kRefused)};
  const std::vector<Notification> more{numbered(3, kRefused)};
  const std::vector<Notification> elsewhere{numbered(4)};
  recorded.deliver(queued);
  recorded.deliver(more);
  recorded.deliver(elsewhere);  // another address: delivered
  recorder.stop();
  auto records = history->recent("bowlofeggs", 0, 10);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 4u);
  EXPECT_EQ((*records)[0].status, DeliveryStatus::kSent);  // newest first
  for (size_t i = 1; i < 4; ++i) {
    EXPECT_EQ((*records)[i].status, DeliveryStatus::kFailed) << i;
    EXPECT_EQ((*records)[i].detail, "irc: not on the server");
  }
}

TEST(RecordedSink, RecordsDigestItemsPendingThenSentWhenTheDigestGoesOut) {
  Chain chain;
  Notification first = numbered(1), second = numbered(2);
  first.digest = second.digest = DigestPolicy{std::chrono::seconds(0), 2};  // every 2 items
  chain.deliver({first});
  chain.deliver({second});
  const auto records = chain.records();
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].status, DeliveryStatus::kPendingDigest);
  EXPECT_EQ(records[0].msg_id, "2024-item-1");
  EXPECT_EQ(records[1].status, DeliveryStatus::kPendingDigest);
  EXPECT_EQ(records[2].status, DeliveryStatus::kSent);
  EXPECT_EQ(records[2].msg_id, "2024-item-1");
  EXPECT_EQ(records[3].status, DeliveryStatus::kSent);
  EXPECT_EQ(records[3].msg_id, "2024-item-2");
  ASSERT_EQ(chain.sink.digests.size(), 1u);
}

// Sends each item of a digest on its own, as the webhook sink does.
class RequestPerItemSink : public RefusingSink {
 public:
  void deliver_digest(const sinks::Digest& digest,
                      std::span<sinks::NotificationSettled> settled) override {
    deliver_confirmed(digest.items, settled);
  }
};

TEST(RecordedSink, EachItemOfADigestIsRecordedWithItsOwnOutcome) {
  auto history = std::make_shared<sinks::MemoryDeliveryHistory>();
  HistoryRecorder recorder(history);
  RequestPerItemSink sink;
  RecordedSink recorded(sink, RecordedSink::Records::kOutcomes, recorder);
  sinks::Digest digest;
  digest.items = {numbered(1), numbered(2, kRefused)};
  std::vector<std::string> passed_on;
  std::vector<sinks::NotificationSettled> settled;
  for (int i = 0; i < 2; ++i) {
    settled.emplace_back([&](std::string_view failure) { passed_on.emplace_back(failure); });
  }
  recorded.deliver_digest(digest, settled);
  recorder.stop();
  EXPECT_EQ(passed_on, (std::vector<std::string>{"", "refused (550): no such user"}));
  auto records = history->recent("bowlofeggs", 0, 10);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].msg_id, "2024-item-2");  // newest first
  EXPECT_EQ((*records)[0].status, DeliveryStatus::kFailed);
  EXPECT_EQ((*records)[0].detail, "refused (550): no such user");
  EXPECT_EQ((*records)[1].status, DeliveryStatus::kSent);
}

// A history whose writes wait until the test opens the gate.
class GatedHistory : public sinks::MemoryDeliveryHistory {
 public:
  Result<bool> append(const std::vector<sinks::DeliveryRecord>& records) override {
    std::unique_lock lock(mu_);
    entered_ = true;
    changed_.notify_all();
    changed_.wait(lock, [&] { return open_; });
    lock.unlock();
    return MemoryDeliveryHistory::append(records);
  }
  void wait_until_writing() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return entered_; });
  }
  void open() {
    std::lock_guard lock(mu_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  bool entered_ = false, open_ = false;
};

// Notes, in order, what happens to a delivery on the chain's thread: "marked" when the batcher
// marks it delivered (the mark that stops a resend after a crash), "recorded" when the history
// recorder takes its record (it stamps each with its clock's wall time as it takes it).
class Steps {
 public:
  void note(std::string step) {
    std::lock_guard lock(mu_);
    steps_.push_back(std::move(step));
  }
  std::vector<std::string> steps() {
    std::lock_guard lock(mu_);
    return steps_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> steps_;
};

class NotingStore : public sinks::MemoryDigestStore {
 public:
  explicit NotingStore(Steps& steps) : steps_(steps) {}
  Result<bool> mark_once(std::string_view id) override {
    steps_.note("marked");
    return MemoryDigestStore::mark_once(id);
  }
  Result<bool> done(std::string_view key) override {
    steps_.note("digest done");
    return MemoryDigestStore::done(key);
  }

 private:
  Steps& steps_;
};

class NotingClock : public SystemClock {
 public:
  explicit NotingClock(Steps& steps) : steps_(steps) {}
  std::chrono::system_clock::time_point wall() const override {
    steps_.note("recorded");
    return SystemClock::wall();
  }

 private:
  Steps& steps_;
};

// Once the destination accepted a notification (or it was given up), the mark comes first and
// the history's record after it, so nothing stands between the acceptance and the mark.
TEST(RecordedSink, ANotificationIsMarkedDeliveredBeforeItsRecordIsTaken) {
  Steps steps;
  NotingClock clock(steps);
  HistoryRecorder recorder(std::make_shared<sinks::MemoryDeliveryHistory>(), 10'000, clock);
  RefusingSink sink;
  RecordedSink outcomes{sink, RecordedSink::Records::kOutcomes, recorder};
  NotingStore store(steps);
  sinks::DigestBatcher batcher{outcomes, store, {}, SystemClock::instance(), {}};
  RecordedSink front{batcher, RecordedSink::Records::kHeldForDigest, recorder};

  std::vector<Notification> batch{numbered(1), numbered(2, kRefused)};
  std::vector<sinks::NotificationSettled> settled(batch.size(), [] {});
  front.deliver_confirmed(batch, settled);
  recorder.stop();
  EXPECT_EQ(steps.steps(), (std::vector<std::string>{"marked", "recorded", "marked", "recorded"}));
}

// A digest sent: the batcher's record of it (which stops it going out again after a crash)
// comes before any of its items' records, so nothing stands between the acceptance and it.
TEST(RecordedSink, ADigestIsRecordedDoneBeforeItsItemsRecordsAreTaken) {
  Steps steps;
  NotingClock clock(steps);
  auto history = std::make_shared<sinks::MemoryDeliveryHistory>();
  HistoryRecorder recorder(history, 10'000, clock);
  RefusingSink sink;
  RecordedSink outcomes{sink, RecordedSink::Records::kOutcomes, recorder};
  NotingStore store(steps);
  sinks::DigestBatcher batcher{outcomes, store, {}, SystemClock::instance(), {}};

  std::vector<Notification> batch{numbered(1), numbered(2), numbered(3)};
  for (Notification& n : batch) n.digest = DigestPolicy{std::chrono::seconds(0), 3};
  std::vector<sinks::NotificationSettled> settled(batch.size(), [] {});
  batcher.deliver_confirmed(batch, settled);
  recorder.stop();
  ASSERT_EQ(sink.digests.size(), 1u);
  EXPECT_EQ(steps.steps(),
            (std::vector<std::string>{"marked", "marked", "marked",  // held once
                                      "digest done", "recorded", "recorded", "recorded"}));
  const auto records = history->recent("bowlofeggs", 0, 10);
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(records->size(), 3u);
}

// A msg_id and a subtitle come from the bus with no length limit, and each recipient's history
// keeps a copy: a msg_id over 200 bytes is recorded by its SHA-256 form (core/bounded_id.h),
// the one the recent-message store finds it by too, and a subtitle cut as the renderer cuts it.
TEST(HistoryRecorder, RecordsAHugeMsgIdAndSubtitleInBoundedForms) {
  MessageSpec spec;
  spec.msg_id = std::string(1 << 20, 'h');
  spec.subtitle = std::string(1 << 20, 's');
  Chain chain;
  chain.deliver({make_notification(spec, DestinationKind::kEmail, "bowlofeggs@example.org")});
  const auto records = chain.records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].status, DeliveryStatus::kSent);
  EXPECT_EQ(records[0].msg_id, bounded_id(spec.msg_id));
  EXPECT_LE(records[0].msg_id.size(), kMaxPlainId);
  EXPECT_LE(records[0].subtitle.size(), sinks::kMaxFieldBytes);
  EXPECT_EQ(records[0].subtitle.substr(0, 100), spec.subtitle.substr(0, 100));
  EXPECT_TRUE(records[0].subtitle.ends_with("…"));
}

TEST(HistoryRecorder, DropsAndCountsRecordsBeyondItsQueueInsteadOfBlocking) {
  auto history = std::make_shared<GatedHistory>();
  HistoryRecorder recorder(history, /*capacity=*/2);
  sinks::DeliveryRecord r;
  r.user = "alice";
  recorder.record(r);  // taken by the writer, which then waits at the gate
  history->wait_until_writing();
  recorder.record(r);
  recorder.record(r);  // the queue is full now
  recorder.record(r);
  EXPECT_EQ(recorder.dropped(), 1u);
  history->open();
  recorder.stop();
  EXPECT_EQ(recorder.written(), 3u);
  EXPECT_EQ(history->recent("alice", 0, 10)->size(), 3u);
}

}  // namespace
}  // namespace fmn::pipeline
