// The SSE server's network threads: a client joins on its own thread while events are appended
// to the shared backlog and handed to the threads, and gets each event once, in order, whether it
// comes from the backlog or live.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "sinks/sse_server.h"
#include "tests/sinks/sse_test_client.h"

namespace fmn::sinks {
namespace {

using testing::Client;
using testing::get;
using testing::Server;
using testing::wait_for;

// "3-7 2-9": the runs of consecutive numbers in `numbers`.
std::string runs_of(const std::vector<int>& numbers) {
  std::string runs;
  for (size_t i = 0; i < numbers.size(); ++i) {
    if (i == 0 || numbers[i] != numbers[i - 1] + 1) {
      if (i > 0) runs += std::to_string(numbers[i - 1]) + " ";
      runs += std::to_string(numbers[i]) + "-";
    }
  }
  return numbers.empty() ? runs : runs + std::to_string(numbers.back());
}

// The numbers of the events "data: n<number>" in `stream`, in the order received.
std::vector<int> numbers_in(const std::string& stream) {
  std::vector<int> numbers;
  for (size_t at = stream.find("data: n"); at != std::string::npos;
       at = stream.find("data: n", at + 1)) {
    numbers.push_back(std::atoi(stream.c_str() + at + 7));
  }
  return numbers;
}

TEST(SseServer, ClientsJoiningOnEveryNetworkThreadMidStreamGetEachEventOnceInOrder) {
  SseServerConfig config;
  config.network_threads = 3;
  config.max_queued_bytes = 8 << 20;  // room for everything: nobody lags
  Server s(config);
  // Events are published while the clients arrive: each is replayed the newest events of the
  // backlog on its thread while the fan-out offers the next ones there too.
  constexpr size_t kClients = 9;
  std::thread publisher([&] {
    int i = 0;
    while (i < 1'000 || (i < 20'000 && s.server->clients() < kClients)) {
      s.server->publish("alice", "n" + std::to_string(i++));
    }
    for (const int last = i + 100; i < last;) s.server->publish("alice", "n" + std::to_string(i++));
    s.server->publish("alice", "end");
  });
  std::vector<std::unique_ptr<Client>> clients;
  for (size_t c = 0; c < kClients; ++c) {
    clients.push_back(std::make_unique<Client>(s.server->port(), get(s.feed_url("alice"))));
  }
  publisher.join();
  for (const auto& client : clients) {
    const std::string& got = client->read_until("data: end");
    const std::vector<int> numbers = numbers_in(got);
    // From its first event on, every later one once, in order, and the last.
    EXPECT_EQ(client->occurrences("data: end"), 1u) << runs_of(numbers);
    ASSERT_FALSE(numbers.empty());
    for (size_t i = 1; i < numbers.size(); ++i) {
      ASSERT_EQ(numbers[i], numbers[i - 1] + 1) << runs_of(numbers);
    }
    EXPECT_EQ(got.find("event: missed"), std::string::npos);
  }
}

TEST(SseServer, AClientJoiningBeforeItsThreadIsOfferedEventsOfTheBacklogGetsThemOnce) {
  // Two threads: the first connection is served by the first thread (which appends published
  // events to the backlog, then hands them to the others), the second by the other thread. The
  // second client's sign-in holds its thread while events are appended and handed over, so it
  // replays them from the backlog before its thread is offered them live.
  std::promise<void> gate;
  const std::shared_future<void> opened = gate.get_future().share();
  std::atomic<bool> held{false};
  SseServerConfig config;
  config.network_threads = 2;
  auto started = SseServer::start(config, [&](std::string_view, std::string_view token) {
    if (token == "held") {
      held = true;
      opened.wait();
    }
    return true;
  });
  ASSERT_TRUE(started);
  SseServer& server = **started;
  Client first(server.port(), get("/feeds/alice?token=first"));
  ASSERT_TRUE(wait_for([&] { return server.clients() == 1; }));
  Client late(server.port(), get("/feeds/alice?token=held"));
  ASSERT_TRUE(wait_for([&] { return held.load(); }));
  for (int i = 1; i <= 5; ++i) server.publish("alice", "n" + std::to_string(i));
  // The first thread has offered them to its client: they are in the backlog, and on their way
  // to the held thread.
  ASSERT_TRUE(wait_for([&] { return server.frames_sent() == 5; }));
  gate.set_value();
  ASSERT_TRUE(wait_for([&] { return server.clients() == 2; }));
  server.publish("alice", "n6");
  server.publish("alice", "end");

  const std::string& got = late.read_until("data: end");
  EXPECT_EQ(runs_of(numbers_in(got)), "1-6") << got;
  EXPECT_EQ(late.occurrences("data: end"), 1u);
  EXPECT_EQ(runs_of(numbers_in(first.read_until("data: end"))), "1-6");
}

}  // namespace
}  // namespace fmn::sinks
