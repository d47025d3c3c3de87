#include "bench/engine_setup.h"

#include "bench/match_population.h"

namespace fmn::bench {

void add_engine_setup_options(CLI::App& cmd, EngineSetupFlags& flags) {
  cmd.add_option("--users", flags.users, "Generated users")->capture_default_str();
  cmd.add_option("--profile", flags.profile, "Population: fedora or stress")->capture_default_str();
  cmd.add_option("--corpus", flags.corpus, "JSON-lines corpus")->capture_default_str();
  cmd.add_option("--engine", flags.engine, "interp, jit or auto")->capture_default_str();
}

Result<std::unique_ptr<EngineSetup>> EngineSetup::create(const EngineSetupFlags& flags) {
  engine::EngineOptions engine_options;
  if (!engine::parse_engine_mode(flags.engine, engine_options.mode)) {
    return Error{ErrorCode::kInvalidConfig, "--engine: interp, jit or auto"};
  }
  prefs::GeneratorOptions generator{.users = flags.users};
  if (!prefs::parse_profile(flags.profile, generator.profile)) {
    return Error{ErrorCode::kInvalidConfig, "--profile: fedora or stress"};
  }
  auto corpus = bus::ReplayCorpus::load_file(flags.corpus);
  if (!corpus) return corpus.error();
  std::unique_ptr<EngineSetup> setup(new EngineSetup(flags, std::move(corpus).value()));
  auto meta = MetaExtractor::builtin(builtin_aliases());
  if (!meta) return meta.error();
  setup->meta_ = std::move(meta).value();
  auto messages = load_messages(flags.corpus, *setup->meta_);
  if (!messages) return messages.error();
  setup->messages_ = std::move(messages).value();
  auto vocabulary = bench_vocabulary(flags.corpus, flags.packages);
  if (!vocabulary) return vocabulary.error();
  auto input = engine_input(prefs::generate_population(*vocabulary, generator),
                            prefs::group_packages(*vocabulary, generator));
  if (!input) return input.error();
  auto eng = engine::RuleEngine::create(engine_options);
  if (!eng) return eng.error();
  setup->engine_ = std::move(eng).value();
  setup->rules_ = input->rules;
  setup->engine_->replace_all(std::move(input->users));
  setup->engine_->wait_idle();
  setup->fan_out_ = measure_fan_out(*setup->engine_->current(), setup->messages_);
  setup->matcher_ = std::make_unique<pipeline::EngineMatcher>(*setup->engine_);
  return setup;
}

void EngineSetup::print_population(std::FILE* out) const {
  std::fprintf(out, "population: profile %s, %zu users, %zu rules; engine %s\n",
               flags_.profile.c_str(), flags_.users, rules_, flags_.engine.c_str());
  std::fprintf(out, "notifications per message over the corpus: mean %.2f, p99 %.0f, max %.0f\n",
               fan_out_.mean, fan_out_.p99, fan_out_.max);
}

}  // namespace fmn::bench
