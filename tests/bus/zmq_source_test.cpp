// ZmqSource and ZmqPublisher over real ZeroMQ sockets (inproc and tcp loopback).
#include "bus/zmq_source.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdio>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <zmq.hpp>

#include "bus/zmq_publisher.h"
#include "core/log.h"

namespace fmn::bus {
namespace {

using std::chrono::milliseconds;

// Receives until `count` messages arrived, or stops the source after `timeout` so a broken
// test fails instead of hanging.
std::vector<RawMessage> receive(ZmqSource& source, size_t count,
                                milliseconds timeout = milliseconds(10000)) {
  std::jthread watchdog([&](std::stop_token stop) {
    std::mutex mu;
    std::condition_variable_any cv;
    std::unique_lock lock(mu);
    cv.wait_for(lock, stop, timeout, [] { return false; });
    if (!stop.stop_requested()) source.stop();  // timed out, not dismissed
  });
  std::vector<RawMessage> out;
  while (out.size() < count && source.next_batch(out, count - out.size())) {
  }
  return out;
}

// Options binding and/or connecting the given endpoints.
template <typename Options>
Options at(std::vector<std::string> bind, std::vector<std::string> connect = {}) {
  Options options;
  options.bind = std::move(bind);
  options.connect = std::move(connect);
  return options;
}
ZmqPublisherOptions pub_at(std::vector<std::string> bind, std::vector<std::string> connect = {}) {
  return at<ZmqPublisherOptions>(std::move(bind), std::move(connect));
}
ZmqSourceOptions sub_at(std::vector<std::string> bind, std::vector<std::string> connect = {}) {
  return at<ZmqSourceOptions>(std::move(bind), std::move(connect));
}

// receive() on another thread, for sockets that need the reader running before publishers
// connect (see zmq_source.h).
std::future<std::vector<RawMessage>> receive_async(ZmqSource& source, size_t count) {
  return std::async(std::launch::async, [&source, count] { return receive(source, count); });
}

std::unique_ptr<ZmqPublisher> publisher(const ZmqPublisherOptions& options,
                                        zmq::context_t* context = nullptr) {
  auto p = ZmqPublisher::create(options, context);
  EXPECT_TRUE(p.ok()) << p.error().message;
  return p ? std::move(p).value() : nullptr;
}

std::unique_ptr<ZmqSource> source(const ZmqSourceOptions& options,
                                  zmq::context_t* context = nullptr) {
  auto s = ZmqSource::create(options, context);
  EXPECT_TRUE(s.ok()) << s.error().message;
  return s ? std::move(s).value() : nullptr;
}

TEST(ZmqSource, ReceivesTwoFrameMessagesOverInproc) {
  zmq::context_t context;
  auto pub = publisher(pub_at({"inproc://bus"}), &context);
  auto sub = source(sub_at({}, {"inproc://bus"}), &context);
  ASSERT_TRUE(pub && sub);
  ASSERT_EQ(pub->wait_for_subscriptions(1, milliseconds(5000)), 1u);
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(pub->send("org.fedoraproject.prod.x.y", R"({"i":)" + std::to_string(i) + "}"));
  }
  auto got = receive(*sub, 3);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].topic, "org.fedoraproject.prod.x.y");
  EXPECT_EQ(got[2].payload, R"({"i":3})");
  EXPECT_EQ(got[0].origin, 1u);
  EXPECT_EQ(got[2].origin, 3u);
  EXPECT_EQ(sub->stats().received, 3u);
}

TEST(ZmqSource, SubscribesByTopicPrefix) {
  zmq::context_t context;
  auto pub = publisher(pub_at({"inproc://bus"}), &context);
  ZmqSourceOptions options = sub_at({}, {"inproc://bus"});
  options.topics = {"org.fedoraproject.prod.bodhi.", "org.centos."};
  auto sub = source(options, &context);
  ASSERT_TRUE(pub && sub);
  ASSERT_EQ(pub->wait_for_subscriptions(2, milliseconds(5000)), 2u);
  pub->send("org.fedoraproject.prod.copr.build.end", "{}");
  pub->send("org.fedoraproject.prod.bodhi.update.comment", "{}");
  pub->send("io.pagure.prod.pagure.issue.new", "{}");
  pub->send("org.centos.prod.ci.pipeline.complete", "{}");
  auto got = receive(*sub, 2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].topic, "org.fedoraproject.prod.bodhi.update.comment");
  EXPECT_EQ(got[1].topic, "org.centos.prod.ci.pipeline.complete");
}

TEST(ZmqSource, ConnectsToSeveralEndpointsOverTcp) {
  auto a = publisher(pub_at({"tcp://127.0.0.1:*"}));
  auto b = publisher(pub_at({"tcp://127.0.0.1:*"}));
  ASSERT_TRUE(a && b);
  auto sub = source(sub_at({}, {a->endpoints()[0], b->endpoints()[0]}));
  ASSERT_TRUE(sub);
  ASSERT_EQ(a->wait_for_subscriptions(1, milliseconds(5000)), 1u);
  ASSERT_EQ(b->wait_for_subscriptions(1, milliseconds(5000)), 1u);
  a->send("a.prod.x.y", "from a");
  b->send("b.prod.x.y", "from b");
  auto got = receive(*sub, 2);
  ASSERT_EQ(got.size(), 2u);
  std::set<std::string> payloads = {got[0].payload, got[1].payload};
  EXPECT_EQ(payloads, (std::set<std::string>{"from a", "from b"}));
}

TEST(ZmqSource, BindsForPublishersToConnect) {
  auto sub = source(sub_at({"tcp://127.0.0.1:*"}));
  ASSERT_TRUE(sub);
  ASSERT_EQ(sub->endpoints().size(), 1u);
  EXPECT_EQ(sub->endpoints()[0].rfind("tcp://127.0.0.1:", 0), 0u);
  EXPECT_NE(sub->endpoints()[0], "tcp://127.0.0.1:*");
  auto received = receive_async(*sub, 1);
  auto pub = publisher(pub_at({}, {sub->endpoints()[0]}));
  ASSERT_TRUE(pub);
  EXPECT_EQ(pub->wait_for_subscriptions(1, milliseconds(5000)), 1u);
  pub->send("org.fedoraproject.prod.x.y", "{}");
  EXPECT_EQ(received.get().size(), 1u);
}

TEST(ZmqSource, ReconnectsWhenThePublisherComesBack) {
  ZmqPublisherOptions first_options = pub_at({"tcp://127.0.0.1:*"});
  first_options.linger = milliseconds(0);
  auto first = publisher(first_options);
  ASSERT_TRUE(first);
  std::string endpoint = first->endpoints()[0];
  ZmqSourceOptions options = sub_at({}, {endpoint});
  options.reconnect_ivl = milliseconds(10);
  auto sub = source(options);
  ASSERT_TRUE(sub);
  ASSERT_EQ(first->wait_for_subscriptions(1, milliseconds(5000)), 1u);
  first->send("a.prod.x.y", "before");
  ASSERT_EQ(receive(*sub, 1).size(), 1u);
  first.reset();  // the publisher goes away; the port is free again

  auto received = receive_async(*sub, 1);
  auto second = publisher(pub_at({endpoint}));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->wait_for_subscriptions(1, milliseconds(5000)), 1u);
  second->send("a.prod.x.y", "after");
  auto got = received.get();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].payload, "after");
}

TEST(ZmqSource, DropsMessagesWithExtraFramesAndAcceptsOneFrame) {
  std::FILE* log_file = std::tmpfile();
  ASSERT_NE(log_file, nullptr);
  log::configure(log::Level::kInfo, log::Format::kText, log_file);
  zmq::context_t context;
  zmq::socket_t raw(context, zmq::socket_type::xpub);
  raw.bind("inproc://raw");
  auto sub = source(sub_at({}, {"inproc://raw"}), &context);
  ASSERT_TRUE(sub);
  zmq::message_t subscription;
  ASSERT_TRUE(raw.recv(subscription));  // the subscription is active: nothing sent is lost
  raw.send(zmq::str_buffer("t"), zmq::send_flags::sndmore);
  raw.send(zmq::str_buffer("p"), zmq::send_flags::sndmore);
  raw.send(zmq::str_buffer("extra"), zmq::send_flags::none);
  raw.send(zmq::str_buffer("{\"one\":1}"), zmq::send_flags::none);
  raw.send(zmq::str_buffer("topic"), zmq::send_flags::sndmore);
  raw.send(zmq::str_buffer("{}"), zmq::send_flags::none);
  auto got = receive(*sub, 2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].topic, "");
  EXPECT_EQ(got[0].payload, "{\"one\":1}");
  EXPECT_EQ(got[1].topic, "topic");
  EXPECT_EQ(got[1].payload, "{}");
  EXPECT_EQ(sub->stats().malformed, 1u);
  EXPECT_EQ(sub->stats().received, 2u);

  // The dropped message is logged once, with what tells the operator where it came from.
  log::configure(log::Level::kInfo, log::Format::kText, stderr);
  std::string logged(static_cast<size_t>(std::ftell(log_file)), '\0');
  std::rewind(log_file);
  logged.resize(std::fread(logged.data(), 1, logged.size(), log_file));
  std::fclose(log_file);
  EXPECT_NE(logged.find("bus_malformed frames=3 bytes=7 topic=t dropped=1"), std::string::npos)
      << logged;
  EXPECT_EQ(logged.find("bus_malformed", logged.find("bus_malformed") + 1), std::string::npos);
}

TEST(ZmqSource, StopUnblocksAWaitingReader) {
  ZmqSourceOptions options = sub_at({"tcp://127.0.0.1:*"});
  options.poll_interval = milliseconds(10);
  auto sub = source(options);
  ASSERT_TRUE(sub);
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(50));
    sub->stop();
  });
  std::vector<RawMessage> out;
  EXPECT_FALSE(sub->next_batch(out, 16));
  EXPECT_TRUE(out.empty());
  stopper.join();
}

TEST(ZmqSource, ABatchTakesWhatArrivesWhileItWaitsAndEndsWhenFull) {
  zmq::context_t context;
  auto pub = publisher(pub_at({"inproc://bus"}), &context);
  ZmqSourceOptions options = sub_at({}, {"inproc://bus"});
  options.batch_wait = std::chrono::minutes(1);  // only a full batch ends it in time
  auto sub = source(options, &context);
  ASSERT_TRUE(pub && sub);
  ASSERT_EQ(pub->wait_for_subscriptions(1, milliseconds(5000)), 1u);
  ASSERT_TRUE(pub->send("a.prod.x.y", "first"));
  // The rest go out once the source has the first one, i.e. while its batch waits.
  std::thread later([&] {
    while (sub->stats().received == 0) std::this_thread::yield();
    pub->send("a.prod.x.y", "second");
    pub->send("a.prod.x.y", "third");
  });
  std::vector<RawMessage> out;
  EXPECT_TRUE(sub->next_batch(out, 3));
  later.join();
  ASSERT_EQ(out.size(), 3u) << "one batch";
  EXPECT_EQ(out[2].payload, "third");
}

TEST(ZmqSource, BadEndpointIsAnError) {
  auto sub = ZmqSource::create(sub_at({}, {"nonsense://x"}));
  ASSERT_FALSE(sub.ok());
  EXPECT_NE(sub.error().message.find("nonsense://x"), std::string::npos) << sub.error().message;
  EXPECT_FALSE(ZmqSource::create({}).ok());
}

}  // namespace
}  // namespace fmn::bus
