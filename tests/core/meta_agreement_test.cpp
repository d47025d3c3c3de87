// Agreement of the built-in meta table with fedmsg.meta's ground truth (corpus/*.expected.jsonl).
//
// For each corpus file: per field, how many lines carry the field and how many agree exactly
// (lists compared as sets), printed as a table, followed by every mismatch. Fails when a field
// falls below its threshold. docs/meta-extraction.md explains the mismatches left.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "core/envelope_parser.h"
#include "core/meta_extractor.h"

namespace fmn {
namespace {

struct FieldSpec {
  const char* name;
  double threshold;  // percent of lines exact; 0 = reported only
};

constexpr FieldSpec kFields[] = {
    {"usernames", 95}, {"packages", 95}, {"agent", 95}, {"objects", 95},
    {"link", 90},      {"subtitle", 85}, {"title", 0},
};

std::string to_text(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  v.Accept(w);
  return buffer.GetString();
}

// What we derived for `field`, as JSON text; lists sorted (they already are).
std::string got_text(const Meta& meta, std::string_view field) {
  rapidjson::Document doc;
  doc.Parse(meta_to_json(meta).c_str());
  return to_text(doc[std::string(field).c_str()]);
}

// The expected value as JSON text, lists sorted and unique (they are sets).
std::string expected_text(const rapidjson::Value& v) {
  if (!v.IsArray()) return to_text(v);
  std::vector<std::string> items;
  for (const auto& item : v.GetArray()) items.push_back(to_text(item));
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
  return out + "]";
}

struct Tally {
  int compared = 0, exact = 0;
};

void check_file(const std::string& name) {
  auto meta = MetaExtractor::builtin(builtin_aliases());
  ASSERT_TRUE(meta.ok()) << meta.error().message;
  std::ifstream messages(std::string(FMN_CORPUS_DIR) + "/" + name + ".jsonl");
  std::ifstream expectations(std::string(FMN_CORPUS_DIR) + "/" + name + ".expected.jsonl");
  ASSERT_TRUE(messages && expectations) << name;

  std::vector<Tally> tallies(std::size(kFields));
  std::vector<std::string> mismatches;
  std::string line, expected_line;
  for (int n = 1; std::getline(messages, line) && std::getline(expectations, expected_line); ++n) {
    rapidjson::Document expected;
    expected.Parse(expected_line.c_str());
    ASSERT_FALSE(expected.HasParseError()) << name << ".expected.jsonl:" << n;
    if (!expected.HasMember("expect")) continue;
    const rapidjson::Value& expect = expected["expect"];
    auto m = parse_envelope(line);
    ASSERT_TRUE(m.ok()) << name << ":" << n << ": " << m.error().message;
    meta.value()->extract(*m.value());
    for (size_t f = 0; f < std::size(kFields); ++f) {
      if (!expect.HasMember(kFields[f].name)) continue;
      std::string want = expected_text(expect[kFields[f].name]);
      std::string got = got_text(m.value()->meta, kFields[f].name);
      ++tallies[f].compared;
      if (want == got) {
        ++tallies[f].exact;
      } else {
        mismatches.push_back(name + ":" + std::to_string(n) + " " + kFields[f].name +
                             "\n    expected " + want + "\n    got      " + got);
      }
    }
  }
  std::printf("\n%s: agreement with fedmsg.meta\n  %-10s %8s %8s %8s %8s\n", name.c_str(), "field",
              "lines", "exact", "%", "needed");
  for (size_t f = 0; f < std::size(kFields); ++f) {
    const Tally& t = tallies[f];
    double percent = t.compared ? 100.0 * t.exact / t.compared : 100.0;
    std::printf("  %-10s %8d %8d %8.1f %8.0f\n", kFields[f].name, t.compared, t.exact, percent,
                kFields[f].threshold);
  }
  std::printf("%s: %zu mismatches\n", name.c_str(), mismatches.size());
  for (const std::string& mismatch : mismatches) std::printf("  %s\n", mismatch.c_str());
  for (size_t f = 0; f < std::size(kFields); ++f) {
    const Tally& t = tallies[f];
    if (t.compared == 0) continue;
    EXPECT_GE(100.0 * t.exact / t.compared, kFields[f].threshold)
        << name << ": " << kFields[f].name << " " << t.exact << "/" << t.compared;
  }
}

TEST(MetaAgreement, RecordedMessages) { check_file("fedmsg-real"); }

TEST(MetaAgreement, TestSuiteExamples) { check_file("fedmsg-test-examples"); }

}  // namespace
}  // namespace fmn
