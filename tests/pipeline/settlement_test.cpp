#include "pipeline/settlement.h"

#include <gtest/gtest.h>

#include "tests/pipeline/recording_sink.h"

namespace fmn::pipeline {
namespace {

using testing::batch_of;
using testing::RecordingSink;

std::vector<bus::RawMessage> raw(std::initializer_list<uint64_t> origins) {
  std::vector<bus::RawMessage> out;
  for (uint64_t o : origins) out.push_back(bus::RawMessage{"t", "{}", o});
  return out;
}

TEST(Settlement, ABatchSettlesOnlyOnceItsNotificationsAreDelivered) {
  RecordingSink sink;
  sink.close();
  SinkWorker worker(sink, 100);
  std::vector<uint64_t> settled;
  Settlement settlement({&worker}, [&](std::span<const uint64_t> done) {
    settled.insert(settled.end(), done.begin(), done.end());
  });

  settlement.read(0, raw({1, 2}));
  worker.submit(batch_of("a", 1));  // batch 0's notifications, held inside the sink
  settlement.handed_over(0);
  settlement.read(1, raw({3}));
  settlement.handed_over(1);  // batch 1 caused nothing, but comes after batch 0
  sink.wait_entered(1);
  settlement.poll();
  EXPECT_TRUE(settled.empty());

  sink.open();
  worker.stop();
  settlement.poll();
  EXPECT_EQ(settled, (std::vector<uint64_t>{1, 2, 3}));
}

TEST(Settlement, BatchesWithoutNotificationsSettleAtOnce) {
  RecordingSink sink;
  SinkWorker worker(sink, 100);
  std::vector<uint64_t> settled;
  Settlement settlement({&worker}, [&](std::span<const uint64_t> done) {
    settled.insert(settled.end(), done.begin(), done.end());
  });
  settlement.read(0, raw({7, 8}));
  settlement.handed_over(0);
  settlement.poll();
  EXPECT_EQ(settled, (std::vector<uint64_t>{7, 8}));
}

}  // namespace
}  // namespace fmn::pipeline
