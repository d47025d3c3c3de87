// fmn-bench match: the rule engine's match stage alone, over the corpus, for a generated
// population (prefs/population_generator.h, --profile fedora or stress) of --users users: indexed
// matching (native code or the interpreter), the naive evaluate-every-rule baseline in the same
// run, the build time of a full generation, the time for a single-user edit to be live, compile
// time per shape at O0/O1/O2, and the engine's memory. One core, timed by the thread's CPU clock.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include "bench/bench_commands.h"
#include "bench/bench_report.h"
#include "bench/corpus_fan_out.h"
#include "bench/match_population.h"
#include "core/meta_extractor.h"
#include "dsl/codegen/shape_compiler.h"
#include "dsl/interned_string.h"
#include "engine/rule_engine.h"

namespace fmn::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct MatchFlags {
  size_t users = 10000;
  std::string profile = "fedora";
  std::string engine = "jit";
  std::string corpus = "corpus/fedmsg-real.jsonl";
  std::string opt = "O1";
  size_t packages = 25000;
  uint64_t messages = 100000;  // per repetition, at least one pass over the corpus
  int repetitions = 5;
  double naive_seconds = 2;
  bool json = false;
};

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

bool parse_opt(const std::string& text, codegen::OptLevel& level) {
  if (text == "O0")
    level = codegen::OptLevel::kO0;
  else if (text == "O1")
    level = codegen::OptLevel::kO1;
  else if (text == "O2")
    level = codegen::OptLevel::kO2;
  else
    return false;
  return true;
}

struct Throughput {
  std::vector<Run> runs;
  double candidates_per_msg = 0;
  double matches_per_msg = 0;
};

Throughput measure(const engine::Generation& gen, const std::vector<MessagePtr>& msgs,
                   const MatchFlags& flags) {
  Throughput t;
  engine::MatchScratch scratch;
  std::vector<engine::Match> out;
  uint64_t passes = std::max<uint64_t>(1, flags.messages / msgs.size());
  for (const auto& m : msgs) gen.match(*m, scratch, out);  // warm-up
  for (int rep = 0; rep < flags.repetitions; ++rep) {
    engine::MatchCounts counts;
    double start = thread_cpu_seconds();
    for (uint64_t p = 0; p < passes; ++p) {
      for (const auto& m : msgs) {
        out.clear();
        gen.match(*m, scratch, out, &counts);
      }
    }
    Run r;
    r.messages = passes * msgs.size();
    r.seconds = thread_cpu_seconds() - start;
    t.runs.push_back(r);
    t.candidates_per_msg = double(counts.candidates) / double(r.messages);
    t.matches_per_msg = double(counts.matches) / double(r.messages);
  }
  return t;
}

void run(const MatchFlags& flags) {
  auto fail = [](const std::string& what) {
    std::fprintf(stderr, "fmn-bench match: %s\n", what.c_str());
    exit_status() = 1;
  };
  engine::EngineMode mode;
  codegen::OptLevel level;
  if (!engine::parse_engine_mode(flags.engine, mode)) return fail("--engine: interp, jit or auto");
  if (!parse_opt(flags.opt, level)) return fail("--opt: O0, O1 or O2");
  prefs::PopulationProfile profile;
  if (!prefs::parse_profile(flags.profile, profile)) return fail("--profile: fedora or stress");
  auto extractor = MetaExtractor::builtin(builtin_aliases());
  if (!extractor) return fail(extractor.error().message);
  auto msgs = load_messages(flags.corpus, **extractor);
  if (!msgs || msgs->empty()) return fail(msgs ? "the corpus is empty" : msgs.error().message);
  auto vocabulary = bench_vocabulary(flags.corpus, flags.packages);
  if (!vocabulary) return fail(vocabulary.error().message);

  auto t0 = Clock::now();
  prefs::GeneratorOptions generator{.users = flags.users, .seed = 1, .profile = profile};
  prefs::Population population = prefs::generate_population(*vocabulary, generator);
  auto input = engine_input(population, prefs::group_packages(*vocabulary, generator));
  if (!input) return fail(input.error().message);
  population = {};
  std::printf(
      "population: profile %s, %zu users, %zu rules (%zu distinct texts), %zu postings; "
      "generated in %.2f s\n",
      flags.profile.c_str(), input->users.size(), input->rules, input->distinct_rules,
      input->postings, since(t0));

  // A few users to edit later, and the rules to give them.
  std::mt19937 rng(7);
  std::vector<engine::UserRules> to_edit;
  for (int i = 0; i < 21; ++i) to_edit.push_back(input->users[rng() % input->users.size()]);

  // kAuto: the build publishes at once, shapes compile behind it; jit/interp are then compared
  // on the same index.
  auto eng = engine::RuleEngine::create({engine::EngineMode::kAuto, level});
  if (!eng) return fail(eng.error().message);
  size_t rules = input->rules, postings = input->postings;
  t0 = Clock::now();
  eng.value()->replace_all(std::move(input->users));
  double build_s = since(t0);
  eng.value()->wait_idle();
  auto gen = eng.value()->current();
  engine::EngineStats stats = eng.value()->stats();
  const auto& index = gen->base().index();
  std::printf(
      "build: %.3f s; %zu rules interned, %zu shapes compiled in %.1f ms (%s); index: %zu keys, "
      "%zu globs, %zu postings, %zu always-checked\n",
      build_s, stats.rules_interned, stats.shapes_compiled, stats.compile_seconds * 1e3,
      flags.opt.c_str(), index.keys(), index.globs(), index.postings(), index.always_count());

  // Compile time per shape at each level (fresh compilers, no cache).
  std::vector<const dsl::CompiledRule*> distinct;
  for (const auto& u : to_edit) {
    for (const auto& r : u.rules) distinct.push_back(r.rule.get());
  }
  Extras extras;
  for (auto [name, l] :
       {std::pair{"O0", codegen::OptLevel::kO0}, std::pair{"O1", codegen::OptLevel::kO1},
        std::pair{"O2", codegen::OptLevel::kO2}}) {
    auto compiler = codegen::ShapeCompiler::create(l);
    codegen::CompileStats cs;
    if (compiler && (*compiler)->compile(distinct, &cs) && cs.shapes_compiled > 0) {
      double ms = cs.seconds * 1e3 / double(cs.shapes_compiled);
      std::printf("compile %s: %zu shapes, %.2f ms per shape\n", name, cs.shapes_compiled, ms);
      extras.emplace_back(std::string("compile_ms_per_shape_") + name, ms);
    }
  }

  auto jit_gen = gen->with_native(true), interp_gen = gen->with_native(false);
  Throughput jit = measure(*jit_gen, *msgs, flags);
  Throughput interp = measure(*interp_gen, *msgs, flags);
  double jit_rate = median_run(jit.runs).msgs_per_s();
  double interp_rate = median_run(interp.runs).msgs_per_s();
  std::printf("indexed, native code: %.0f msg/s; interpreter: %.0f msg/s; jit/interp %.2f\n",
              jit_rate, interp_rate, jit_rate / interp_rate);
  const Throughput& main = mode == engine::EngineMode::kInterp ? interp : jit;
  const engine::Generation& main_gen = mode == engine::EngineMode::kInterp ? *interp_gen : *jit_gen;
  double naive = naive_msgs_per_s(main_gen, *msgs, flags.naive_seconds);
  double rate = median_run(main.runs).msgs_per_s();
  std::printf("naive baseline: %.1f msg/s; speedup %.0fx\n", naive, rate / naive);
  FanOut fan_out = measure_fan_out(main_gen, *msgs);
  std::printf("notifications per message: mean %.2f, p99 %.0f, max %.0f; %.0f notifications/s\n",
              fan_out.mean, fan_out.p99, fan_out.max, rate * fan_out.mean);

  // Single-user edits, live when update() returns (the new generation is published).
  std::vector<double> edit_ms;
  for (size_t i = 0; i + 1 < to_edit.size(); ++i) {
    engine::UserRules u = to_edit[i];
    u.rules = to_edit[i + 1].rules;  // someone else's rules, with this user's parameters
    t0 = Clock::now();
    eng.value()->update({std::move(u)}, {});
    edit_ms.push_back(since(t0) * 1e3);
  }
  std::nth_element(edit_ms.begin(), edit_ms.begin() + edit_ms.size() / 2, edit_ms.end());
  double edit = edit_ms[edit_ms.size() / 2];

  auto live = eng.value()->current();
  size_t index_bytes = live->base().bytes() + live->delta().bytes();
  size_t user_bytes = live->base().users().bytes() + live->delta().users().bytes();
  // The parameters' texts, each stored once in the process' pool.
  user_bytes += dsl::InternedString::pool_bytes();
  // The writer's slots by user id count with the index.
  index_bytes += eng.value()->bookkeeping_bytes();
  size_t rule_bytes = live->table().bytes(), code_bytes = eng.value()->code_bytes();
  size_t engine_bytes = index_bytes + user_bytes + rule_bytes + code_bytes;
  double budget = 128.0 * double(rules) + 16.0 * double(postings);
  std::printf(
      "edit live: %.3f ms (median of %zu)\nmemory: %zu bytes (index, records and slots %zu, users "
      "with their parameters %zu, rules %zu, code %zu): %.1f bytes/rule; budget %.0f (%s)\n",
      edit, edit_ms.size(), engine_bytes, index_bytes, user_bytes, rule_bytes, code_bytes,
      double(engine_bytes) / double(rules), budget,
      double(engine_bytes) <= budget ? "within" : "over");
  double ns_per_match =
      main.matches_per_msg > 0 ? median_run(main.runs).ns_per_msg() / main.matches_per_msg : 0;
  extras.insert(extras.begin(), {{"users", double(flags.users)},
                                 {"stress_profile", profile == prefs::PopulationProfile::kStress},
                                 {"notifications_per_msg", fan_out.mean},
                                 {"notifications_per_msg_p99", fan_out.p99},
                                 {"notifications_per_s", rate * fan_out.mean},
                                 {"rules", double(rules)},
                                 {"naive_msgs_per_s", naive},
                                 {"speedup_vs_naive", rate / naive},
                                 {"candidates_per_msg", main.candidates_per_msg},
                                 {"matches_per_msg", main.matches_per_msg},
                                 {"ns_per_match", ns_per_match},
                                 {"build_s", build_s},
                                 {"edit_ms", edit},
                                 {"engine_bytes", double(engine_bytes)},
                                 {"postings", double(postings)},
                                 {"index_postings", double(index.postings())},
                                 {"bytes_per_rule", double(engine_bytes) / double(rules)},
                                 {"memory_budget_bytes", budget},
                                 {"always_checked", double(index.always_count())},
                                 {"shapes", double(stats.shapes_compiled)},
                                 {"jit_msgs_per_s", jit_rate},
                                 {"interp_msgs_per_s", interp_rate},
                                 {"jit_vs_interp", jit_rate / interp_rate}});
  print_report(stdout, "match", main.runs, flags.json, extras);
}

}  // namespace

void add_match_command(CLI::App& app) {
  auto flags = std::make_shared<MatchFlags>();
  CLI::App* cmd = app.add_subcommand(
      "match",
      "Rule engine match stage: indexed (native or interpreted) vs the naive baseline, "
      "build time, edit latency, memory, for a generated population");
  cmd->add_option("--users", flags->users, "Users in the generated population");
  cmd->add_option("--profile", flags->profile, "Population: fedora or stress")
      ->capture_default_str();
  cmd->add_option("--engine", flags->engine, "interp, jit or auto: the tier of the main figure");
  cmd->add_option("--opt", flags->opt, "Optimisation level of native code: O0, O1 or O2");
  cmd->add_option("--corpus", flags->corpus, "JSON-lines messages (with .expected.jsonl beside)");
  cmd->add_option("--packages", flags->packages, "Package universe (corpus names + synthetic)");
  cmd->add_option("--messages", flags->messages, "Messages per repetition (at least the corpus)");
  cmd->add_option("--repetitions", flags->repetitions, "Repetitions (the median is reported)");
  cmd->add_option("--naive-seconds", flags->naive_seconds, "CPU time given to the naive baseline");
  cmd->add_flag("--json", flags->json, "Last line: one JSON object with every figure");
  cmd->callback([flags] { run(*flags); });
}

}  // namespace fmn::bench
