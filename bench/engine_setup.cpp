#include "bench/engine_setup.h"

#include "bench/match_population.h"

namespace fmn::bench {

void add_engine_setup_options(CLI::App& cmd, EngineSetupFlags& flags) {
  cmd.add_option("--users", flags.users, "Generated users")->capture_default_str();
  cmd.add_option("--corpus", flags.corpus, "JSON-lines corpus")->capture_default_str();
  cmd.add_option("--engine", flags.engine, "interp, jit or auto")->capture_default_str();
}

Result<std::unique_ptr<EngineSetup>> EngineSetup::create(const EngineSetupFlags& flags) {
  engine::EngineOptions engine_options;
  if (!engine::parse_engine_mode(flags.engine, engine_options.mode)) {
    return Error{ErrorCode::kInvalidConfig, "--engine: interp, jit or auto"};
  }
  auto corpus = bus::ReplayCorpus::load_file(flags.corpus);
  if (!corpus) return corpus.error();
  std::unique_ptr<EngineSetup> setup(new EngineSetup(flags, std::move(corpus).value()));
  auto meta = MetaExtractor::builtin(builtin_aliases());
  if (!meta) return meta.error();
  setup->meta_ = std::move(meta).value();
  auto vocabulary = bench_vocabulary(flags.corpus, flags.packages);
  if (!vocabulary) return vocabulary.error();
  auto input = engine_input(prefs::generate_population(*vocabulary, {.users = flags.users}));
  if (!input) return input.error();
  auto eng = engine::RuleEngine::create(engine_options);
  if (!eng) return eng.error();
  setup->engine_ = std::move(eng).value();
  setup->rules_ = input->rules;
  setup->engine_->replace_all(std::move(input->users));
  setup->engine_->wait_idle();
  setup->matcher_ = std::make_unique<pipeline::EngineMatcher>(*setup->engine_);
  return setup;
}

void EngineSetup::print_population(std::FILE* out) const {
  std::fprintf(out, "population: %zu users, %zu rules; engine %s\n", flags_.users, rules_,
               flags_.engine.c_str());
}

}  // namespace fmn::bench
