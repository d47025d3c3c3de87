// The SSE server's bounds: one huge event never takes a feed down.
#include <gtest/gtest.h>

#include <vector>

#include "sinks/sse_server.h"
#include "sinks/sse_sink.h"
#include "tests/sinks/notification_fixture.h"
#include "tests/sinks/sse_test_client.h"

namespace fmn::sinks {
namespace {

using namespace std::chrono_literals;
using testing::Client;
using testing::get;
using testing::Server;

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

  // A client resuming from the start gets both from the backlog and stays
  // subscribed.
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

}  // namespace
}  // namespace fmn::sinks
