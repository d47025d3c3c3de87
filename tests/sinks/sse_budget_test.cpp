// The SSE server's shared queue budget: a client refused its events because other clients'
// queues hold the budget resumes as soon as they drain, with no further event or heartbeat, even
// when they are served by another network thread.
#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "sinks/sse_server.h"
#include "tests/sinks/sse_test_client.h"

namespace fmn::sinks {
namespace {

using testing::Client;
using testing::get;
using testing::Server;
using testing::wait_for;

std::string event(const std::string& name, size_t bytes) {
  return name + ":" + std::string(bytes, 'x');
}

TEST(SseServer, AClientRefusedForBudgetCatchesUpOnceAnotherClientDrains) {
  SseServerConfig config;
  config.max_event_bytes = 4096;
  config.max_queued_bytes = 16 * 1024;        // a catch-up: 8 KiB
  config.queued_budget_bytes = 10'000;        // two of bob's events, then none of alice's
  config.network_threads = 2;                 // bob's drain on one thread wakes alice on the other
  Server s(config, std::chrono::minutes(1));  // no heartbeat while the test runs
  Client bob(s.server->port());
  bob.limit_receive_buffer(4096);
  bob.connect();
  bob.send(get(s.feed_url("bob")));
  Client alice(s.server->port(), get(s.feed_url("alice")));
  s.wait_for_clients(2);

  // Bob reads nothing: his socket fills, then his queue holds the budget and he lags.
  int sent_bob = 0;
  while (s.server->lags() == 0 && sent_bob < 10'000) {
    const uint64_t frames = s.server->frames_sent();
    s.server->publish("bob", event("bob" + std::to_string(++sent_bob), 4000));
    const auto handed = [&] { return s.server->frames_sent() > frames || s.server->lags() > 0; };
    for (int i = 0; i < 100'000 && !handed(); ++i) std::this_thread::yield();  // hundreds of turns
    ASSERT_TRUE(wait_for(handed));
  }
  ASSERT_EQ(s.server->lags(), 1u);

  // Alice is refused all five for lack of budget; three fit in a catch-up.
  for (int i = 1; i <= 5; ++i) s.server->publish("alice", event("alice" + std::to_string(i), 2500));
  ASSERT_TRUE(wait_for([&] { return s.server->lags() == 2; }));

  // Bob drains: the budget he held lets alice catch up, nothing else published.
  bob.read_until("bob" + std::to_string(sent_bob) + ":");
  const std::string& got = alice.read_until("alice5:");
  EXPECT_NE(got.find("event: missed\ndata: {\"missed\":2}\n\n"), std::string::npos) << got;
  EXPECT_EQ(alice.occurrences("alice1:") + alice.occurrences("alice2:"), 0u);
  EXPECT_EQ(alice.occurrences("alice3:") + alice.occurrences("alice4:"), 2u);
  EXPECT_EQ(alice.occurrences("alice5:"), 1u);
  EXPECT_EQ(bob.occurrences("bob" + std::to_string(sent_bob) + ":"), 1u);
  EXPECT_FALSE(alice.closed());
  EXPECT_EQ(s.server->slow_disconnects(), 0u);
}

}  // namespace
}  // namespace fmn::sinks
