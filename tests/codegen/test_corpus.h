// Test support shared by tests/codegen and tests/engine: the recorded corpus as parsed messages
// (meta extracted with the built-in table), and a random sampler of valid rules and user
// parameters built from the corpus' own values (topics, usernames, packages, body paths), so
// tests reach every kind of leaf test with values that do and do not occur.
#pragma once

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/message.h"
#include "dsl/program.h"
#include "dsl/user_params.h"

namespace fmn::testing_support {

// Every message of corpus/fedmsg-real.jsonl and corpus/fedmsg-test-examples.jsonl.
const std::vector<std::unique_ptr<Message>>& corpus_messages();
// The same messages as the pipeline has them: only the index part of the meta extracted
// (MetaParts::kIndex), the deferred fields left to Message::complete_meta(). Loaded anew each
// call, so that nothing is completed yet.
std::vector<std::unique_ptr<Message>> corpus_messages_index_meta();

// One rule from `text` (a whole rule file with one rule), or nullptr when it does not compile.
std::shared_ptr<const dsl::CompiledRule> compile_one(const std::string& text);

class RuleSampler {
 public:
  explicit RuleSampler(uint32_t seed);

  // The source of one random rule named `name`: and/or/not over random leaf tests.
  std::string rule_text(const std::string& name);
  // `count` rules that compile (random texts the checker rejects are skipped).
  std::vector<std::shared_ptr<const dsl::CompiledRule>> rules(size_t count);
  // Random parameters: $me, lists and the named lists $lists.friends and $lists.pkgs drawn
  // from the corpus, $lists.globs and $lists.regexes of patterns (sometimes empty or absent).
  // Normalised.
  dsl::UserParams params();

 private:
  std::string atom();
  std::string expr(int depth);
  const std::string& pick(const std::vector<std::string>& from);
  std::string string_list(const std::vector<std::string>& from);

  std::mt19937 rng_;
  std::vector<std::string> topics_, categories_, usernames_, packages_, words_;
  std::vector<std::pair<std::string, std::string>> string_paths_;  // path text, a value seen
  std::vector<std::pair<std::string, std::string>> array_paths_;   // those going through [0]
  std::vector<std::pair<std::string, double>> number_paths_;
};

}  // namespace fmn::testing_support
