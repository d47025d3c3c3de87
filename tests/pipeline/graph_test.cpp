#include "pipeline/graph.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <tbb/info.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>

#include "core/envelope_parser.h"
#include "tests/pipeline/every_message_matcher.h"
#include "tests/support/cpu_affinity.h"

namespace fmn::pipeline {
namespace {

class VectorSource : public bus::Source {
 public:
  explicit VectorSource(std::vector<std::string> lines) : lines_(std::move(lines)) {}
  bool next_batch(std::vector<bus::RawMessage>& out, size_t max) override {
    for (size_t n = 0; n < max && next_ < lines_.size(); ++n, ++next_) {
      out.push_back({{}, lines_[next_], next_ + 1});
    }
    return next_ < lines_.size();
  }

 private:
  std::vector<std::string> lines_;
  size_t next_ = 0;
};

// Records the topics it is given; `after_batch`, when set, runs after each batch.
class RecordingSink : public sinks::Sink {
 public:
  std::string_view name() const override { return "recording"; }
  void deliver(std::span<const Notification> batch) override {
    for (const Notification& n : batch) topics.emplace_back(n.message->topic);
    if (after_batch) after_batch();
  }
  std::vector<std::string> topics;
  std::function<void()> after_batch;
};

std::string envelope(int n) {
  return R"({"topic":"org.fedoraproject.prod.test.)" + std::to_string(n) + R"(","msg":{}})";
}

TEST(Graph, DeliversEveryMessageInSourceOrderAndCountsBadLines) {
  std::vector<std::string> lines;
  for (int n = 0; n < 1000; ++n) lines.push_back(n % 100 == 7 ? "{not json" : envelope(n));
  VectorSource source(lines);
  PipelineStats stats;
  std::vector<std::string> reports;
  std::mutex mu;
  auto meta = MetaExtractor::builtin(builtin_aliases());
  ASSERT_TRUE(meta.ok()) << meta.error().message;
  ParseStage parse(**meta, stats, [&](const std::string& what) {
    std::lock_guard lock(mu);
    reports.push_back(what);
  });
  EveryMessageMatcher matcher;
  RecordingSink sink;
  run_graph(source, parse, matcher, sink, stats,
            GraphOptions{.batch_size = 16, .max_in_flight = 4});

  EXPECT_EQ(stats.received, 1000u);
  EXPECT_EQ(stats.parse_errors, 10u);
  EXPECT_EQ(stats.notifications, 990u);
  ASSERT_EQ(sink.topics.size(), 990u);
  std::vector<std::string> expected;
  for (int n = 0; n < 1000; ++n) {
    if (n % 100 != 7) expected.push_back("org.fedoraproject.prod.test." + std::to_string(n));
  }
  EXPECT_EQ(sink.topics, expected);
  ASSERT_EQ(reports.size(), 10u);
  std::sort(reports.begin(), reports.end());
  EXPECT_EQ(reports[0].rfind("line 108: ", 0), 0u) << reports[0];
}

TEST(Graph, ObservesEachStageOncePerBatch) {
  std::vector<std::string> lines;
  for (int n = 0; n < 100; ++n) lines.push_back(envelope(n));
  VectorSource source(lines);
  PipelineStats stats;
  auto meta = MetaExtractor::builtin();
  ASSERT_TRUE(meta.ok()) << meta.error().message;
  ParseStage parse(**meta, stats, [](const std::string&) {});
  EveryMessageMatcher matcher;
  RecordingSink sink;
  metrics::Registry registry;
  auto histogram = [&](const std::string& stage) {
    return &registry.histogram("fmn_stage_seconds", "h", metrics::latency_buckets(),
                               {{"stage", stage}});
  };
  StageLatency latency{histogram("parse"), histogram("match"), histogram("deliver"),
                       histogram("total")};
  run_graph(source, parse, matcher, sink, stats,
            GraphOptions{.batch_size = 16, .max_in_flight = 4, .latency = latency});
  ASSERT_EQ(sink.topics.size(), 100u);
  for (metrics::Histogram* h : {latency.parse, latency.match, latency.deliver, latency.total}) {
    EXPECT_EQ(h->count(), 7u);  // ceil(100 / 16) batches
    EXPECT_GT(h->sum(), 0.0);
  }
  // A batch's time from the source to the sink queues includes its stages.
  EXPECT_GE(latency.total->sum(), latency.deliver->sum());
}

TEST(Graph, EmptySourceFinishes) {
  VectorSource source({});
  PipelineStats stats;
  auto meta = MetaExtractor::builtin();
  ASSERT_TRUE(meta.ok()) << meta.error().message;
  ParseStage parse(**meta, stats, [](const std::string&) {});
  EveryMessageMatcher matcher;
  RecordingSink sink;
  run_graph(source, parse, matcher, sink, stats, GraphOptions{});
  EXPECT_EQ(stats.received, 0u);
  EXPECT_TRUE(sink.topics.empty());
}

// Two waits the pipeline must serve at once, as with a broker source, which sends nothing more
// until what it sent is settled: the source, asked for a second batch, waits until the first has
// reached the sink, while matching the first batch waits until the source is waiting. On one
// thread either wait would last forever; each gives up after a minute instead, so that the test
// fails rather than hangs.
struct Rendezvous {
  void set(bool Rendezvous::*flag) {
    {
      std::lock_guard lock(mu);
      this->*flag = true;
    }
    cv.notify_all();
  }
  void wait(bool Rendezvous::*flag) {
    std::unique_lock lock(mu);
    if (!cv.wait_for(lock, std::chrono::minutes(1), [&] { return this->*flag; })) gave_up = true;
  }

  std::mutex mu;
  std::condition_variable cv;
  bool source_waiting = false, first_batch_delivered = false, gave_up = false;
};

class SecondBatchWaitsSource : public bus::Source {
 public:
  explicit SecondBatchWaitsSource(Rendezvous& r) : r_(r) {}
  bool next_batch(std::vector<bus::RawMessage>& out, size_t max) override {
    if (++calls_ == 2) {
      r_.set(&Rendezvous::source_waiting);
      r_.wait(&Rendezvous::first_batch_delivered);
    }
    for (size_t n = 0; n < max; ++n)
      out.push_back({{}, envelope(calls_ * 100 + static_cast<int>(n)), ++origin_});
    return calls_ < 2;
  }

 private:
  Rendezvous& r_;
  int calls_ = 0;
  uint64_t origin_ = 0;
};

class MatcherWaitingForTheSource : public Matcher {
 public:
  explicit MatcherWaitingForTheSource(Rendezvous& r) : r_(r) {}
  void match(const MessagePtr& message, std::vector<Notification>& out) const override {
    r_.wait(&Rendezvous::source_waiting);
    EveryMessageMatcher().match(message, out);
  }

 private:
  Rendezvous& r_;
};

// Runs the rendezvous through a graph of batches of 8; `delivered` is called on the thread that
// delivers each batch. Returns the notifications delivered.
size_t run_rendezvous(
    Rendezvous& r, const std::function<void()>& delivered = [] {}) {
  SecondBatchWaitsSource source(r);
  PipelineStats stats;
  auto meta = MetaExtractor::builtin();
  EXPECT_TRUE(meta.ok()) << meta.error().message;
  if (!meta.ok()) return 0;
  ParseStage parse(**meta, stats, [](const std::string&) {});
  MatcherWaitingForTheSource matcher(r);
  RecordingSink sink;
  sink.after_batch = [&] {
    delivered();
    r.set(&Rendezvous::first_batch_delivered);
  };
  run_graph(source, parse, matcher, sink, stats, GraphOptions{.batch_size = 8, .max_in_flight = 4});
  return sink.topics.size();
}

// The first batch is matched and delivered while the thread that reads the bus waits in the
// source: on one of the arena's threads, which are named for what they do.
TEST(Graph, TheStagesRunOnThreadsNamedStage) {
  Rendezvous r;
  std::string first_batch_thread;
  run_rendezvous(r, [&] {
    if (!first_batch_thread.empty()) return;
    char name[16] = {};
    pthread_getname_np(pthread_self(), name, sizeof name);
    first_batch_thread = name;
  });
  EXPECT_FALSE(r.gave_up);
  EXPECT_EQ(first_batch_thread, "stage");
}

// Runs this thread, and the threads it starts, on one CPU while in scope, as on a machine with
// a single one.
class OneCpu {
 public:
  OneCpu() : all_(test::allowed_cpus()) { test::run_on(test::first_cpu(all_)); }
  ~OneCpu() { test::run_on(all_); }

 private:
  const cpu_set_t all_;
};

TEST(Graph, TheSourceMayWaitForTheSinksOnOneCpu) {
  OneCpu one_cpu;
  // oneTBB counts the CPUs once per process, at its first use.
  if (tbb::info::default_concurrency() != 1) {
    GTEST_SKIP() << "oneTBB counted the CPUs before this test: run it in a process of its own "
                    "(as ctest does)";
  }
  Rendezvous r;
  EXPECT_EQ(run_rendezvous(r), 16u);
  EXPECT_FALSE(r.gave_up);
}

// With every stage thread busy matching, the source is still asked for batches, as many as the
// in-flight bound allows and no more (none is read to wait beyond the bound). Matching waits (at
// most a minute, then the test fails) until the source has handed out that many.
struct ReadWhileBusy {
  static constexpr size_t kInFlight = 4;
  std::mutex mu;
  std::condition_variable cv;
  size_t read = 0, delivered = 0;
  bool gave_up = false;
  bool asked_beyond_bound = false;  // a batch past the bound asked for before any was delivered
};

class CountingSource : public bus::Source {
 public:
  explicit CountingSource(ReadWhileBusy& r) : r_(r) {}
  bool next_batch(std::vector<bus::RawMessage>& out, size_t max) override {
    std::lock_guard lock(r_.mu);
    if (r_.read == ReadWhileBusy::kInFlight && r_.delivered == 0) r_.asked_beyond_bound = true;
    for (size_t n = 0; n < max; ++n) {
      out.push_back({{}, envelope(static_cast<int>(r_.read * 100 + n)), ++origin_});
    }
    ++r_.read;
    r_.cv.notify_all();
    return r_.read < 2 * ReadWhileBusy::kInFlight;
  }

 private:
  ReadWhileBusy& r_;
  uint64_t origin_ = 0;
};

class MatcherWaitingForReads : public Matcher {
 public:
  explicit MatcherWaitingForReads(ReadWhileBusy& r) : r_(r) {}
  void match(const MessagePtr& message, std::vector<Notification>& out) const override {
    {
      std::unique_lock lock(r_.mu);
      if (!r_.cv.wait_for(lock, std::chrono::minutes(1),
                          [&] { return r_.read >= ReadWhileBusy::kInFlight; })) {
        r_.gave_up = true;
      }
    }
    EveryMessageMatcher().match(message, out);
  }

 private:
  ReadWhileBusy& r_;
};

TEST(Graph, TheSourceIsReadWhileTheStagesAreBusyButNotBeyondTheInFlightBound) {
  ReadWhileBusy r;
  CountingSource source(r);
  PipelineStats stats;
  auto meta = MetaExtractor::builtin();
  ASSERT_TRUE(meta.ok()) << meta.error().message;
  ParseStage parse(**meta, stats, [](const std::string&) {});
  MatcherWaitingForReads matcher(r);
  RecordingSink sink;
  sink.after_batch = [&] {
    std::lock_guard lock(r.mu);
    ++r.delivered;
  };
  run_graph(source, parse, matcher, sink, stats,
            GraphOptions{.batch_size = 8, .max_in_flight = ReadWhileBusy::kInFlight});
  EXPECT_FALSE(r.gave_up);
  EXPECT_FALSE(r.asked_beyond_bound);
  EXPECT_EQ(sink.topics.size(), 8 * 2 * ReadWhileBusy::kInFlight);
}

// Matches the messages whose topic ends in an even number, as a rule would that reads no
// display field.
class EvenTopicMatcher : public Matcher {
 public:
  void match(const MessagePtr& message, std::vector<Notification>& out) const override {
    if ((message->topic.back() - '0') % 2 == 0) EveryMessageMatcher().match(message, out);
  }
};

class DisplayMetaSink : public sinks::Sink {
 public:
  std::string_view name() const override { return "display meta"; }
  void deliver(std::span<const Notification> batch) override {
    for (const Notification& n : batch) {
      subtitles.push_back(n.message->meta.subtitle.value_or("(none)"));
      links.push_back(n.message->meta.link.value_or("(none)"));
    }
  }
  std::vector<std::string> subtitles, links;
};

TEST(Graph, NotifiedMessagesReachTheSinksWithTheMetaOfAFullExtraction) {
  std::vector<std::string> lines;
  for (int n = 0; n < 40; ++n) {
    lines.push_back(R"({"topic":"org.fedoraproject.prod.newsvc.thing.)" + std::to_string(n) +
                    R"(","msg_id":"2026-)" + std::to_string(n) + R"(","msg":{"agent":"ralph"}})");
  }
  VectorSource source(lines);
  PipelineStats stats;
  auto meta = MetaExtractor::builtin(builtin_aliases());
  ASSERT_TRUE(meta.ok()) << meta.error().message;
  ParseStage parse(**meta, stats, [](const std::string&) {});
  EvenTopicMatcher matcher;
  DisplayMetaSink sink;
  run_graph(source, parse, matcher, sink, stats, GraphOptions{.batch_size = 8, .max_in_flight = 4});

  std::vector<std::string> subtitles, links;
  for (int n = 0; n < 40; n += 2) {
    auto m = parse_envelope(lines[n]);
    ASSERT_TRUE(m.ok());
    (*meta)->extract(*m.value());
    ASSERT_TRUE(m.value()->meta.subtitle && m.value()->meta.link);
    subtitles.push_back(*m.value()->meta.subtitle);
    links.push_back(*m.value()->meta.link);
  }
  EXPECT_EQ(sink.subtitles, subtitles);
  EXPECT_EQ(sink.links, links);
}

}  // namespace
}  // namespace fmn::pipeline
