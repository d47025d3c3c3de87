// The SSE server under overload, with curl as the client: a client that stops reading lags
// instead of being dropped, is told exactly how many events it missed and resumes live; and
// whatever the publisher sends, the server holds no more than its memory budget (publish waits
// instead).
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "sinks/sse_server.h"
#include "sinks/sse_sink.h"
#include "tests/sinks/feed_token.h"
#include "tests/sinks/notification_fixture.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace fmn::sinks {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<SseServer> start_server(SseServerConfig config) {
  auto server = SseServer::start(std::move(config), test_feed_auth);
  if (!server) ADD_FAILURE() << server.error().message;
  return server ? std::move(server.value()) : nullptr;
}

// curl streaming `feed` into its log file.
Result<test::ChildProcess> start_curl(const SseServer& server, const std::string& feed,
                                      const std::filesystem::path& out) {
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/feeds/" + feed +
                          "?token=" + test_feed_token(feed);
  return test::ChildProcess::spawn({.argv = {"curl", "-sN", url}, .log = out});
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

template <typename Condition>
bool wait_for(Condition done) {
  for (int i = 0; i < 3000 && !done(); ++i) std::this_thread::sleep_for(10ms);
  return done();
}

size_t occurrences(const std::string& text, std::string_view what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Resident memory of this process, from /proc/self/statm.
size_t rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(::sysconf(_SC_PAGESIZE));
}

TEST(SseOverload, AStoppedClientLagsIsToldWhatItMissedAndResumes) {
  auto dir = test::TempDir::create("sse-lag");
  ASSERT_TRUE(dir.ok());
  SseServerConfig config;
  config.heartbeat = 100ms;
  config.limits.idle_timeout = 600s;  // never slow: the socket drains again once curl runs
  config.max_queued_bytes = 64 * 1024;
  config.backlog_bytes = 256 * 1024;
  auto server = start_server(config);
  ASSERT_NE(server, nullptr);
  auto curl = start_curl(*server, "alice", *dir / "curl.out");
  ASSERT_TRUE(curl.ok()) << curl.error().message;
  ASSERT_TRUE(wait_for([&] { return server->clients() == 1; }));
  ASSERT_EQ(::kill(curl->pid(), SIGSTOP), 0);

  // Fill the kernel's buffers and the client's queue until it lags, then far past the backlog.
  const std::string padding(1000, 'p');
  int published = 0;
  while (server->lags() == 0 && published < 1'000'000) {
    server->publish("alice", "e" + std::to_string(published++) + " " + padding);
  }
  ASSERT_EQ(server->lags(), 1u);
  for (int i = 0; i < 2000; ++i) {
    server->publish("alice", "e" + std::to_string(published++) + " " + padding);
  }
  server->publish("alice", "last");
  ASSERT_EQ(::kill(curl->pid(), SIGCONT), 0);

  ASSERT_TRUE(wait_for([&] {
    return slurp(*dir / "curl.out").find("data: last") != std::string::npos;
  })) << "curl never got the newest event";
  const std::string got = slurp(*dir / "curl.out");
  // One notice, or more when it lagged again while the last events were still being handed out.
  uint64_t missed = 0, notices = 0;
  const std::string_view key = "event: missed\ndata: {\"missed\":";
  for (size_t at = got.find(key); at != std::string::npos; at = got.find(key, at + 1)) {
    const uint64_t n = std::stoull(got.substr(at + key.size()));
    EXPECT_GT(n, 0u);
    missed += n;
    ++notices;
  }
  EXPECT_GE(notices, 1u);
  EXPECT_EQ(server->lag_notices(), notices);
  EXPECT_EQ(server->missed_events(), missed);
  // Every event arrived or was announced as missed; none was dropped silently, none twice.
  const size_t received = occurrences(got, "data: e");
  EXPECT_EQ(received + missed, static_cast<size_t>(published));
  // Not disconnected: the client never stopped being one.
  EXPECT_EQ(server->slow_disconnects(), 0u);
  EXPECT_EQ(server->clients(), 1u);
  server->publish("alice", "after");
  EXPECT_TRUE(
      wait_for([&] { return slurp(*dir / "curl.out").find("data: after") != std::string::npos; }));
}

TEST(SseOverload, MemoryStaysWithinTheBudgetWhileConsumersStopReading) {
  auto dir = test::TempDir::create("sse-budget");
  ASSERT_TRUE(dir.ok());
  SseServerConfig config;
  config.limits.idle_timeout = 600s;
  config.max_queued_bytes = 256 * 1024;
  const size_t budget = 8 << 20;
  apply_memory_budget(config, budget);
  auto server = start_server(config);
  ASSERT_NE(server, nullptr);
  std::vector<test::ChildProcess> stopped;
  for (int i = 0; i < 8; ++i) {
    auto curl =
        start_curl(*server, "feed" + std::to_string(i), *dir / ("curl" + std::to_string(i)));
    ASSERT_TRUE(curl.ok()) << curl.error().message;
    stopped.push_back(std::move(curl).value());
  }
  ASSERT_TRUE(wait_for([&] { return server->clients() == stopped.size(); }));
  for (auto& curl : stopped) ASSERT_EQ(::kill(curl.pid(), SIGSTOP), 0);
  [[maybe_unused]] const size_t rss_before = rss_bytes();

  // 200 MB through the sink, 25 times the budget.
  SseSink sink(*server);
  testing::MessageSpec spec;
  spec.subtitle = std::string(900, 's');
  std::vector<Notification> batch;
  for (int i = 0; i < 8; ++i) {
    batch.push_back(
        testing::make_notification(spec, DestinationKind::kSse, "feed" + std::to_string(i)));
  }
  for (int round = 0; round < 200'000 / 8; ++round) sink.deliver(batch);

  EXPECT_LE(server->peak_memory_bytes(), budget);
#if !defined(__SANITIZE_THREAD__) && !defined(__SANITIZE_ADDRESS__)
  // Sanitizers keep shadow memory for every address ever used: the process's RSS says nothing.
  EXPECT_LT(rss_bytes(), rss_before + 4 * budget);
#endif
  EXPECT_EQ(server->clients(), stopped.size());
  EXPECT_EQ(server->slow_disconnects(), 0u);
  EXPECT_EQ(sink.counters().delivered.load(), 200'000u);
  for (auto& curl : stopped) ::kill(curl.pid(), SIGCONT);
}

TEST(SseOverload, TheSinkWaitsWhileTheServerIsBehind) {
  // The first network thread (which fans events out, and serves the first connection) is held
  // up in a client's token check until the gate opens.
  std::promise<void> gate;
  std::shared_future<void> opened = gate.get_future().share();
  std::atomic<bool> held{false};
  SseServerConfig config;
  config.pending_budget_bytes = 256 * 1024;
  auto started = SseServer::start(config, [&](std::string_view feed, std::string_view) {
    if (feed == "gate") {
      held = true;
      opened.wait();
    }
    return true;
  });
  ASSERT_TRUE(started.ok());
  SseServer& server = **started;
  auto dir = test::TempDir::create("sse-wait");
  ASSERT_TRUE(dir.ok());
  auto curl = start_curl(server, "gate", *dir / "curl.out");
  ASSERT_TRUE(curl.ok()) << curl.error().message;
  ASSERT_TRUE(wait_for([&] { return held.load(); }));

  SseSink sink(server);
  testing::MessageSpec spec;
  spec.subtitle = std::string(900, 's');
  const std::vector<Notification> batch(
      64, testing::make_notification(spec, DestinationKind::kSse, "alice"));
  std::thread delivering([&] {
    for (int i = 0; i < 100; ++i) sink.deliver(batch);  // ~8 MB, 32 times the budget
  });
  ASSERT_TRUE(wait_for([&] { return server.publish_waits() > 0; }));
  EXPECT_LE(server.memory_bytes(), config.pending_budget_bytes);
  EXPECT_LT(sink.counters().delivered.load(), 6400u);  // held back, not queued without end
  gate.set_value();
  delivering.join();
  EXPECT_EQ(sink.counters().delivered.load(), 6400u);
  EXPECT_LE(server.peak_memory_bytes(), config.pending_budget_bytes + config.backlog_bytes);
}

}  // namespace
}  // namespace fmn::sinks
