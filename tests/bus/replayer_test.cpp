#include "bus/replayer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "bus/sequence_tracker.h"
#include "core/envelope_parser.h"
#include "tests/support/fake_clock.h"

namespace fmn::bus {
namespace {

using test::FakeClock;

struct Sent {
  std::string topic;
  MessagePtr message;
};

// Tests run in parallel processes and several write the same corpus: each process has its own.
std::string write_file(const std::string& name, const std::string& text) {
  std::string path = testing::TempDir() + "fmn-replayer-" + std::to_string(::getpid()) + "-" + name;
  std::ofstream(path) << text;
  return path;
}

ReplayCorpus load(const std::string& text) {
  auto corpus = ReplayCorpus::load_file(write_file("corpus.jsonl", text));
  EXPECT_TRUE(corpus.ok()) << corpus.error().message;
  return corpus ? std::move(corpus).value() : ReplayCorpus{};
}

std::vector<Sent> play(const ReplayCorpus& corpus, ReplayOptions options, Clock& clock,
                       ReplaySummary* summary = nullptr) {
  std::vector<Sent> sent;
  Replayer replayer(corpus, std::move(options), clock);
  ReplaySummary s = replayer.run([&](std::string_view topic, std::string_view payload) {
    auto m = parse_envelope(payload);
    EXPECT_TRUE(m.ok()) << m.error().message << "\n" << payload;
    if (m) sent.push_back({std::string(topic), std::move(m).value()});
    return true;
  });
  if (summary != nullptr) *summary = s;
  return sent;
}

ReplayOptions loops(uint32_t n) {
  ReplayOptions options;
  options.loops = n;
  return options;
}

const char* kThree =
    R"({"topic":"org.fedoraproject.prod.bodhi.update.comment","msg":{"a":[1,"é"]},)"
    R"("msg_id":"2015-x","i":40,"timestamp":1.5e9,"username":"apache"})"
    "\n"
    R"({"topic":"org.fedoraproject.prod.copr.build.end","msg":{"b":null},"i":7,"timestamp":3})"
    "\n"
    R"({"topic":"org.fedoraproject.prod.bodhi.update.request","msg":"text","username":"apache"})"
    "\n";

TEST(Replayer, RewritesIdsSequenceAndTimeKeepingTheRest) {
  ReplayCorpus corpus = load(kThree);
  ASSERT_EQ(corpus.records().size(), 3u);
  EXPECT_EQ(corpus.publishers().size(), 2u);  // bodhi as apache, copr
  FakeClock clock;
  ReplaySummary summary;
  const double start = std::chrono::duration<double>(clock.wall().time_since_epoch()).count();
  ReplayOptions options = loops(2);
  options.run_id = 0x0123456789abcdef;
  auto sent = play(corpus, options, clock, &summary);
  ASSERT_EQ(sent.size(), 6u);
  EXPECT_EQ(summary.sent, 6u);
  EXPECT_EQ(summary.loops, 2u);

  std::set<std::string_view> ids;
  std::vector<int64_t> seqs;
  for (const Sent& s : sent) {
    EXPECT_EQ(s.topic, s.message->topic);
    ids.insert(s.message->msg_id);
    seqs.push_back(*s.message->seq);
    EXPECT_GE(*s.message->timestamp, start);  // stamped when sent, by the Clock
  }
  EXPECT_EQ(ids.size(), 6u);
  const std::string year = "2024";  // the Clock's year
  EXPECT_EQ(sent[0].message->msg_id, year + "-01234567-89ab-cdef-0000-000000000001");
  EXPECT_EQ(sent[5].message->msg_id, year + "-01234567-89ab-cdef-0001-000000000006");
  // Each publisher counts from 1 across loops: bodhi/apache 1,2,3,4; copr 1,2.
  EXPECT_EQ(seqs, (std::vector<int64_t>{1, 1, 2, 3, 2, 4}));
  // Everything else is as recorded.
  EXPECT_EQ(sent[0].message->username, "apache");
  EXPECT_EQ((*sent[0].message->body)["a"][1].GetString(), std::string("é"));
  EXPECT_TRUE((*sent[1].message->body)["b"].IsNull());
  EXPECT_TRUE(sent[1].message->username.empty());
  EXPECT_STREQ(sent[2].message->body->GetString(), "text");
}

TEST(Replayer, SkippedSequenceValuesShowAsGaps) {
  ReplayCorpus corpus = load(kThree);
  FakeClock clock;
  ReplaySummary summary;
  ReplayOptions options = loops(3);
  options.skip_seq_at = {5, 4};
  auto sent = play(corpus, options, clock, &summary);
  ASSERT_EQ(sent.size(), 9u);
  EXPECT_EQ(summary.skipped_seq, 2u);
  SequenceTracker tracker;
  for (const Sent& s : sent) tracker.observe(*s.message);
  EXPECT_EQ(tracker.stats().gaps, 2u);
  EXPECT_EQ(tracker.stats().missing, 2u);
  EXPECT_EQ(tracker.stats().restarts, 0u);
}

TEST(Replayer, FixedRatePacing) {
  ReplayCorpus corpus = load(kThree);
  FakeClock clock;
  ReplaySummary summary;
  ReplayOptions options = loops(2);
  options.pacing = PacingOptions::fixed_rate(4);
  play(corpus, options, clock, &summary);
  EXPECT_EQ(summary.sent, 6u);
  EXPECT_DOUBLE_EQ(summary.seconds, 1.25);  // six messages, a quarter second apart
}

TEST(Replayer, StopsWhenAsked) {
  ReplayCorpus corpus = load(kThree);
  std::atomic<bool> stop{false};
  Replayer replayer(corpus, loops(1000));
  uint64_t calls = 0;
  ReplaySummary s = replayer.run(
      [&](std::string_view, std::string_view) {
        if (++calls == 5) stop = true;
        return true;
      },
      &stop);
  EXPECT_EQ(s.sent, 5u);
  EXPECT_EQ(s.loops, 2u);
}

TEST(Replayer, MessageIdsAreWhatTheirPrintfFormatWrites) {
  const uint64_t run_ids[] = {0, 1, 0x0123456789abcdefULL, ~0ULL};
  const uint64_t numbers[] = {0, 1, 0xabcdef, 0xffffffffffffULL, ~0ULL};
  for (int year : {7, 1999, 2026, 12345}) {
    for (uint64_t run_id : run_ids) {
      for (uint32_t loop : {0u, 0xbeefu, 0x12345u}) {
        for (uint64_t number : numbers) {
          char expected[64];
          std::snprintf(expected, sizeof expected, "%04d-%08x-%04x-%04x-%04x-%012llx", year,
                        static_cast<unsigned>(run_id >> 32),
                        static_cast<unsigned>((run_id >> 16) & 0xffff),
                        static_cast<unsigned>(run_id & 0xffff), loop & 0xffff,
                        static_cast<unsigned long long>(number & 0xffffffffffffULL));
          EXPECT_EQ(Replayer::make_msg_id(year, run_id, loop, number), expected);
        }
      }
    }
  }
}

TEST(ReplayCorpus, SequenceAndTimestampAreWhatTheirPrintfFormatWrites) {
  ReplayCorpus corpus = load(kThree);
  std::string rendered;
  for (int64_t seq : {int64_t{0}, int64_t{-1}, int64_t{42}, INT64_MAX, INT64_MIN}) {
    for (double timestamp : {0.0, 0.25, 1700000000.0, 1700000000.1234567, 1733500000.999999,
                             1733500000.9999996, 1e12 + 0.5}) {
      ReplayCorpus::render(corpus.records()[0], "id", seq, timestamp, rendered);
      char expected[128];
      std::snprintf(expected, sizeof expected, "\"msg_id\":\"id\",\"i\":%lld,\"timestamp\":%.6f,",
                    static_cast<long long>(seq), timestamp);
      EXPECT_NE(rendered.find(expected), std::string::npos) << expected << "\n" << rendered;
    }
  }
}

TEST(ReplayCorpus, BadRecordNamesItsLine) {
  auto corpus =
      ReplayCorpus::load_file(write_file("bad.jsonl", std::string(kThree) + "{\"msg\":1}\n"));
  ASSERT_FALSE(corpus.ok());
  EXPECT_NE(corpus.error().message.find("line 4: topic: missing"), std::string::npos)
      << corpus.error().message;
}

TEST(ReplayCorpus, RendersEveryCorpusMessageFaithfully) {
  std::string path = std::string(FMN_CORPUS_DIR) + "/fedmsg-real.jsonl";
  auto corpus = ReplayCorpus::load_file(path);
  ASSERT_TRUE(corpus.ok()) << corpus.error().message;
  std::ifstream in(path);
  std::string line, rendered;
  for (const ReplayRecord& record : corpus->records()) {
    ASSERT_TRUE(std::getline(in, line));
    auto original = parse_envelope(line);
    ASSERT_TRUE(original.ok());
    ReplayCorpus::render(record, "2024-id", 9, 1700000000.25, rendered);
    auto copy = parse_envelope(rendered);
    ASSERT_TRUE(copy.ok()) << copy.error().message << "\n" << rendered;
    const Message& a = *original.value();
    const Message& b = *copy.value();
    EXPECT_EQ(a.topic, b.topic);
    EXPECT_EQ(a.username, b.username);
    EXPECT_EQ(a.signature, b.signature);
    EXPECT_TRUE(*a.body == *b.body) << "line " << record.origin;
    EXPECT_EQ(b.msg_id, "2024-id");
    EXPECT_EQ(*b.seq, 9);
    EXPECT_DOUBLE_EQ(*b.timestamp, 1700000000.25);
  }
  EXPECT_EQ(corpus->records().size(), 380u);
}

}  // namespace
}  // namespace fmn::bus
