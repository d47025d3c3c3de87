// Differential test: native code and the reference interpreter agree on every corpus message,
// for a large random rule set (every kind of test, negations, regexes, globs, missing fields,
// wrong types) and several users, at every optimisation level.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/envelope_parser.h"
#include "core/meta_extractor.h"
#include "dsl/codegen/shape_compiler.h"
#include "dsl/interpreter.h"
#include "tests/codegen/test_corpus.h"

namespace fmn::codegen {
namespace {

using testing_support::corpus_messages;

class JitAtLevel : public testing::TestWithParam<OptLevel> {};

TEST_P(JitAtLevel, AgreesWithTheInterpreterOnTheCorpus) {
  testing_support::RuleSampler sampler(GetParam() == OptLevel::kO0 ? 11 : 12);
  auto rules = sampler.rules(1500);
  ASSERT_EQ(rules.size(), 1500u);
  std::vector<dsl::UserParams> users;
  for (int i = 0; i < 4; ++i) users.push_back(sampler.params());
  auto compiler = ShapeCompiler::create(GetParam());
  ASSERT_TRUE(compiler.ok()) << compiler.error().message;
  std::vector<const dsl::CompiledRule*> pointers;
  for (const auto& r : rules) pointers.push_back(r.get());
  auto fns = (*compiler)->compile(pointers);
  ASSERT_TRUE(fns.ok()) << fns.error().message;
  size_t matches = 0, evaluations = 0, rules_ignoring_case = 0, their_matches = 0;
  size_t quantified_rules = 0, quantified_matches = 0, list_rules = 0, list_matches = 0;
  size_t pattern_rules = 0, pattern_matches = 0;
  for (size_t r = 0; r < rules.size(); ++r) {
    bool ignoring_case =
        std::any_of(rules[r]->atoms.begin(), rules[r]->atoms.end(), [](const dsl::Atom& a) {
          return a.kind == dsl::Atom::Kind::kCompare && dsl::ignores_case(a.op);
        });
    rules_ignoring_case += ignoring_case;
    bool quantified =
        std::any_of(rules[r]->atoms.begin(), rules[r]->atoms.end(),
                    [](const dsl::Atom& a) { return a.quantifier != dsl::Quantifier::kNone; });
    quantified_rules += quantified;
    const bool reads_lists = !rules[r]->lists.empty();
    list_rules += reads_lists;
    bool list_patterns =
        std::any_of(rules[r]->atoms.begin(), rules[r]->atoms.end(), [](const dsl::Atom& a) {
          return a.rhs.kind == dsl::OperandRef::Kind::kUserList && dsl::pattern_kind(a.op);
        });
    pattern_rules += list_patterns;
    for (const auto& m : corpus_messages()) {
      for (const dsl::UserParams& p : users) {
        bool expected = dsl::evaluate(*rules[r], *m, p);
        const dsl::ParamsView view = p;
        bool got = fns.value()[r](m.get(), &view, rules[r].get());
        ASSERT_EQ(got, expected) << rules[r]->canonical << "\n on " << m->topic;
        matches += got;
        their_matches += got && ignoring_case;
        quantified_matches += got && quantified;
        list_matches += got && reads_lists;
        pattern_matches += got && list_patterns;
        ++evaluations;
      }
    }
  }
  // The operators that ignore case are among the tests, and decide some outcomes.
  EXPECT_GT(rules_ignoring_case, rules.size() / 10);
  EXPECT_GT(their_matches, 0u);
  // So are `any` and `all`.
  EXPECT_GT(quantified_rules, rules.size() / 10);
  EXPECT_GT(quantified_matches, 0u);
  // So are the user's named lists ($lists.friends, and $lists.missing that nobody has).
  EXPECT_GT(list_rules, rules.size() / 20);
  EXPECT_GT(list_matches, 0u);
  // So are patterns from them ($lists.globs, $lists.regexes).
  EXPECT_GT(pattern_rules, rules.size() / 40);
  EXPECT_GT(pattern_matches, 0u);
  // Both outcomes are well represented, or the comparison proves little.
  EXPECT_GT(matches, evaluations / 50);
  EXPECT_LT(matches, evaluations / 2);
}

INSTANTIATE_TEST_SUITE_P(Levels, JitAtLevel,
                         testing::Values(OptLevel::kO0, OptLevel::kO1, OptLevel::kO2));

// fedora-messaging's severity, by name and by number, on messages with each level and none.
TEST(JitSeverity, AgreesWithTheInterpreter) {
  auto extractor = MetaExtractor::builtin();
  ASSERT_TRUE(extractor.ok());
  std::vector<std::unique_ptr<Message>> messages;
  for (std::string headers : {"", R"("headers":{"fedora_messaging_severity":10},)",
                              R"("headers":{"fedora_messaging_severity":20},)",
                              R"("headers":{"fedora_messaging_severity":30},)",
                              R"("headers":{"fedora_messaging_severity":40},)"}) {
    auto m = parse_envelope(
        "{" + headers + R"("topic":"org.fedoraproject.prod.bodhi.update.comment","msg":{}})", "");
    ASSERT_TRUE(m.ok()) << m.error().message;
    (*extractor)->extract(**m);
    messages.push_back(std::move(m).value());
  }
  const std::vector<std::pair<std::string, std::vector<bool>>> cases = {
      {"severity >= warning", {false, false, false, true, true}},
      {"severity == info", {false, false, true, false, false}},
      {"severity < 30", {false, true, true, false, false}},
      {"not severity < error", {true, false, false, false, true}},
      {"severity != debug and category == \"bodhi\"", {true, false, true, true, true}},
  };
  auto compiler = ShapeCompiler::create(OptLevel::kO1);
  ASSERT_TRUE(compiler.ok());
  dsl::UserParams params;
  const dsl::ParamsView view = params;
  for (const auto& [text, expected] : cases) {
    auto rule = testing_support::compile_one("rule \"r\" = " + text + "\n");
    ASSERT_NE(rule, nullptr) << text;
    auto fns = (*compiler)->compile({rule.get()});
    ASSERT_TRUE(fns.ok()) << fns.error().message;
    for (size_t i = 0; i < messages.size(); ++i) {
      EXPECT_EQ(dsl::evaluate(*rule, *messages[i], params), expected[i]) << text << " #" << i;
      EXPECT_EQ(fns.value()[0](messages[i].get(), &view, rule.get()), expected[i])
          << text << " #" << i;
    }
  }
}

TEST(ShapeCompiler, CompilesEachShapeOnce) {
  auto a =
      testing_support::compile_one("rule \"a\" = topic ~ \"*.bodhi.*\" and $me in usernames\n");
  auto b = testing_support::compile_one("rule \"b\" = topic ~ \"*.git.*\" and $me in usernames\n");
  auto c = testing_support::compile_one("rule \"c\" = topic == \"x\"\n");
  auto d = testing_support::compile_one("rule \"d\" = msg.a == \"x\"\n");
  auto e = testing_support::compile_one("rule \"e\" = msg.a == 3\n");
  ASSERT_TRUE(a && b && c && d && e);
  auto compiler = ShapeCompiler::create(OptLevel::kO1);
  ASSERT_TRUE(compiler.ok());
  CompileStats stats;
  auto first = (*compiler)->compile({a.get(), b.get(), c.get()}, &stats);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(stats.shapes_compiled, 2u);
  EXPECT_EQ(first.value()[0], first.value()[1]);
  auto second = (*compiler)->compile({b.get(), d.get(), e.get()}, &stats);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(stats.shapes_compiled, 2u);  // same shape text, constants of different kinds
  EXPECT_EQ(second.value()[0], first.value()[0]);
  EXPECT_EQ((*compiler)->cached_shapes(), 4u);
}

}  // namespace
}  // namespace fmn::codegen
