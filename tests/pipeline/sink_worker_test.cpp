#include "pipeline/sink_worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/pipeline/recording_sink.h"

namespace fmn::pipeline {
namespace {

using testing::batch_of;
using testing::RecordingSink;

TEST(SinkWorker, DeliversBatchesInOrder) {
  RecordingSink sink;
  SinkWorker worker(sink, 4);
  std::vector<std::string> expected;
  for (int b = 0; b < 50; ++b) {
    auto batch = batch_of("b" + std::to_string(b) + "-", 3);
    for (const Notification& n : *batch) expected.push_back(n.user);
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

  std::atomic<bool> returned{false};
  std::thread producer([&] {
    worker.submit(batch_of("blocked", 1));
    returned = true;
  });
  // However long the producer runs, it cannot get past a full queue while the sink is held.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(returned.load());
  EXPECT_EQ(worker.depth(), capacity);  // memory stays bounded

  sink.open();
  producer.join();
  EXPECT_TRUE(returned.load());
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

  std::atomic<bool> returned{false};
  std::thread producer([&] {
    worker.submit(batch_of("blocked", 2));  // 3 + 2 > 4
    returned = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(returned.load());
  EXPECT_EQ(worker.depth(), 3u);

  sink.open();
  producer.join();
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
