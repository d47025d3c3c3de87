// Acceptance of the bus layer: the real fmn-replay binary publishes the corpus over ZeroMQ tcp
// loopback; a ZmqSource receives every message exactly once, and sequence tracking detects the
// gap fmn-replay was told to inject. Two publishers carrying the same messages are
// deduplicated down to one copy.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include "bus/dedupe_window.h"
#include "bus/sequence_tracker.h"
#include "bus/zmq_source.h"
#include "core/envelope_parser.h"
#include "tests/support/child_process.h"
#include "tests/support/server_process.h"

namespace fmn::test {
namespace {

constexpr Duration kTimeout = std::chrono::seconds(30);
const std::string kCorpus = std::string(FMN_CORPUS_DIR) + "/fedmsg-real.jsonl";

std::vector<std::string> corpus_lines() {
  std::ifstream in(kCorpus);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// fmn-replay bound to a port of its choice; the endpoint is read back from its output.
struct Replay {
  ChildProcess process;
  std::string endpoint;
};

Result<Replay> start_replay(const std::string& name, std::vector<std::string> flags) {
  std::vector<std::string> argv = {std::string(FMN_BINARY_DIR) + "/bin/fmn-replay",
                                   kCorpus,
                                   "--bind",
                                   "tcp://127.0.0.1:*",
                                   "--wait-subscribers",
                                   "1",
                                   "--hwm",
                                   "0"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  SpawnOptions options;
  options.argv = argv;
  options.log = testing::TempDir() + name + ".log";
  std::filesystem::remove(options.log);
  auto child = ChildProcess::spawn(options);
  if (!child) return child.error();
  std::smatch match;
  const std::regex bound("fmn-replay: bound (tcp://[0-9.]+:[0-9]+)");
  std::string log;
  Status ready = child->wait_ready(
      name, [&] { return std::regex_search(log = child->log_text(), match, bound); }, kTimeout);
  if (!ready) return ready.error();
  return Replay{std::move(child).value(), match[1].str()};
}

// Receives `count` messages, or fewer if the source is stopped by the deadline.
std::vector<bus::RawMessage> receive(bus::ZmqSource& source, size_t count) {
  std::jthread watchdog([&](std::stop_token stop) {
    std::mutex mu;
    std::condition_variable_any cv;
    std::unique_lock lock(mu);
    cv.wait_for(lock, stop, kTimeout, [] { return false; });
    if (!stop.stop_requested()) source.stop();
  });
  std::vector<bus::RawMessage> out;
  while (out.size() < count && source.next_batch(out, count - out.size())) {
  }
  return out;
}

std::unique_ptr<bus::ZmqSource> subscribe(std::vector<std::string> endpoints) {
  bus::ZmqSourceOptions options;
  options.connect = std::move(endpoints);
  options.rcvhwm = 0;
  auto source = bus::ZmqSource::create(options);
  EXPECT_TRUE(source.ok()) << source.error().message;
  return source ? std::move(source).value() : nullptr;
}

// The message number fmn-replay put at the end of the msg_id (12 hex digits, 1-based).
size_t message_number(std::string_view msg_id) {
  return std::stoul(std::string(msg_id.substr(msg_id.size() - 12)), nullptr, 16);
}

TEST(Replay, EveryMessageExactlyOnceWithTheInjectedGapDetected) {
  const std::vector<std::string> lines = corpus_lines();
  ASSERT_EQ(lines.size(), 380u);
  const size_t loops = 2, total = loops * lines.size();
  auto replay = start_replay("replay", {"--loops", "2", "--skip-seq", "500"});
  ASSERT_TRUE(replay.ok()) << replay.error().message;
  auto source = subscribe({replay->endpoint});
  ASSERT_TRUE(source);

  std::vector<bus::RawMessage> raw = receive(*source, total);
  ASSERT_EQ(raw.size(), total) << replay->process.log_text();

  bus::DedupeWindow dedupe;
  bus::SequenceTracker tracker;
  std::set<size_t> numbers;
  for (const bus::RawMessage& r : raw) {
    auto m = parse_envelope(r.payload, r.topic);
    ASSERT_TRUE(m.ok()) << m.error().message;
    const Message& msg = *m.value();
    EXPECT_EQ(msg.topic, r.topic);
    EXPECT_TRUE(dedupe.admit(msg.msg_id)) << msg.msg_id;
    tracker.observe(msg);
    size_t number = message_number(msg.msg_id);
    numbers.insert(number);
    // The body is the recorded one.
    auto original = parse_envelope(lines[(number - 1) % lines.size()]);
    ASSERT_TRUE(original.ok());
    ASSERT_EQ(msg.topic, original.value()->topic) << "message " << number;
    ASSERT_TRUE(*msg.body == *original.value()->body) << "message " << number;
  }
  EXPECT_EQ(numbers.size(), total);  // every message number once
  EXPECT_EQ(*numbers.begin(), 1u);
  EXPECT_EQ(*numbers.rbegin(), total);
  EXPECT_EQ(dedupe.stats().duplicates, 0u);

  bus::SequenceStats seq = tracker.stats();
  EXPECT_EQ(seq.gaps, 1u);
  EXPECT_EQ(seq.missing, 1u);
  EXPECT_EQ(seq.restarts, 0u);
  EXPECT_EQ(seq.repeats, 0u);
  EXPECT_EQ(seq.unsequenced, 0u);

  std::optional<int> exit = replay->process.stop(0, kTimeout);  // signal 0: just wait for it
  ASSERT_TRUE(exit.has_value());
  EXPECT_TRUE(WIFEXITED(*exit) && WEXITSTATUS(*exit) == 0) << describe_wait_status(*exit);
  std::string log = replay->process.log_text();
  EXPECT_NE(log.find("sent 760 messages (2 loops of 380 records"), std::string::npos) << log;
  EXPECT_NE(log.find("1 i values skipped"), std::string::npos) << log;
  announce_real_server("ZeroMQ at " + replay->endpoint + ": fmn-replay sent " +
                       std::to_string(total) + " messages, received once each, " +
                       std::to_string(seq.gaps) + " gap detected in " +
                       std::to_string(seq.publishers) + " publishers");
}

TEST(Replay, DuplicatesFromTwoEndpointsAreDropped) {
  auto a = start_replay("replay-a", {"--run-id", "42"});
  ASSERT_TRUE(a.ok()) << a.error().message;
  auto b = start_replay("replay-b", {"--run-id", "42"});
  ASSERT_TRUE(b.ok()) << b.error().message;
  auto source = subscribe({a->endpoint, b->endpoint});
  ASSERT_TRUE(source);

  std::vector<bus::RawMessage> raw = receive(*source, 2 * 380);
  ASSERT_EQ(raw.size(), 2u * 380) << a->process.log_text() << b->process.log_text();
  std::vector<MessagePtr> batch;
  for (const bus::RawMessage& r : raw) {
    auto m = parse_envelope(r.payload, r.topic);
    ASSERT_TRUE(m.ok()) << m.error().message;
    batch.push_back(std::move(m).value());
  }
  bus::DedupeWindow dedupe;
  EXPECT_EQ(dedupe.filter(batch), 380u);
  ASSERT_EQ(batch.size(), 380u);
  bus::SequenceTracker tracker;
  tracker.observe(batch);
  EXPECT_EQ(tracker.stats().gaps, 0u);
  EXPECT_EQ(tracker.stats().restarts, 0u);
  EXPECT_EQ(tracker.stats().repeats, 0u);
}

}  // namespace
}  // namespace fmn::test
