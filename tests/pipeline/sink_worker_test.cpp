#include "pipeline/sink_worker.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/pipeline/recording_sink.h"

namespace fmn::pipeline {
namespace {

using testing::batch_of;
using testing::RecordingSink;

// What a blocked producer saw when its submit() returned: a producer that did not block returns
// while the sink still holds its first batch, so it sees nothing delivered.
struct ReturnWitness {
  // Called by the producer just before submit(); the test opens the sink only after it.
  void submitting() {
    std::lock_guard lock(mu);
    started = true;
    changed.notify_all();
  }
  void wait_submitting() {
    std::unique_lock lock(mu);
    changed.wait(lock, [&] { return started; });
  }
  void returned(size_t delivered, size_t depth) {
    delivered_at_return = delivered;
    depth_at_return = depth;
  }
  size_t delivered_at_return = 0;
  size_t depth_at_return = 0;
  std::mutex mu;
  std::condition_variable changed;
  bool started = false;
};

TEST(SinkWorker, DeliversBatchesInOrder) {
  RecordingSink sink;
  SinkWorker worker(sink, 4);
  std::vector<std::string> expected;
  for (int b = 0; b < 50; ++b) {
    auto batch = batch_of("b" + std::to_string(b) + "-", 3);
    for (const Notification& n : *batch) expected.emplace_back(n.user());
    worker.submit(std::move(batch));
  }
  worker.stop();
  EXPECT_EQ(sink.users(), expected);
  EXPECT_EQ(sink.batches(), std::vector<size_t>(50, 3));
  EXPECT_EQ(sink.counters().delivered, 150u);
}

TEST(SinkWorker, StopDeliversEverythingQueued) {
  RecordingSink sink;
  sink.close();
  SinkWorker worker(sink, 100);
  for (int b = 0; b < 20; ++b) worker.submit(batch_of("u", 2));
  sink.wait_entered(1);
  EXPECT_EQ(worker.depth(), 38u);  // notifications; the first batch is held inside deliver()
  std::thread stopper([&] { worker.stop(); });
  sink.open();
  stopper.join();
  EXPECT_EQ(sink.batches().size(), 20u);
  EXPECT_EQ(worker.depth(), 0u);
  worker.stop();  // idempotent
}

TEST(SinkWorker, ConfirmationRequestsAreSentOnTheWorkersThread) {
  RecordingSink sink;
  SinkWorker worker(sink, 100);
  worker.send_confirmation({"ralph", DestinationKind::kEmail, "r@example.org", "code", 0});
  worker.send_confirmation({"ralph", DestinationKind::kEmail, "s@example.org", "code", 0});
  worker.stop();  // sends what is queued first
  EXPECT_EQ(sink.confirmations(), (std::vector<std::string>{"r@example.org", "s@example.org"}));
  for (std::thread::id id : sink.confirmation_threads()) EXPECT_NE(id, std::this_thread::get_id());
}

// Records the name of the thread it delivers on.
class ThreadNameSink : public sinks::Sink {
 public:
  std::string_view name() const override { return "email"; }
  void deliver(std::span<const Notification>) override {
    char name[16] = {};
    pthread_getname_np(pthread_self(), name, sizeof name);
    std::lock_guard lock(mu_);
    names_.emplace_back(name);
  }
  std::vector<std::string> names() {
    std::lock_guard lock(mu_);
    return names_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> names_;
};

TEST(SinkWorker, DeliversOnAThreadNamedAfterItsSink) {
  ThreadNameSink sink;
  SinkWorker worker(sink, 100);
  worker.submit(batch_of("u", 2));
  worker.stop();
  EXPECT_EQ(sink.names(), std::vector<std::string>{"sink-email"});
}

TEST(SinkWorker, SingleNotificationsPassAFullQueue) {
  RecordingSink sink;
  sink.close();
  SinkWorker worker(sink, 1);
  worker.submit(batch_of("held", 1));
  sink.wait_entered(1);
  worker.submit(batch_of("queued", 1));             // the queue is now full
  worker.send_single((*batch_of("single", 1))[0]);  // returns at once all the same
  sink.open();
  worker.stop();
  EXPECT_EQ(sink.users(), (std::vector<std::string>{"held0", "single0", "queued0"}));
}

TEST(SinkWorker, EmptyBatchesAreNotQueued) {
  RecordingSink sink;
  SinkWorker worker(sink, 1);
  worker.submit(nullptr);
  worker.submit(std::make_shared<std::vector<Notification>>());
  worker.stop();
  EXPECT_TRUE(sink.batches().empty());
}

TEST(SinkWorker, AFullQueueBlocksTheProducerUntilTheSinkCatchesUp) {
  RecordingSink sink;
  sink.close();
  const size_t capacity = 3;
  SinkWorker worker(sink, capacity);
  worker.submit(batch_of("first", 1));
  sink.wait_entered(1);  // the worker holds "first"; the queue is empty again
  for (size_t i = 0; i < capacity; ++i) worker.submit(batch_of("queued", 1));
  ASSERT_EQ(worker.depth(), capacity);

  // The producer's submit() can return only once the worker has freed room, which it does
  // after the held batch is delivered: what the producer sees on return proves it waited.
  ReturnWitness witness;
  std::thread producer([&] {
    witness.submitting();
    worker.submit(batch_of("blocked", 1));
    witness.returned(sink.batches().size(), worker.depth());
  });
  witness.wait_submitting();
  sink.open();
  producer.join();
  EXPECT_GE(witness.delivered_at_return, 1u);
  EXPECT_LE(witness.depth_at_return, capacity);  // memory stays bounded
  worker.stop();
  std::vector<std::string> users = sink.users();
  ASSERT_EQ(users.size(), capacity + 2);
  EXPECT_EQ(users.front(), "first0");
  EXPECT_EQ(users.back(), "blocked0");
}

TEST(SinkWorker, TheBoundCountsNotificationsNotBatches) {
  RecordingSink sink;
  sink.close();
  SinkWorker worker(sink, 4);
  worker.submit(batch_of("held", 10));  // larger than the bound: an empty queue takes it
  sink.wait_entered(1);
  worker.submit(batch_of("queued", 3));
  ASSERT_EQ(worker.depth(), 3u);

  ReturnWitness witness;
  std::thread producer([&] {
    witness.submitting();
    worker.submit(batch_of("blocked", 2));  // 3 + 2 > 4
    witness.returned(sink.batches().size(), worker.depth());
  });
  witness.wait_submitting();
  sink.open();
  producer.join();
  EXPECT_GE(witness.delivered_at_return, 1u);  // it waited for the held batch to go
  EXPECT_LE(witness.depth_at_return, 4u);
  worker.stop();
  EXPECT_EQ(sink.batches(), (std::vector<size_t>{10, 3, 2}));
}

TEST(SinkWorker, TicksTheSinkWhileIdle) {
  RecordingSink sink;
  SinkWorker worker(sink, 1, std::chrono::milliseconds(1));
  sink.wait_ticks(3);  // returns only if ticks happen with nothing to deliver
  worker.stop();
  EXPECT_TRUE(sink.batches().empty());
}

}  // namespace
}  // namespace fmn::pipeline
