// Bus faults against the real fmn-pipeline: the publisher restarts (its sequence numbers start
// again; the gap before and the restart are counted), and a slow consumer (the subscriber stops
// reading, the publisher's high-water mark drops messages: every dropped message is counted as
// missing, so received + missing == published).
#include <gtest/gtest.h>
#include <signal.h>

#include <thread>
#include <zmq.hpp>

#include "tests/faults/expected_notifications.h"
#include "tests/faults/pipeline_process.h"
#include "tests/faults/scenario.h"
#include "tests/support/loopback.h"
#include "tests/support/zmq_publisher.h"

namespace fmn::faults {
namespace {

using namespace std::chrono_literals;

// A rule that matches nothing here: these scenarios watch the source, not delivery.
const std::string kPrefs = one_user_prefs(R"(topic == "nothing")", "{ to = \"email\" }");

TEST(BusFaults, PublisherRestartAndGapsAreCounted) {
  auto bus = test::ZmqPublisher::start();
  ASSERT_TRUE(bus.ok()) << bus.error().message;
  auto pipeline = PipelineProcess::start({kPrefs, servers_config(bus->endpoint(), "")});
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
  ASSERT_TRUE(bus->wait_for_subscriptions(1, 30s).ok());

  // 1..20, then 26..30: one gap of five.
  ASSERT_TRUE(bus->play(numbered_items("a", 1, 20)).ok());
  ASSERT_TRUE(bus->play(numbered_items("a", 26, 5)).ok());
  auto got = pipeline->wait_metric(
      "fmn_messages_received_total", "", [](double v) { return v == 25; }, 30s);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(pipeline->metric("fmn_sequence_gaps_total"), 1.0);
  EXPECT_EQ(pipeline->metric("fmn_sequence_missing_total"), 5.0);
  EXPECT_EQ(pipeline->metric("fmn_sequence_restarts_total"), 0.0);

  // The publisher restarts and counts from 1 again: a restart, not a gap.
  ASSERT_TRUE(bus->stop().ok());
  ASSERT_TRUE(bus->restart().ok());
  ASSERT_TRUE(bus->wait_for_subscriptions(1, 30s).ok());
  ASSERT_TRUE(bus->play(numbered_items("b", 1, 10)).ok());
  got = pipeline->wait_metric(
      "fmn_messages_received_total", "", [](double v) { return v == 35; }, 30s);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(pipeline->metric("fmn_sequence_restarts_total"), 1.0);
  EXPECT_EQ(pipeline->metric("fmn_sequence_gaps_total"), 1.0);
  EXPECT_EQ(pipeline->metric("fmn_sequence_missing_total"), 5.0);
  EXPECT_EQ(pipeline->metric("fmn_duplicates_total"), 0.0);
  ASSERT_TRUE(pipeline->terminate().ok());
}

// A publisher as Fedora's: a PUB socket with a bounded send queue, which drops messages for a
// subscriber that does not keep up (XPUB only to see the subscription arrive).
class DroppingPublisher {
 public:
  explicit DroppingPublisher(int port) : socket_(context_, zmq::socket_type::xpub) {
    socket_.set(zmq::sockopt::sndhwm, 1000);
    socket_.bind("tcp://" + test::loopback_address(port));
  }
  bool wait_subscription() {
    socket_.set(zmq::sockopt::rcvtimeo, 30000);
    zmq::message_t sub;
    return socket_.recv(sub).has_value();
  }
  void publish(const test::BusMessage& m) {
    socket_.send(zmq::buffer(m.topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
    socket_.send(zmq::buffer(m.json), zmq::send_flags::dontwait);
  }

 private:
  zmq::context_t context_;
  zmq::socket_t socket_;
};

TEST(BusFaults, SlowConsumerDropsAreCountedNeverSilent) {
  auto port = test::pick_free_port();
  ASSERT_TRUE(port.ok());
  DroppingPublisher bus(port.value());
  auto pipeline = PipelineProcess::start({kPrefs, "[source]\nconnect = [\"tcp://" +
                                                      test::loopback_address(port.value()) +
                                                      "\"]\nhigh_water_mark = 1000\n"});
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
  ASSERT_TRUE(bus.wait_subscription());
  bus.publish(numbered_items("a", 1, 1)[0]);
  auto got = pipeline->wait_metric(
      "fmn_messages_received_total", "", [](double v) { return v == 1; }, 30s);
  ASSERT_TRUE(got.ok()) << got.error().message;

  // The consumer stops reading (as a stalled process would) while a burst goes out.
  constexpr size_t kBurst = 200'000;
  ASSERT_EQ(::kill(pipeline->pid(), SIGSTOP), 0);
  for (const test::BusMessage& m : numbered_items("a", 2, kBurst)) bus.publish(m);
  ASSERT_EQ(::kill(pipeline->pid(), SIGCONT), 0);
  // One more after the burst, so a gap at its end is seen too.
  std::this_thread::sleep_for(1s);
  bus.publish(numbered_items("a", kBurst + 2, 1)[0]);

  const double published = kBurst + 2;
  auto accounted = pipeline->wait_metric(
      "fmn_messages_received_total", "",
      [&](double received) {
        return received + pipeline->metric("fmn_sequence_missing_total").value_or(0) == published;
      },
      60s);
  ASSERT_TRUE(accounted.ok()) << accounted.error().message;
  double missing = pipeline->metric("fmn_sequence_missing_total").value_or(0);
  EXPECT_GT(missing, 0) << "the burst overflowed the queues: some messages were dropped";
  EXPECT_GE(pipeline->metric("fmn_sequence_gaps_total").value_or(0), 1.0);
  ASSERT_TRUE(pipeline->terminate().ok());
}

}  // namespace
}  // namespace fmn::faults
