// The SSE server's bounds: one huge event never takes a feed down, running out of descriptors
// never stops the acceptor, and silent or surplus connections are closed.
#include <gtest/gtest.h>
#include <sys/resource.h>

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

// Waits for `done`, checking every 10 ms for at most 10 s.
template <typename Condition>
bool wait_for(Condition done) {
  for (int i = 0; i < 1000 && !done(); ++i) std::this_thread::sleep_for(10ms);
  return done();
}

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

TEST(SseServer, KeepsAcceptingAfterRunningOutOfDescriptors) {
  Server s;
  // The client's socket exists before descriptors run out: connecting needs no new one, but
  // the server's accept() does.
  Client client(s.server->port());
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
  const int lowest_free = ::dup(0);
  ASSERT_GE(lowest_free, 0);
  ::close(lowest_free);
  rlimit low = saved;
  low.rlim_cur = static_cast<rlim_t>(lowest_free + 8);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
  std::vector<int> hogs;
  for (int fd; (fd = ::dup(0)) >= 0;) hogs.push_back(fd);
  client.connect();
  const bool failed = wait_for([&] { return s.server->accept_errors() > 0; });
  for (int fd : hogs) ::close(fd);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &saved), 0);
  ASSERT_TRUE(failed) << "accept never failed";

  client.send(get("/feeds/alice/page"));
  EXPECT_NE(client.read_until("</html>").find("200 OK"), std::string::npos);
  Client later(s.server->port(), get("/feeds/alice/page"));
  EXPECT_NE(later.read_until("</html>").find("200 OK"), std::string::npos);
}

TEST(SseServer, ClosesAConnectionThatSendsNoRequest) {
  SseServerConfig config;
  config.header_timeout = 100ms;
  Server s(config);
  Client silent(s.server->port(), "");
  silent.read_until("never sent");
  EXPECT_TRUE(silent.closed());
  Client prompt(s.server->port(), get("/feeds/alice/page"));
  EXPECT_NE(prompt.read_until("</html>").find("200 OK"), std::string::npos);
}

TEST(SseServer, LimitsConnectionsPerAddress) {
  SseServerConfig config;
  config.max_connections_per_ip = 2;
  Server s(config);
  auto first = std::make_unique<Client>(s.server->port(), get(s.feed_url("alice")));
  Client second(s.server->port(), get(s.feed_url("bob")));
  s.wait_for_clients(2);
  Client third(s.server->port(), "");
  third.read_until("never sent");
  EXPECT_TRUE(third.closed());
  EXPECT_EQ(s.server->connections_refused(), 1u);

  first.reset();  // a place frees up once the server sees it closed
  ASSERT_TRUE(wait_for([&] { return s.server->clients() == 1; }));
  Client fourth(s.server->port(), get("/feeds/alice/page"));
  EXPECT_NE(fourth.read_until("</html>").find("200 OK"), std::string::npos);
}

}  // namespace
}  // namespace fmn::sinks
