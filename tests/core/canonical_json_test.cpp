// canonical_json() against Python itself: every line of both corpus files, and hand-written
// edge cases (escapes, non-ASCII, floats, big integers, repeated keys), must come out byte for
// byte as /usr/bin/python3's json.dumps(json.loads(line), sort_keys=True, separators=(",", ":")).
#include "core/canonical_json.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace fmn {
namespace {

using test::ChildProcess;
using test::SpawnOptions;
using test::TempDir;

constexpr const char* kPythonDumps = R"(
import json, sys
with open(sys.argv[1], "rb") as lines, open(sys.argv[2], "w", encoding="ascii") as out:
    for line in lines:
        out.write(json.dumps(json.loads(line), sort_keys=True, separators=(",", ":")) + "\n")
)";

std::vector<std::string> read_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// What Python prints for each line of `jsonl`, one run of the interpreter for the whole file.
Result<std::vector<std::string>> python_dumps(const std::filesystem::path& jsonl) {
  auto dir = TempDir::create("canonical-json");
  if (!dir) return dir.error();
  SpawnOptions python;
  python.argv = {"/usr/bin/python3", "-c", kPythonDumps, jsonl.string(), (*dir / "out").string()};
  python.log = *dir / "python.log";
  if (auto ran = ChildProcess::run(python, std::chrono::seconds(60)); !ran) return ran.error();
  return read_lines(*dir / "out");
}

void expect_python_agrees(const std::filesystem::path& jsonl) {
  auto expected = python_dumps(jsonl);
  ASSERT_TRUE(expected.ok()) << expected.error().message;
  std::vector<std::string> lines = read_lines(jsonl);
  ASSERT_EQ(expected->size(), lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    auto value = parse_py_json(lines[i]);
    ASSERT_TRUE(value.ok()) << jsonl << ":" << i + 1 << ": " << value.error().message;
    EXPECT_EQ(canonical_json(*value), (*expected)[i]) << jsonl << ":" << i + 1;
  }
}

TEST(CanonicalJson, EveryRecordedMessageAsPythonPrintsIt) {
  expect_python_agrees(std::string(FMN_CORPUS_DIR) + "/fedmsg-real.jsonl");
}

TEST(CanonicalJson, EveryExampleMessageAsPythonPrintsIt) {
  expect_python_agrees(std::string(FMN_CORPUS_DIR) + "/fedmsg-test-examples.jsonl");
}

TEST(CanonicalJson, EdgeCasesAsPythonPrintsThem) {
  const std::vector<std::string> cases = {
      // Escapes: the short ones, other controls, DEL, quote, backslash; "/" stays.
      R"({"s":"\"\\\/\b\f\n\r\t\u0000\u0001\u001f\u007f x"})",
      // Non-ASCII: 2-, 3- and 4-byte UTF-8, raw and escaped; a lone low surrogate, which
      // json.loads keeps.
      R"(["é", "☃", "😀", "\u00e9\u2603\ud83d\ude00", "\udc00", "\uffff"])",
      // Keys sorted by code point; a repeated key keeps its last value, as in a dict.
      R"({"z":1,"a":2,"é":3,"😀":4,"\uffff":5,"A":6,"":7,"a":8})",
      // Floats as repr() prints them, around the switches to exponent notation.
      "[1e16, 1e15, 9999999999999998.0, 1e-5, 1e-4, 0.0001, 0.1, -0.0, 0.0, 1.5, 1E+2, 123e-2]",
      "[1504643038.0, 1504642719.23539, 2.5e-5, 1e22, 1.7976931348623157e308, 5e-324, 1e-400]",
      "[-1e-400, 0.1e1, 100.0, 3.141592653589793, 1.0000000000000002, 123456789.123456789]",
      "[2e308, -2e308, 1e308]",
      // Integers are exact at any size; minus zero is zero.
      "[0, -0, 1, -1, 9223372036854775807, 9223372036854775808, -9223372036854775809]",
      "[18446744073709551616, 123456789012345678901234567890123456789012345678901234567890]",
      // Literals, empties, nesting; whitespace around everything.
      " { \"n\" : null , \"t\" : true , \"f\" : false , \"o\" : { } , \"a\" : [ ] , \"s\" : \"\" "
      "} ",
      R"({"deep":{"er":[{"x":[1,[2,[3]]]}]}})",
  };
  auto dir = TempDir::create("canonical-json-cases");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  const std::filesystem::path file = *dir / "cases.jsonl";
  {
    std::ofstream out(file);
    for (const std::string& c : cases) out << c << "\n";
  }
  expect_python_agrees(file);
}

TEST(CanonicalJson, MalformedInputIsAnError) {
  // A lone high surrogate is one: RapidJSON refuses it (json.loads would not), as does the
  // envelope parser, so no message carrying one gets this far.
  for (const char* bad : {"", "{", "[1,]", "{\"a\" 1}", "\"\\ud800\"", "nan", "1 2", "\"\xff\""}) {
    auto value = parse_py_json(bad);
    ASSERT_FALSE(value.ok()) << bad;
    EXPECT_EQ(value.error().code, ErrorCode::kMalformedJson) << bad;
  }
  std::string deep(65, '[');
  deep += std::string(65, ']');
  auto too_deep = parse_py_json(deep);
  ASSERT_FALSE(too_deep.ok());
  EXPECT_EQ(too_deep.error().message, "nesting deeper than 64 levels");
  EXPECT_TRUE(parse_py_json(deep, 65).ok());
}

TEST(CanonicalJson, MembersAreFoundAndErasedAsInADict) {
  auto value = parse_py_json(R"({"a":1,"b":2,"a":3})");
  ASSERT_TRUE(value.ok()) << value.error().message;
  ASSERT_NE(value->find("a"), nullptr);
  EXPECT_EQ(value->find("a")->text, "3");
  EXPECT_EQ(value->find("c"), nullptr);
  value->erase("a");
  EXPECT_EQ(value->find("a"), nullptr);
  EXPECT_EQ(canonical_json(*value), R"({"b":2})");
}

}  // namespace
}  // namespace fmn
