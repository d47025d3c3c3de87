#include "pipeline/admin_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>

namespace fmn::pipeline {
namespace {

TEST(AdminServer, ServesMetricsHealthAndReadiness) {
  metrics::Registry registry;
  registry.counter("fmn_messages_received_total", "Messages received.").inc(42);
  std::atomic<bool> redis_up{true};
  AdminServer server(registry,
                     {{"redis", [&] { return redis_up.load(); }}, {"bus", [] { return true; }}});
  auto started = server.listen("127.0.0.1", 0);
  ASSERT_TRUE(started.ok()) << started.error().message;
  server.serve();

  httplib::Client client("127.0.0.1", server.port());
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("fmn_messages_received_total 42\n"), std::string::npos);
  EXPECT_EQ(metrics->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");

  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);

  auto ready = client.Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);

  redis_up = false;
  ready = client.Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 503);
  EXPECT_EQ(ready->body, "redis: not ready\nbus: ok\n");
  // Health does not depend on dependencies.
  EXPECT_EQ(client.Get("/healthz")->status, 200);
  server.stop();
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

}  // namespace
}  // namespace fmn::pipeline
