// The SSE server's bounds: one huge event never takes a feed down, running out of descriptors
// turns clients away (503) without stopping the acceptor, silent connections are closed and
// surplus ones turned away.
#include <gtest/gtest.h>

#include <vector>

#include "sinks/sse_server.h"
#include "sinks/sse_sink.h"
#include "tests/sinks/notification_fixture.h"
#include "tests/sinks/sse_test_client.h"
#include "tests/support/no_free_descriptors.h"

namespace fmn::sinks {
namespace {

using namespace std::chrono_literals;
using testing::Client;
using testing::get;
using testing::Server;
using testing::wait_for;

TEST(SseSink, AnOversizedEventIsCutShortAndTheFeedStaysUp) {
  Server s;
  Client alice(s.server->port(), get(s.feed_url("alice")));
  s.wait_for_clients(1);
  SseSink sink(*s.server);
  testing::MessageSpec huge;
  huge.usernames = {std::string(2 << 20, 'u')};  // twice the client queue
  huge.msg_id = "2024-huge";
  testing::MessageSpec next;
  next.msg_id = "2024-next";
  const std::vector<Notification> batch{
      testing::make_notification(huge, DestinationKind::kSse, "alice"),
      testing::make_notification(next, DestinationKind::kSse, "alice")};
  sink.deliver(batch);

  const std::string& got = alice.read_until("2024-next");
  ASSERT_NE(got.find("\"msg_id\":\"2024-huge\""), std::string::npos) << got.substr(0, 2000);
  EXPECT_NE(got.find("\"truncated\":true"), std::string::npos);
  EXPECT_NE(got.find("\"full_message\":\"https://apps.fedoraproject.org/datagrepper/v2/"
                     "id?id=2024-huge\""),
            std::string::npos);
  EXPECT_LT(got.size(), s.server->max_event_bytes() * 2);
  EXPECT_FALSE(alice.closed());
  EXPECT_EQ(s.server->clients(), 1u);
  EXPECT_EQ(sink.counters().truncated.load(), 1u);
  EXPECT_EQ(sink.counters().delivered.load(), 2u);

  // A client resuming from the start gets both from the backlog and stays subscribed.
  Client again(s.server->port(), get(s.feed_url("alice"), "Last-Event-ID: 1\r\n"));
  EXPECT_NE(again.read_until("2024-next").find("\"truncated\":true"), std::string::npos);
  s.wait_for_clients(2);
  s.server->publish("alice", "after");
  EXPECT_NE(again.read_until("data: after").find("data: after"), std::string::npos);
  EXPECT_FALSE(again.closed());
}

TEST(SseServer, DropsAnEventOverTheLimitInsteadOfDisconnecting) {
  Server s;
  Client alice(s.server->port(), get(s.feed_url("alice")));
  s.wait_for_clients(1);
  s.server->publish("alice", std::string(s.server->max_event_bytes() + 1, 'x'));
  s.server->publish("alice", "small");
  EXPECT_NE(alice.read_until("data: small").find("data: small"), std::string::npos);
  EXPECT_EQ(alice.occurrences("xxxx"), 0u);
  EXPECT_EQ(s.server->oversized_events(), 1u);
  EXPECT_EQ(s.server->clients(), 1u);
}

TEST(SseServer, AnswersBusyWhenOutOfDescriptorsAndAcceptsAgainOnceFree) {
  if (test::kSanitizerNeedsDescriptors) GTEST_SKIP() << "the sanitizer runtime needs descriptors";
  Server s;
  const auto got = test::request_out_of_descriptors(s.server->port(), get(s.feed_url("alice")));
  ASSERT_TRUE(got.exhausted);
  EXPECT_NE(got.text.find("HTTP/1.1 503 Service Unavailable\r\n"), std::string::npos) << got.text;
  EXPECT_NE(got.text.find("\r\nRetry-After: 5\r\n"), std::string::npos) << got.text;
  EXPECT_TRUE(got.closed);
  EXPECT_GE(s.server->listener().accept_errors(), 1u);
  EXPECT_TRUE(
      wait_for([&] { return s.server->listener().refused(net::Refusal::kNoDescriptors) == 1; }));
  Client later(s.server->port(), get("/feeds/alice/page"));
  EXPECT_NE(later.read_until("</html>").find("200 OK"), std::string::npos);
  Client streaming(s.server->port(), get(s.feed_url("alice")));
  EXPECT_NE(streaming.read_until("retry: 2000").find("200 OK"), std::string::npos);
}

TEST(SseServer, ClosesAConnectionThatSendsNoRequest) {
  SseServerConfig config;
  config.limits.header_timeout = 100ms;
  Server s(config);
  Client silent(s.server->port(), "");
  silent.read_until("never sent");
  EXPECT_TRUE(silent.closed());
  Client prompt(s.server->port(), get("/feeds/alice/page"));
  EXPECT_NE(prompt.read_until("</html>").find("200 OK"), std::string::npos);
}

// Connects a third client to a server that has room for two, which is turned away.
void expect_busy(Server& s, net::Refusal reason) {
  Client third(s.server->port(), get(s.feed_url("carol")));
  const std::string& got = third.read_until("retry later");
  EXPECT_NE(got.find("HTTP/1.1 503 Service Unavailable\r\n"), std::string::npos) << got;
  EXPECT_NE(got.find("\r\nRetry-After: 7\r\n"), std::string::npos) << got;
  third.read_until("never sent");
  EXPECT_TRUE(third.closed());
  EXPECT_EQ(s.server->listener().refused(reason), 1u);
  EXPECT_EQ(s.server->clients(), 2u);
}

// Two streaming clients fill the server; a third is turned away until one of them leaves.
void expect_limit(SseServerConfig config, net::Refusal reason) {
  config.limits.retry_after = std::chrono::seconds(7);
  Server s(config);
  auto first = std::make_unique<Client>(s.server->port(), get(s.feed_url("alice")));
  Client second(s.server->port(), get(s.feed_url("bob")));
  s.wait_for_clients(2);
  expect_busy(s, reason);

  first.reset();  // a place frees up once the server sees it closed
  ASSERT_TRUE(wait_for([&] { return s.server->clients() == 1; }));
  Client fourth(s.server->port(), get("/feeds/alice/page"));
  EXPECT_NE(fourth.read_until("</html>").find("200 OK"), std::string::npos);
  for (net::Refusal other : net::kRefusals) {
    if (other != reason) {
      EXPECT_EQ(s.server->listener().refused(other), 0u);
    }
  }
}

TEST(SseServer, LimitsConnectionsPerAddressWith503AndRetryAfter) {
  SseServerConfig config;
  config.limits.max_connections_per_ip = 2;
  expect_limit(config, net::Refusal::kPerAddress);
}

TEST(SseServer, LimitsConnectionsInAllWith503AndRetryAfter) {
  SseServerConfig config;
  config.limits.max_connections = 2;
  expect_limit(config, net::Refusal::kTotal);
}

}  // namespace
}  // namespace fmn::sinks
