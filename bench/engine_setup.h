// The matching side of the service as fmn-bench's end-to-end subcommands build it: the corpus
// they replay (raw, and parsed with its meta), the built-in meta extractor, a RuleEngine over a
// generated population of `users` in a profile (prefs/population_generator.h; native code
// compiled before create() returns) and the pipeline's matcher over it.
// Building takes seconds at 100k users; the subcommands time only what follows.
//
// Immutable after create(); safe to share between threads.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <memory>
#include <string>

#include "bench/corpus_fan_out.h"
#include "bus/replay_corpus.h"
#include "core/meta_extractor.h"
#include "core/result.h"
#include "engine/rule_engine.h"
#include "pipeline/engine_matcher.h"

namespace fmn::bench {

struct EngineSetupFlags {
  size_t users = 10000;
  std::string profile = "fedora";
  std::string corpus = "corpus/fedmsg-real.jsonl";
  std::string engine = "auto";
  size_t packages = 25000;
};

// Adds --users, --profile, --corpus and --engine to a subcommand.
void add_engine_setup_options(CLI::App& cmd, EngineSetupFlags& flags);

class EngineSetup {
 public:
  // Errors: an unreadable corpus, an unknown --engine or --profile, a rule that does not
  // compile.
  static Result<std::unique_ptr<EngineSetup>> create(const EngineSetupFlags& flags);

  const bus::ReplayCorpus& corpus() const { return corpus_; }
  const MetaExtractor& meta() const { return *meta_; }
  const std::vector<MessagePtr>& messages() const { return messages_; }  // the corpus, parsed
  const engine::RuleEngine& engine() const { return *engine_; }
  const pipeline::Matcher& matcher() const { return *matcher_; }
  // Notifications per corpus message for this population.
  const FanOut& fan_out() const { return fan_out_; }
  // Two lines: the profile, users, (user, rule) pairs and the engine mode; notifications per
  // message over the corpus.
  void print_population(std::FILE* out) const;

 private:
  EngineSetup(const EngineSetupFlags& flags, bus::ReplayCorpus corpus)
      : flags_(flags), corpus_(std::move(corpus)) {}

  EngineSetupFlags flags_;
  bus::ReplayCorpus corpus_;
  std::unique_ptr<MetaExtractor> meta_;
  std::vector<MessagePtr> messages_;
  FanOut fan_out_;
  std::unique_ptr<engine::RuleEngine> engine_;
  std::unique_ptr<pipeline::EngineMatcher> matcher_;
  size_t rules_ = 0;
};

}  // namespace fmn::bench
