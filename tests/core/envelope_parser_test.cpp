#include "core/envelope_parser.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/json_readers_agree.h"

namespace fmn {
namespace {

TEST(EnvelopeParser, ParsesEveryCorpusLine) {
  for (const char* file : {"/fedmsg-real.jsonl", "/fedmsg-test-examples.jsonl"}) {
    std::ifstream in(std::string(FMN_CORPUS_DIR) + file);
    ASSERT_TRUE(in) << file;
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      auto m = parse_envelope(line);
      ASSERT_TRUE(m.ok()) << file << ":" << n << ": " << m.error().message;
      EXPECT_FALSE(m.value()->topic.empty());
      EXPECT_NE(m.value()->body, nullptr);
    }
    EXPECT_GT(n, 290) << file;
  }
}

// Every text is read by simdjson first and by RapidJSON when simdjson refuses it or it is large:
// the tree, and the error for a text refused, must be the same as RapidJSON's alone. The fuzzer
// (fuzz/envelope_fuzzer.cpp) checks the same on arbitrary bytes.
TEST(EnvelopeParser, BothReadersGiveTheSameTreeOrTheSameError) {
  std::vector<std::string> texts;
  for (const char* file : {"/fedmsg-real.jsonl", "/fedmsg-test-examples.jsonl"}) {
    std::ifstream in(std::string(FMN_CORPUS_DIR) + file);
    ASSERT_TRUE(in) << file;
    for (std::string line; std::getline(in, line);) texts.push_back(line);
  }
  ASSERT_GT(texts.size(), 580u);
  const char* edges[] = {
      // numbers at each boundary of RapidJSON's integer kinds, and doubles
      "[0,-0,1,-1,2147483647,2147483648,-2147483648,-2147483649,4294967295,4294967296]",
      "[9223372036854775807,9223372036854775808,-9223372036854775808,18446744073709551615]",
      "[18446744073709551616,-9223372036854775809,123456789012345678901234567890]",
      "[0.0,-0.0,1.0,1e2,1E-2,0.1,1.5e300,2.2250738585072014e-308,1422035233.123456]", "[1e400]",
      "[-1e400]", "[01]", "[1.]", "[.5]", "[+1]", "[NaN]", "[Infinity]", "[1.8e308]",
      "[1.7976931348623158e308]", "[1e-400]", "[-1e-400]", "[3.0e-325]",
      "[2.4703282292062327e-324]", "[2.4703282292062328e-324]", "[123456789.123456789123]",
      "[0.9999999999999999444888487687421729788184165954589843749]",
      "[0.00000000000000000001e-310]", "[1000000000000000000000000000000000000000e-330]",
      "[12345678901234567890123]", "[0e400]",
      // strings: escapes, surrogate pairs, lone surrogates, NUL, long and short
      R"(["", "a", "\"\\\/\b\f\n\r\t", "\u0000x", "\u00e9\u4e2d", "\ud83d\ude00"])",
      R"(["\ud83d"])", R"(["\ude00"])", R"(["\ud83dx"])", R"(["\x"])", R"(["\u12"])",
      "[\"caf\xc3\xa9\", \"\xe2\x82\xac\", \"\xf0\x9f\x98\x80\"]", "[\"\xc3\"]",
      "[\"\xed\xa0\x80\"]", "[\"\xc0\x80\"]", "[\"a\x01\"]", "[\"a\x1e\"]",
      "[\"0123456789abcdefghijklmnopqrstuvwxyz0123456789\"]",
      // structure
      "{}", "[]", "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":[{},[]]}}", "null", "true", "\"x\"", "7", "",
      " ", "[1] x", "[1]  \r\n\t", "[1]\x0b", "\x0b[1]", "[1,]", "{\"a\"}", "{\"a\":}", "{1:2}",
      "[1", "{\"a\":1", "[\t1\r\n]", "[\x0c 1]"};
  for (const char* edge : edges) texts.emplace_back(edge);
  texts.emplace_back("[1]\0", 4);
  texts.push_back(std::string(64, '[') + std::string(64, ']'));
  texts.push_back(std::string(65, '[') + std::string(65, ']'));
  texts.push_back(std::string(2000, '[') + std::string(2000, ']'));  // beyond simdjson's depth
  for (const std::string& text : texts) {
    EXPECT_EQ(test::json_readers_disagree(text), "") << text.substr(0, 200);
  }
}

// Numbers are read correctly rounded whichever reader reads them: RapidJSON's own conversion
// could be a unit in the last place off, and made the largest doubles infinite.
TEST(EnvelopeParser, NumbersAreReadCorrectlyRoundedByEitherReader) {
  ParseOptions fast, rapidjson_only;
  rapidjson_only.fast_reader_max_bytes = 0;
  for (const ParseOptions& options : {fast, rapidjson_only}) {
    auto m = parse_envelope(
        R"({"topic":"a.b","msg":{"max":1.7976931348623158e308,"below_one":)"
        R"(0.9999999999999999444888487687421729788184165954589843749,"tiny":2.4703282292062328e-324,)"
        R"("zero":-1e-400,"long":123456789012345678901234567890}})",
        {}, options);
    ASSERT_TRUE(m.ok()) << m.error().message;
    const JsonValue& body = *m.value()->body;
    EXPECT_EQ(body["max"].GetDouble(), std::numeric_limits<double>::max());
    EXPECT_EQ(body["below_one"].GetDouble(), std::nextafter(1.0, 0.0));
    EXPECT_EQ(body["tiny"].GetDouble(), std::numeric_limits<double>::denorm_min());
    EXPECT_EQ(body["zero"].GetDouble(), 0.0);
    EXPECT_TRUE(std::signbit(body["zero"].GetDouble()));
    EXPECT_EQ(body["long"].GetDouble(), 123456789012345678901234567890.0);
    auto too_big = parse_envelope(R"({"topic":"a.b","msg":{"x":1.8e308}})", {}, options);
    ASSERT_FALSE(too_big.ok());
    EXPECT_NE(too_big.error().message.find("Number too big"), std::string::npos)
        << too_big.error().message;
  }
}

// A parsed message is held for as long as the recent-message store keeps it: its tree's pool is
// sized to its JSON, not a fixed chunk most messages leave three quarters empty.
TEST(EnvelopeParser, AMessagesPoolIsSizedToItsJson) {
  for (const char* file : {"/fedmsg-real.jsonl", "/fedmsg-test-examples.jsonl"}) {
    std::ifstream in(std::string(FMN_CORPUS_DIR) + file);
    ASSERT_TRUE(in) << file;
    std::string line;
    size_t json_bytes = 0, pool_bytes = 0, one_chunk = 0, n = 0;
    while (std::getline(in, line)) {
      auto m = parse_envelope(line);
      ASSERT_TRUE(m.ok()) << m.error().message;
      ++n;
      json_bytes += line.size();
      pool_bytes += m.value()->pool.Capacity();
      if (m.value()->pool.Capacity() == pool_chunk_for(line.size())) ++one_chunk;
    }
    EXPECT_LE(pool_bytes, 2 * json_bytes + 512 * n) << file;
    EXPECT_GE(one_chunk * 10, n * 9) << file << ": fewer than 90% of the messages fit one chunk";
  }
}

TEST(EnvelopeParser, ReadsEnvelopeFields) {
  auto m =
      parse_envelope(R"({"topic":"org.fedoraproject.prod.bodhi.update.comment","msg":{"a":1},)"
                     R"("msg_id":"2024-abc","timestamp":1700000000.5,"i":7,"username":"apache",)"
                     R"("signature":"s","certificate":"c","crypto":"x509","headers":{}})");
  ASSERT_TRUE(m.ok()) << m.error().message;
  const Message& msg = *m.value();
  EXPECT_EQ(msg.msg_id, "2024-abc");
  EXPECT_EQ(msg.username, "apache");
  EXPECT_DOUBLE_EQ(*msg.timestamp, 1700000000.5);
  EXPECT_EQ(*msg.seq, 7);
  EXPECT_TRUE(msg.is_signed);
  EXPECT_EQ(msg.topic_env, "prod");
  EXPECT_EQ(msg.topic_suffix, "bodhi.update.comment");
  EXPECT_TRUE((*msg.body)["a"].IsInt());
}

TEST(EnvelopeParser, ABodylessMessageHasItsEnvelopeAndAnEmptyBody) {
  auto m = bodyless_message("org.fedoraproject.fmn.test", "id-1", 1700000000.5);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)->topic, "org.fedoraproject.fmn.test");
  EXPECT_EQ((*m)->msg_id, "id-1");
  EXPECT_EQ((*m)->timestamp, 1700000000.5);
  ASSERT_NE((*m)->body, nullptr);
  EXPECT_TRUE((*m)->body->IsObject() && (*m)->body->ObjectEmpty());
  auto bare = bodyless_message("a.b", "", std::nullopt);
  ASSERT_TRUE(bare.ok());
  EXPECT_TRUE((*bare)->msg_id.empty());
  EXPECT_FALSE((*bare)->timestamp.has_value());
}

TEST(EnvelopeParser, IntegerTimestampAndMissingOptionals) {
  auto m =
      parse_envelope(R"({"topic":"io.pagure.prod.pagure.issue.new","msg":"text","timestamp":12})");
  ASSERT_TRUE(m.ok());
  EXPECT_DOUBLE_EQ(*m.value()->timestamp, 12.0);
  EXPECT_FALSE(m.value()->seq.has_value());
  EXPECT_TRUE(m.value()->msg_id.empty());
  EXPECT_EQ(m.value()->topic_suffix, "pagure.issue.new");
}

TEST(EnvelopeParser, TopicFromTransportFrame) {
  auto m = parse_envelope(R"({"msg":{}})", "org.centos.prod.ci.pipeline.complete");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m.value()->topic, "org.centos.prod.ci.pipeline.complete");
  EXPECT_EQ(m.value()->topic_suffix, "ci.pipeline.complete");
}

// The longest topic AMQP can route is the longest one accepted, from the envelope or the frame.
TEST(EnvelopeParser, ATopicOfAtMost255BytesIsAcceptedAndALongerFrameIsNot) {
  const std::string longest = "org.fedoraproject.prod." + std::string(255 - 23, 'x');
  ASSERT_EQ(longest.size(), 255u);
  auto m = parse_envelope(R"({"topic":")" + longest + R"(","msg":{}})");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m.value()->topic, longest);
  auto framed = parse_envelope(R"({"msg":{}})", longest + "x");
  ASSERT_FALSE(framed.ok());
  EXPECT_EQ(framed.error().code, ErrorCode::kBadEnvelope);
}

TEST(EnvelopeParser, TopicFromAFrameOutlivesTheFrame) {
  // A ZeroMQ frame is freed once parsed: the message keeps its own copy of the topic.
  auto frame = std::make_unique<std::string>("org.centos.prod.ci.pipeline.complete");
  auto m = parse_envelope(R"({"msg":{}})", *frame);
  ASSERT_TRUE(m.ok());
  frame->assign(frame->size(), 'x');
  frame.reset();
  EXPECT_EQ(m.value()->topic, "org.centos.prod.ci.pipeline.complete");
  EXPECT_EQ(m.value()->topic_suffix, "ci.pipeline.complete");
}

TEST(EnvelopeParser, RawControlCharactersAreRefusedWhereverTheyStand) {
  // 0x1E passes RapidJSON's SIMD string scan (it compares against 0x19), so it is checked
  // up front; the string is long enough for the scan to run.
  std::string record = R"({"topic":"org.fedoraproject.prod.git.receive","msg":{"text":")" +
                       std::string(40, 'x') + "\x1e" + std::string(40, 'y') + R"("}})";
  auto m = parse_envelope(record);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::kMalformedJson);
  EXPECT_NE(m.error().message.find("control character 0x1e at offset 101"), std::string::npos)
      << m.error().message;
  // Escaped, the same character is fine, and whitespace between tokens is too.
  auto escaped = parse_envelope("{\"topic\":\"a.b\",\r\n\t\"msg\":{\"text\":\"\\u001e\"}}");
  ASSERT_TRUE(escaped.ok()) << escaped.error().message;
}

TEST(EnvelopeParser, ALoneLowSurrogateEscapeIsRefused) {
  // RapidJSON decodes "\udfed" alone into bytes that are not UTF-8.
  auto m = parse_envelope(R"({"topic":"a.b","msg":{"text":"x\udfedy"}})");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::kMalformedJson);
  auto pair = parse_envelope(R"({"topic":"a.b","msg":{"text":"\ud83d\ude00"}})");
  ASSERT_TRUE(pair.ok()) << pair.error().message;
}

TEST(SplitTopic, NoEnvComponent) {
  std::string_view env, suffix;
  split_topic("bodhi.update.comment", env, suffix);
  EXPECT_EQ(env, "");
  EXPECT_EQ(suffix, "bodhi.update.comment");
  split_topic("org.fedoraproject.stg.buildsys.tag", env, suffix);
  EXPECT_EQ(env, "stg");
  EXPECT_EQ(suffix, "buildsys.tag");
}

struct BadInput {
  const char* name;
  std::string json;
  ErrorCode code;
  const char* says;
};

class EnvelopeParserBadInput : public testing::TestWithParam<BadInput> {};

TEST_P(EnvelopeParserBadInput, IsReportedNotThrown) {
  auto m = parse_envelope(GetParam().json);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, GetParam().code);
  EXPECT_NE(m.error().message.find(GetParam().says), std::string::npos) << m.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, EnvelopeParserBadInput,
    testing::Values(
        BadInput{"truncated", R"({"topic":"a.prod.b","msg":{"x":)", ErrorCode::kMalformedJson,
                 "offset"},
        BadInput{"msg_string_is_fine_but_no_topic", R"({"msg":"x"})", ErrorCode::kBadEnvelope,
                 "topic: missing"},
        BadInput{"i_string", R"({"topic":"a.prod.b","msg":{},"i":"3"})", ErrorCode::kBadEnvelope,
                 "i: unexpected string"},
        BadInput{"topic_number", R"({"topic":5,"msg":{}})", ErrorCode::kBadEnvelope,
                 "topic: unexpected number"},
        BadInput{"not_object", R"([1,2])", ErrorCode::kBadEnvelope, "expected an object"},
        BadInput{"invalid_utf8", "{\"topic\":\"a.prod.b\",\"msg\":\"\xff\xfe\"}",
                 ErrorCode::kMalformedJson, "invalid UTF-8 at offset 27"},
        BadInput{"trailing_garbage", R"({"topic":"a.prod.b","msg":{}} x)",
                 ErrorCode::kMalformedJson, "after the JSON value"},
        BadInput{
            "too_deep",
            R"({"topic":"a.prod.b","msg":)" + std::string(100, '[') + std::string(100, ']') + "}",
            ErrorCode::kMalformedJson, "nesting deeper"},
        BadInput{"topic_too_long",
                 R"({"topic":"org.fedoraproject.prod.)" + std::string(256, 'x') + R"(","msg":{}})",
                 ErrorCode::kBadEnvelope, "topic: 279 bytes, over 255"},
        BadInput{"too_large", R"({"topic":"a.prod.b","msg":")" + std::string(17 << 20, 'a') + "\"}",
                 ErrorCode::kTooLarge, "exceeds the limit"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(EnvelopeParser, TenMegabyteMessageParses) {
  std::string big = R"({"topic":"org.fedoraproject.prod.x.y","msg":{"text":")" +
                    std::string(10 << 20, 'z') + "\"}}";
  auto m = parse_envelope(big);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ((*m.value()->body)["text"].GetStringLength(), 10u << 20);
}

}  // namespace
}  // namespace fmn
