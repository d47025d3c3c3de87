#include "tests/dsl/dsl_test_support.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/envelope_parser.h"
#include "core/meta_extractor.h"
#include "dsl/formatter.h"
#include "dsl/grammar/parser.h"
#include "dsl/interpreter.h"
#include "dsl/syntax_equal.h"

namespace fmn::dsl::testing {

RuleSet compile_ok(const std::string& text) {
  SourceFile file("test.fmn", text);
  Diagnostics diags;
  auto rules = compile(file, diags);
  for (const Diagnostic& d : diags.all()) {
    if (d.severity == Severity::kError) ADD_FAILURE() << render_text(d, file.name(), file.text());
  }
  return rules ? std::move(*rules) : RuleSet{};
}

std::vector<std::string> codes(const std::string& text) {
  SourceFile file("t.fmn", text);
  Diagnostics diags;
  compile(file, diags);
  std::vector<std::string> out;
  for (const Diagnostic& d : diags.all()) out.emplace_back(d.code);
  return out;
}

bool evaluates(const std::string& test, const Message& m, const UserParams& params) {
  RuleSet rules = compile_ok("rule \"t\" = " + test);
  return !rules.rules.empty() && evaluate(rules.rules[0], m, params);
}

const CompiledRule& rule_named(const RuleSet& rules, const std::string& name) {
  for (const CompiledRule& r : rules.rules) {
    if (r.name == name) return r;
  }
  ADD_FAILURE() << "no rule named " << name;
  static const CompiledRule kNone;
  return kNone;
}

Corpus::Corpus(const std::string& file) {
  auto extractor = MetaExtractor::builtin(builtin_aliases());
  EXPECT_TRUE(extractor.ok());
  std::ifstream in(std::string(FMN_CORPUS_DIR) + "/" + file);
  std::string line;
  while (std::getline(in, line)) {
    auto m = parse_envelope(line);
    EXPECT_TRUE(m.ok());
    if (!m.ok()) continue;
    if (extractor.ok()) extractor.value()->extract(*m.value());
    messages_.push_back(std::move(m).value());
  }
}

const Corpus& Corpus::real() {
  static const Corpus corpus("fedmsg-real.jsonl");
  return corpus;
}

const Corpus& Corpus::examples() {
  static const Corpus corpus("fedmsg-test-examples.jsonl");
  return corpus;
}

std::unique_ptr<Message> message(const std::string& envelope_json) {
  auto m = parse_envelope(envelope_json);
  EXPECT_TRUE(m.ok()) << envelope_json;
  return m.ok() ? std::move(m).value() : std::make_unique<Message>();
}

UserParams params(std::string me, std::vector<std::string> my_packages) {
  UserParams p;
  p.me = std::move(me);
  p.my_packages = std::move(my_packages);
  p.normalize();
  return p;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Checks both round trips on one valid file's text.
void expect_round_trips(const std::string& name, const std::string& text) {
  SourceFile file(name, text);
  Diagnostics diags;
  Module module = parse(file, diags);
  ASSERT_FALSE(diags.has_errors()) << name;
  SourceFile formatted(name, format_module(file, module));
  Module again = parse(formatted, diags);
  ASSERT_FALSE(diags.has_errors()) << formatted.text();
  ASSERT_EQ(again.statements.size(), module.statements.size()) << name;
  for (size_t i = 0; i < module.statements.size(); ++i) {
    EXPECT_EQ(again.statements[i].name, module.statements[i].name);
    EXPECT_TRUE(syntax_equal(module, module.statements[i].body, again, again.statements[i].body))
        << name << ": " << module.statements[i].name;
  }
  EXPECT_EQ(again.comments.size(), module.comments.size()) << formatted.text();
  EXPECT_EQ(format_module(formatted, again), formatted.text()) << name << ": not idempotent";

  RuleSet rules = compile_ok(text);
  for (const CompiledRule& rule : rules.rules) {
    RuleSet reparsed = compile_ok("rule \"x\" = " + rule.canonical);
    ASSERT_EQ(reparsed.rules.size(), 1u) << rule.canonical;
    EXPECT_EQ(reparsed.rules[0].canonical, rule.canonical);
    EXPECT_EQ(reparsed.rules[0].shape, rule.shape);
  }
}

}  // namespace fmn::dsl::testing
