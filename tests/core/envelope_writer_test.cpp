// write_envelope() is the inverse of parse_envelope(): every corpus message written and parsed
// again has the same envelope fields and the same body and headers.
#include "core/envelope_writer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "core/envelope_parser.h"

namespace fmn {
namespace {

void expect_same(const Message& a, const Message& b) {
  EXPECT_EQ(a.topic, b.topic);
  EXPECT_EQ(a.msg_id, b.msg_id);
  EXPECT_EQ(a.username, b.username);
  EXPECT_EQ(a.timestamp, b.timestamp);
  EXPECT_EQ(a.seq, b.seq);
  EXPECT_EQ(a.is_signed, b.is_signed);
  EXPECT_EQ(a.signature, b.signature);
  EXPECT_EQ(a.certificate, b.certificate);
  EXPECT_TRUE(*a.body == *b.body);
  EXPECT_EQ(a.headers == nullptr, b.headers == nullptr);
  if (a.headers != nullptr && b.headers != nullptr) {
    EXPECT_TRUE(*a.headers == *b.headers);
  }
}

TEST(EnvelopeWriter, EveryCorpusMessageParsesBackToItself) {
  for (const char* file : {"/fedmsg-real.jsonl", "/fedmsg-test-examples.jsonl"}) {
    std::ifstream in(std::string(FMN_CORPUS_DIR) + file);
    ASSERT_TRUE(in) << file;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      auto original = parse_envelope(line);
      ASSERT_TRUE(original.ok()) << file << ":" << n;
      auto again = parse_envelope(write_envelope(**original));
      ASSERT_TRUE(again.ok()) << file << ":" << n << ": " << again.error().message;
      SCOPED_TRACE(std::string(file) + ":" + std::to_string(n));
      expect_same(**original, **again);
    }
  }
}

TEST(EnvelopeWriter, KeepsHeadersAndLeavesOutWhatIsAbsent) {
  auto m = parse_envelope(
      R"({"topic":"t.a","msg":[1,"x"],"headers":{"sent-at":"2024-01-01T00:00:00Z"}})");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(write_envelope(**m),
            R"({"topic":"t.a","headers":{"sent-at":"2024-01-01T00:00:00Z"},"msg":[1,"x"]})");
}

}  // namespace
}  // namespace fmn
