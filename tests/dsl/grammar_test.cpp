// The grammar's rules one by one, in the style of PEGTL's own verify_rule tables: each row
// says whether a rule matches an input, and how much of it.
#include <gtest/gtest.h>
#include <tao/pegtl/contrib/analyze.hpp>

#include <string>

#include "dsl/grammar/error_messages.h"
#include "dsl/grammar/rules.h"

namespace fmn::dsl::grammar {
namespace {

enum class Result { kMatch, kNoMatch, kRaise };

struct Row {
  std::string input;
  Result result;
  size_t rest = 0;  // bytes left unconsumed on a match
};

template <typename Rule>
void verify(const std::vector<Row>& rows) {
  for (const Row& row : rows) {
    memory_input in(row.input, "test");
    Result got;
    try {
      got = parse<Rule>(in) ? Result::kMatch : Result::kNoMatch;
    } catch (const parse_error&) {
      got = Result::kRaise;
    }
    EXPECT_EQ(static_cast<int>(got), static_cast<int>(row.result)) << "input: " << row.input;
    if (got == Result::kMatch && row.result == Result::kMatch) {
      EXPECT_EQ(in.size(), row.rest) << "input: " << row.input;
    }
  }
}

using enum Result;

TEST(Grammar, HasNoCyclesWithoutProgress) { EXPECT_EQ(analyze<file>(), 0u); }

TEST(Grammar, Layout) {
  verify<ws>({{"", kMatch}, {"  \n\t", kMatch}, {"# c\n  # d", kMatch}, {" x", kMatch, 1}});
}

TEST(Grammar, Names) {
  verify<name>({{"packages", kMatch},
                {"_x1", kMatch},
                {"in", kNoMatch},
                {"and", kNoMatch},
                {"android", kMatch},
                {"notable", kMatch},
                {"1x", kNoMatch},
                {"my-pkg", kMatch, 4}});
}

TEST(Grammar, Strings) {
  verify<string_lit>({{R"("")", kMatch},
                      {R"("a b")", kMatch},
                      {R"("a\"b")", kMatch},
                      {R"("\u00e9\n\t\\\/")", kMatch},
                      {R"("héllo")", kMatch},
                      {R"("x" y)", kMatch, 2},
                      {R"("abc)", kRaise},
                      {"\"ab\ncd\"", kRaise},
                      {R"("\q")", kRaise},
                      {R"("\u12")", kRaise},
                      {"abc", kNoMatch}});
}

TEST(Grammar, Numbers) {
  verify<number>({{"3", kMatch},
                  {"-3", kMatch},
                  {"3.25", kMatch},
                  {"1e9", kMatch},
                  {"2.5E-3", kMatch},
                  {"3.", kMatch, 1},
                  {"3x", kNoMatch},
                  {"-", kNoMatch},
                  {".5", kNoMatch}});
}

TEST(Grammar, Lists) {
  verify<list_lit>({{"[]", kMatch},
                    {R"(["a"])", kMatch},
                    {R"([ "a" , "b", ])", kMatch},
                    {"[1, 2.5, \"x\"]", kMatch},
                    {"[\n  \"a\",  # comment\n  \"b\"\n]", kMatch},
                    {"[topic]", kRaise},
                    {R"(["a" "b"])", kRaise},
                    {R"(["a")", kRaise}});
}

TEST(Grammar, Paths) {
  verify<path>({{"topic", kMatch},
                {"msg.update.title", kMatch},
                {"msg.rule.in", kMatch},
                {"msg.builds[0].nvr", kMatch},
                {R"(msg["pull-request"].id)", kMatch},
                {"msg[ 12 ]", kMatch},
                {"msg.", kRaise},
                {"msg[x]", kRaise},
                {"msg[0", kRaise},
                {"msg .a", kMatch, 3}});
}

TEST(Grammar, Params) {
  verify<param>({{"$me", kMatch}, {"$my_packages", kMatch}, {"$", kRaise}, {"$ me", kRaise}});
}

TEST(Grammar, Comparisons) {
  verify<comparison>({{R"(topic == "a")", kMatch},
                      {R"(topic=="a")", kMatch},
                      {"msg.new >= 3", kMatch},
                      {"$me in usernames", kMatch},
                      {R"(packages in ["a", "b"])", kMatch},
                      {R"(topic ~ "*.bodhi.*")", kMatch},
                      {R"(msg.x startswith "k")", kMatch},
                      {R"(msg.x matches "^a")", kMatch},
                      {"own_activity", kMatch},
                      {"inbox", kMatch},
                      {"topic ==", kRaise},
                      {R"(topic = "a")", kRaise},
                      {"topic in", kRaise}});
}

TEST(Grammar, Tests) {
  verify<expression>({{"a and b or c", kMatch},
                      {"not not a", kMatch},
                      {"(a or b) and not (c)", kMatch},
                      {"exists msg.update", kMatch},
                      {"true", kMatch},
                      {"a and", kRaise},
                      {"a or", kRaise},
                      {"(a", kRaise},
                      {"not", kRaise},
                      {"exists 3", kRaise},
                      {"!a", kRaise},
                      {"a && b", kMatch, 5}});
}

TEST(Grammar, Statements) {
  verify<file>({{"", kMatch},
                {"# only a comment\n", kMatch},
                {"def mine = agent == $me\nrule \"x\" = not mine\n", kMatch},
                {"rule \"a\" = true rule \"b\" = false", kMatch},
                {"rule \"a\" =\n  topic == \"x\"\n  and msg.a == 1 # why\n", kMatch},
                {"rule a = true", kRaise},
                {"rule \"a\" true", kRaise},
                {"def 1 = true", kRaise},
                {"rule \"a\" =", kRaise},
                {"rule \"a\" = a b", kRaise},
                {"rule \"a\" = a && b", kRaise},
                {"rules \"a\" = a", kRaise}});
}

TEST(Grammar, EveryHardFailureHasAMessage) {
  // The parser's control static_asserts this for rules it reaches; spot-check the table.
  EXPECT_NE(kErrorMessage<statement>.message, nullptr);
  EXPECT_NE(kErrorMessage<string_char>.message, nullptr);
  EXPECT_EQ(kErrorMessage<comment>.message, nullptr);
}

}  // namespace
}  // namespace fmn::dsl::grammar
