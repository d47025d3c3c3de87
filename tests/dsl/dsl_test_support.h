// Shared by the rule-language tests: compiling rule text, and corpus messages with their meta
// derived by the built-in extractor, as the pipeline sees them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/message.h"
#include "dsl/compile.h"
#include "dsl/user_params.h"

namespace fmn::dsl::testing {

// Compiles `text`; fails the current test (and returns no rules) on any error.
RuleSet compile_ok(const std::string& text);
// The ids (E0201, W0005...) of every diagnostic compiling `text` reports, in order.
std::vector<std::string> codes(const std::string& text);
// Whether `rule "t" = <test>` matches `m` for `params`; fails the test if it does not compile.
bool evaluates(const std::string& test, const Message& m, const UserParams& params);
// The rule named `name` of `rules`; fails the test if there is none.
const CompiledRule& rule_named(const RuleSet& rules, const std::string& name);

// Every line of a corpus JSON-lines file, parsed, meta extracted.
class Corpus {
 public:
  static const Corpus& real();      // corpus/fedmsg-real.jsonl
  static const Corpus& examples();  // corpus/fedmsg-test-examples.jsonl
  // REQUIRES: 1 <= line <= size().
  const Message& line(size_t line) const { return *messages_[line - 1]; }
  size_t size() const { return messages_.size(); }

 private:
  explicit Corpus(const std::string& file);
  std::vector<std::unique_ptr<Message>> messages_;
};

// A message from an envelope, meta left for the test to set.
std::unique_ptr<Message> message(const std::string& envelope_json);

UserParams params(std::string me, std::vector<std::string> my_packages = {});

std::string read_file(const std::string& path);

// For a valid file's text: the formatter's output parses to the same rules (comments kept)
// and formats to itself; each rule's canonical text compiles back to the same canonical text
// and shape.
void expect_round_trips(const std::string& name, const std::string& text);

}  // namespace fmn::dsl::testing
