#include "sinks/sse_server.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "sinks/sse_backlog.h"
#include "sinks/sse_sink.h"
#include "tests/sinks/feed_token.h"
#include "tests/sinks/notification_fixture.h"
#include "tests/sinks/sse_test_client.h"

namespace fmn::sinks {
namespace {

using namespace std::chrono_literals;
using testing::Client;
using testing::get;
using testing::Server;

TEST(SseFrame, EveryLineOfDataIsItsOwnDataField) {
  EXPECT_EQ(sse_frame(7, "{\"a\":1}"), "id: 7\ndata: {\"a\":1}\n\n");
  EXPECT_EQ(sse_frame(8, "x\r\nid: 666\revent: evil\ny"),
            "id: 8\ndata: x\ndata: id: 666\ndata: event: evil\ndata: y\n\n");
}

TEST(SseBacklog, ReplaysWhatCameAfterAnIdAndStaysBounded) {
  SseBacklog backlog(3, 1 << 20);
  const auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  std::vector<uint64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(backlog.append("alice", std::to_string(i), t).id);
  for (size_t i = 1; i < ids.size(); ++i) EXPECT_GT(ids[i], ids[i - 1]);
  EXPECT_EQ(ids[0], 1'700'000'000'000'000u);  // ids start at the wall clock in microseconds
  const auto after = backlog.since("alice", ids[2]);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].id, ids[3]);
  EXPECT_EQ(backlog.since("alice", 0).size(), 3u);  // bounded: the two oldest are gone
  EXPECT_TRUE(backlog.since("bob", 0).empty());
}

TEST(SseBacklog, HoldsAtMostItsByteBudgetOverAllFeedsOldestGoingFirst) {
  const size_t budget = 64 * 1024;
  SseBacklog backlog(200, budget);
  const auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  const std::string data(1000, 'x');
  for (int i = 0; i < 10'000; ++i) {
    backlog.append("feed" + std::to_string(i % 1000), data, t);
    ASSERT_LE(backlog.bytes(), budget);
  }
  EXPECT_GT(backlog.events(), 40u);                // the budget is used, not wasted on bookkeeping
  EXPECT_TRUE(backlog.since("feed0", 0).empty());  // quiet for longest: gone first
  EXPECT_EQ(backlog.since("feed999", 0).size(), 1u);
  // The per-feed cap still holds one busy feed, and the budget stays exact with it.
  SseBacklog capped(3, budget);
  for (int i = 0; i < 1000; ++i) capped.append(i % 2 ? "busy" : "other", data, t);
  EXPECT_EQ(capped.since("busy", 0).size(), 3u);
  EXPECT_EQ(capped.events(), 6u);
}

TEST(SseBacklog, OneNotificationFannedOutToManyFeedsIsOneBuffer) {
  SseBacklog backlog(200, 1 << 20);
  const auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  const std::string data = R"({"msg_id":"m1","rule":"My packages"})";
  const SseEvent first = backlog.append("alice", data, t);
  const SseEvent second = backlog.append("bob", data, t);
  const SseEvent third = backlog.append("carol", data, t);
  EXPECT_EQ(first.id, second.id);
  EXPECT_EQ(first.frame.get(), second.frame.get());
  EXPECT_EQ(first.frame.get(), third.frame.get());
  EXPECT_EQ(*first.frame, sse_frame(first.id, data));
  // Other data, or a feed whose next id is not the same, gets a buffer of its own.
  const SseEvent other = backlog.append("dave", R"({"msg_id":"m1","rule":"Mine"})", t);
  EXPECT_NE(other.frame.get(), first.frame.get());
  const SseEvent alice_again = backlog.append("alice", data, t);
  EXPECT_EQ(alice_again.id, first.id + 1);
  EXPECT_EQ(*alice_again.frame, sse_frame(first.id + 1, data));
  const SseEvent erin = backlog.append("erin", data, t);
  EXPECT_EQ(erin.id, first.id);
  EXPECT_EQ(*erin.frame, sse_frame(first.id, data));
  // Each feed replays its own event, and the budget counts each in full.
  for (const char* feed : {"alice", "bob", "carol", "erin"}) {
    const auto held = backlog.since(feed, 0);
    ASSERT_FALSE(held.empty()) << feed;
    EXPECT_EQ(*held.front().frame, sse_frame(first.id, data)) << feed;
  }
  EXPECT_EQ(backlog.bytes(), 3 * sse_event_cost(*first.frame) + sse_event_cost(*other.frame) +
                                 sse_event_cost(*alice_again.frame) + sse_event_cost(*erin.frame));
}

TEST(SseServer, RefusesMissingOrForeignTokens) {
  Server s;
  Client none(s.server->port(), get("/feeds/alice"));
  EXPECT_NE(none.read_until("\r\n\r\n").find("401 Unauthorized"), std::string::npos);
  Client foreign(s.server->port(), get(s.feed_url("bob").replace(7, 3, "alice")));
  EXPECT_NE(foreign.read_until("\r\n\r\n").find("401 Unauthorized"), std::string::npos);
  Client bad_path(s.server->port(), get("/feeds/../etc"));
  EXPECT_NE(bad_path.read_until("\r\n\r\n").find("404"), std::string::npos);
}

TEST(SseServer, StreamsEventsWithIdsToTheRightFeed) {
  Server s;
  Client alice(s.server->port(), get(s.feed_url("alice")));
  Client bob(s.server->port(),
             get("/feeds/bob", "Authorization: Bearer " + test_feed_token("bob") + "\r\n"));
  s.wait_for_clients(2);
  s.server->publish("alice", "{\"n\":1}");
  s.server->publish("bob", "{\"n\":2}");
  s.server->publish("alice", "{\"n\":3}");
  const std::string& a = alice.read_until("data: ", 2);
  EXPECT_NE(a.find("Content-Type: text/event-stream"), std::string::npos);
  EXPECT_NE(a.find("data: {\"n\":1}\n\n"), std::string::npos);
  EXPECT_NE(a.find("data: {\"n\":3}\n\n"), std::string::npos);
  EXPECT_EQ(a.find("{\"n\":2}"), std::string::npos);
  EXPECT_EQ(alice.occurrences("\nid: "), 2u);
  EXPECT_NE(bob.read_until("data: ").find("data: {\"n\":2}"), std::string::npos);
  EXPECT_NE(alice.read_until(": ping").find(": ping\n\n"), std::string::npos);  // heartbeat
}

TEST(SseServer, MeasuresEachLiveEventOncePerClientFromPublishToSocket) {
  metrics::Histogram latency(metrics::latency_buckets());
  SseServerConfig config;
  config.event_latency = &latency;
  Server s(config);
  Client alice(s.server->port(), get(s.feed_url("alice")));
  Client also_alice(s.server->port(), get(s.feed_url("alice")));
  s.wait_for_clients(2);
  s.server->publish("alice", "one");
  s.server->publish("alice", "two");
  alice.read_until("data: two");
  also_alice.read_until("data: two");
  ASSERT_TRUE(testing::wait_for([&] { return latency.count() == 4; })) << latency.count();
  EXPECT_GT(latency.sum(), 0.0);

  // A replay and heartbeats are not live events: not measured.
  Client late(s.server->port(), get(s.feed_url("alice")));
  late.read_until("data: two");
  EXPECT_NE(late.read_until(": ping").find(": ping"), std::string::npos);
  s.server->publish("alice", "three");
  late.read_until("data: three");
  ASSERT_TRUE(testing::wait_for([&] { return latency.count() == 7; })) << latency.count();
}

TEST(SseServer, ReconnectWithLastEventIdGetsExactlyTheMissedEvents) {
  Server s;
  std::string last_id;
  {
    Client first(s.server->port(), get(s.feed_url("alice")));
    s.wait_for_clients(1);
    s.server->publish("alice", "one");
    s.server->publish("alice", "two");
    const std::string& got = first.read_until("data: two");
    const size_t at = got.find("id: ", got.find("data: one"));
    last_id = got.substr(at + 4, got.find('\n', at) - at - 4);
  }
  s.server->publish("alice", "three");
  s.server->publish("alice", "four");
  Client again(s.server->port(), get(s.feed_url("alice"), "Last-Event-ID: " + last_id + "\r\n"));
  const std::string& got = again.read_until("data: four");
  EXPECT_EQ(got.find("data: one"), std::string::npos);
  EXPECT_EQ(got.find("data: two"), std::string::npos);
  EXPECT_NE(got.find("data: three"), std::string::npos);
  EXPECT_LT(got.find("data: three"), got.find("data: four"));
}

TEST(SseServer, ServesTheLiveFeedPage) {
  Server s;
  Client page(s.server->port(), get("/feeds/alice/page?token=x"));
  const std::string& got = page.read_until("</html>");
  EXPECT_NE(got.find("200 OK"), std::string::npos);
  EXPECT_NE(got.find("text/html"), std::string::npos);
  EXPECT_NE(got.find("new EventSource("), std::string::npos);
  EXPECT_NE(got.find("Referrer-Policy: no-referrer"), std::string::npos);
}

TEST(SseSink, PublishesRenderedNotificationsToTheFeed) {
  Server s;
  Client alice(s.server->port(), get(s.feed_url("alice")));
  s.wait_for_clients(1);
  SseSink sink(*s.server);
  testing::MessageSpec spec;
  spec.subtitle = "line\r\nid: 1\n\ndata: forged";
  const Notification n = testing::make_notification(spec, DestinationKind::kSse, "alice");
  sink.deliver({&n, 1});
  const std::string& got = alice.read_until("\"msg_id\"");
  EXPECT_NE(got.find("data: {\"msg_id\":\"2024-0f3c5a1e"), std::string::npos);
  EXPECT_EQ(got.find("\ndata: forged"), std::string::npos);
  EXPECT_EQ(alice.occurrences("\nid: "), 1u);
}

}  // namespace
}  // namespace fmn::sinks
