#include "pipeline/admin_server.h"

#include <gtest/gtest.h>

#include <atomic>

#include "tests/support/no_free_descriptors.h"
#include "tests/support/raw_http_client.h"
#include "tests/web/http_test_client.h"

namespace fmn::pipeline {
namespace {

using namespace std::chrono_literals;

test::HttpReply get(const AdminServer& server, const std::string& path) {
  return test::http_request("GET", "http://127.0.0.1:" + std::to_string(server.port()) + path);
}

TEST(AdminServer, ServesMetricsHealthAndReadiness) {
  metrics::Registry registry;
  registry.counter("fmn_messages_received_total", "Messages received.").inc(42);
  std::atomic<bool> redis_up{true};
  AdminServer server(registry,
                     {{"redis", [&] { return redis_up.load(); }}, {"bus", [] { return true; }}});
  auto started = server.listen("127.0.0.1", 0);
  ASSERT_TRUE(started.ok()) << started.error().message;
  server.serve();

  const auto get = [&](const std::string& path) { return pipeline::get(server, path); };
  const test::HttpReply metrics = get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("fmn_messages_received_total 42\n"), std::string::npos);
  EXPECT_EQ(metrics.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  // Its own listener is counted there too.
  EXPECT_NE(metrics.body.find("fmn_listener_connections{listener=\"admin\"} 1\n"),
            std::string::npos)
      << metrics.body;

  EXPECT_EQ(get("/healthz").status, 200);
  EXPECT_EQ(get("/readyz").status, 200);
  EXPECT_EQ(get("/nothing-here").status, 404);

  redis_up = false;
  const test::HttpReply ready = get("/readyz");
  EXPECT_EQ(ready.status, 503);
  EXPECT_EQ(ready.body, "redis: not ready\nbus: ok\n");
  // Health does not depend on dependencies.
  EXPECT_EQ(get("/healthz").status, 200);
  server.stop();
}

TEST(AdminServer, ReplaysDeadLettersOnAPostNotSentByABrowser) {
  metrics::Registry registry;
  std::vector<std::pair<std::string, size_t>> replays;
  DeadLetterActions actions;
  actions.list = [](const std::string&) -> Result<std::string> { return std::string(); };
  actions.replay = [&](const std::string& user, size_t limit) -> Result<std::string> {
    replays.emplace_back(user, limit);
    return std::string("email\t1 dead letters, 1 notifications replayed\n");
  };
  AdminServer server(registry, {}, {}, actions);
  ASSERT_TRUE(server.listen("127.0.0.1", 0).ok());
  server.serve();
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port());

  EXPECT_EQ(get(server, "/dead-letters/replay").status, 405);  // a GET changes nothing
  EXPECT_EQ(test::http_request("POST", base + "/dead-letters/replay",
                               {"Origin: https://elsewhere.example.org"})
                .status,
            403);
  EXPECT_EQ(test::http_request("POST", base + "/dead-letters/replay?limit=many").status, 400);
  EXPECT_TRUE(replays.empty());

  const test::HttpReply all = test::http_request("POST", base + "/dead-letters/replay");
  EXPECT_EQ(all.status, 200);
  EXPECT_EQ(all.body, "email\t1 dead letters, 1 notifications replayed\n");
  EXPECT_EQ(test::http_request("POST", base + "/dead-letters/replay?user=bob&limit=5").status, 200);
  server.stop();
  EXPECT_EQ(replays, (std::vector<std::pair<std::string, size_t>>{{"", 1000}, {"bob", 5}}));
}

TEST(AdminServer, RefusesAPortAnotherServerListensOn) {
  metrics::Registry registry;
  AdminServer first(registry, {});
  ASSERT_TRUE(first.listen("127.0.0.1", 0).ok());
  first.serve();
  AdminServer second(registry, {});
  auto taken = second.listen("127.0.0.1", first.port());
  ASSERT_FALSE(taken.ok());
  EXPECT_NE(
      taken.error().message.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())),
      std::string::npos);
  first.stop();
}

TEST(AdminServer, RefusesConnectionsOverItsPerAddressLimitWith503AndRetryAfter) {
  metrics::Registry registry;
  net::ListenerLimits limits;
  limits.max_connections_per_ip = 1;
  limits.retry_after = 3s;
  AdminServer server(registry, {}, limits);
  ASSERT_TRUE(server.listen("127.0.0.1", 0).ok());
  server.serve();
  // A connection that has sent nothing yet holds the address's only place.
  auto first = std::make_unique<test::Client>(server.port(), "");
  ASSERT_TRUE(test::wait_for([&] { return server.listener().open_connections() == 1; }));

  test::Client second(server.port(), test::get("/healthz"));
  const std::string& got = second.read_until("retry later");
  EXPECT_NE(got.find("HTTP/1.1 503 Service Unavailable\r\n"), std::string::npos) << got;
  EXPECT_NE(got.find("\r\nRetry-After: 3\r\n"), std::string::npos) << got;
  second.read_until("never sent");
  EXPECT_TRUE(second.closed());
  EXPECT_EQ(server.listener().refused(net::Refusal::kPerAddress), 1u);

  first.reset();  // the place frees up once the server sees it closed
  ASSERT_TRUE(test::wait_for([&] { return server.listener().open_connections() == 0; }));
  const test::HttpReply metrics = get(server, "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("fmn_listener_connections_refused_total{listener=\"admin\","
                              "reason=\"per_address\"} 1\n"),
            std::string::npos)
      << metrics.body;
}

TEST(AdminServer, AnswersBusyWhenOutOfDescriptorsAndAcceptsAgainOnceFree) {
  if (test::kSanitizerNeedsDescriptors) GTEST_SKIP() << "the sanitizer runtime needs descriptors";
  metrics::Registry registry;
  AdminServer server(registry, {});
  ASSERT_TRUE(server.listen("127.0.0.1", 0).ok());
  server.serve();
  const auto got = test::request_out_of_descriptors(server.port(), test::get("/healthz"));
  ASSERT_TRUE(got.exhausted);
  EXPECT_NE(got.text.find("HTTP/1.1 503 Service Unavailable\r\n"), std::string::npos) << got.text;
  EXPECT_NE(got.text.find("\r\nRetry-After: 5\r\n"), std::string::npos) << got.text;
  EXPECT_TRUE(got.closed);
  EXPECT_GE(server.listener().accept_errors(), 1u);
  EXPECT_TRUE(
      test::wait_for([&] { return server.listener().refused(net::Refusal::kNoDescriptors) == 1; }));
  // Accepting goes on: the next scrape is answered.
  const test::HttpReply health = get(server, "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok\n");
}

}  // namespace
}  // namespace fmn::pipeline
