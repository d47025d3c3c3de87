// The corpus played over real ZeroMQ tcp from the tests/support publisher to a SUB socket.
#include <gtest/gtest.h>

#include <future>
#include <zmq.hpp>

#include "tests/support/server_process.h"
#include "tests/support/zmq_publisher.h"

namespace fmn::test {
namespace {

constexpr Duration kTimeout = std::chrono::seconds(10);

// Receives `count` two-frame messages, or fewer if `timeout` passes between two of them.
std::vector<BusMessage> receive(zmq::socket_t& sub, size_t count) {
  sub.set(zmq::sockopt::rcvtimeo, static_cast<int>(kTimeout.count()));
  std::vector<BusMessage> got;
  while (got.size() < count) {
    zmq::message_t topic, body;
    if (!sub.recv(topic) || !topic.more() || !sub.recv(body)) break;
    got.push_back({topic.to_string(), body.to_string()});
  }
  return got;
}

TEST(ZmqSmoke, SubscriberReceivesTheCorpusInOrder) {
  auto corpus = read_bus_messages(std::string(FMN_CORPUS_DIR) + "/fedmsg-real.jsonl");
  ASSERT_TRUE(corpus.ok()) << corpus.error().message;
  auto pub = ZmqPublisher::start();
  ASSERT_TRUE(pub.ok()) << pub.error().message;

  zmq::context_t context;
  zmq::socket_t sub(context, zmq::socket_type::sub);
  sub.set(zmq::sockopt::subscribe, "");
  sub.connect(pub->endpoint());
  ASSERT_TRUE(pub->wait_for_subscriptions(1, kTimeout).ok());
  ASSERT_TRUE(pub->play(*corpus).ok());

  const auto got = receive(sub, corpus->size());
  ASSERT_EQ(got.size(), corpus->size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].topic, (*corpus)[i].topic) << "message " << i;
    ASSERT_EQ(got[i].json, (*corpus)[i].json) << "message " << i;
  }
  announce_real_server("ZeroMQ at " + pub->endpoint() + ": " + std::to_string(got.size()) +
                       " corpus messages received by a SUB socket");
}

TEST(ZmqSmoke, SubscriberReconnectsAfterRestart) {
  auto pub = ZmqPublisher::start();
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  zmq::context_t context;
  zmq::socket_t sub(context, zmq::socket_type::sub);
  sub.set(zmq::sockopt::subscribe, "org.fedoraproject.");
  sub.connect(pub->endpoint());
  ASSERT_TRUE(pub->wait_for_subscriptions(1, kTimeout).ok());

  auto restarted = pub->restart();
  ASSERT_TRUE(restarted.ok()) << restarted.error().message;
  // libzmq resends a SUB's subscriptions from the thread using the SUB, as a receiver does.
  auto receiving = std::async(std::launch::async, [&sub] { return receive(sub, 1); });
  auto resubscribed = pub->wait_for_subscriptions(1, kTimeout);
  ASSERT_TRUE(resubscribed.ok()) << resubscribed.error().message;
  ASSERT_TRUE(pub->publish("io.pagure.prod.pagure.issue.new", "{}").ok());  // filtered out
  ASSERT_TRUE(pub->publish("org.fedoraproject.prod.bodhi.update.comment", R"({"msg":{}})").ok());

  const auto got = receiving.get();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].topic, "org.fedoraproject.prod.bodhi.update.comment");
}

}  // namespace
}  // namespace fmn::test
