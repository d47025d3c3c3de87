// fmn-bench rules: the rule language's costs on one core. (1) Front end: parse + check + lower
// of typical rules (each rule of FMN's classic catalogue compiled on its own) and of FMN's
// defaults file. (2) Reference interpreter: evaluations per second over the corpus, for FMN's
// default rules and a population of users, and for the classic catalogue.
#include <cstdio>
#include <string>
#include <vector>

#include "bench/bench_commands.h"
#include "bench/bench_report.h"
#include "core/envelope_parser.h"
#include "core/meta_extractor.h"
#include "dsl/compile.h"
#include "dsl/interpreter.h"

namespace fmn::bench {
namespace {

struct RulesFlags {
  std::vector<std::string> corpora;
  std::string classic;
  int repetitions = 7;
  int users = 16;
  bool json = false;
};

std::string read_text(const std::string& path) {
  std::string text;
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    char buf[65536];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
    std::fclose(f);
  }
  return text;
}

// The classic catalogue split into one source per rule (each begins at a line "rule ...").
std::vector<std::string> one_rule_sources(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while ((pos = text.find("\nrule ", pos)) != std::string::npos) {
    size_t next = text.find("\nrule ", pos + 1);
    out.push_back(text.substr(pos + 1, next == std::string::npos ? next : next - pos - 1));
    pos = pos + 1;
  }
  return out;
}

// Median CPU time, in µs, to compile each of `sources`.
double compile_us(const std::vector<std::string>& sources, int repetitions, size_t& rules) {
  std::vector<Run> runs;
  for (int rep = 0; rep <= repetitions; ++rep) {
    rules = 0;
    double start = thread_cpu_seconds();
    for (const std::string& s : sources) {
      dsl::Diagnostics diags;
      auto compiled = dsl::compile(dsl::SourceFile("bench.fmn", s), diags);
      rules += compiled ? compiled->rules.size() : 0;
    }
    if (rep > 0) runs.push_back({sources.size(), 0, thread_cpu_seconds() - start});  // 0: warm-up
  }
  return median_run(runs).ns_per_msg() / 1000;
}

std::vector<std::unique_ptr<Message>> load_messages(const std::vector<std::string>& paths) {
  auto extractor = MetaExtractor::builtin(builtin_aliases());
  std::vector<std::unique_ptr<Message>> out;
  for (const std::string& path : paths) {
    std::string text = read_text(path);
    size_t pos = 0;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string::npos) end = text.size();
      auto m = parse_envelope(std::string_view(text).substr(pos, end - pos));
      if (m) {
        if (extractor) extractor.value()->extract(*m.value());
        out.push_back(std::move(m).value());
      }
      pos = end + 1;
    }
  }
  return out;
}

// Users drawn from the corpus: the i-th has the i-th account seen and a slice of its packages.
std::vector<dsl::UserParams> population(const std::vector<std::unique_ptr<Message>>& messages,
                                        int count) {
  std::vector<std::string> accounts, packages;
  for (const auto& m : messages) {
    accounts.insert(accounts.end(), m->meta.usernames.begin(), m->meta.usernames.end());
    packages.insert(packages.end(), m->meta.packages.begin(), m->meta.packages.end());
  }
  std::vector<dsl::UserParams> users(static_cast<size_t>(count));
  for (size_t i = 0; i < users.size(); ++i) {
    users[i].me = accounts.empty() ? "nobody" : accounts[(i * 7) % accounts.size()];
    for (size_t k = 0; k < 20 && !packages.empty(); ++k) {
      users[i].my_packages.push_back(packages[(i * 20 + k) % packages.size()]);
    }
    users[i].normalize();
  }
  return users;
}

// Every rule for every user on every message, per repetition; one Run counts evaluations.
std::vector<Run> measure_eval(const dsl::RuleSet& rules,
                              const std::vector<std::unique_ptr<Message>>& messages,
                              const std::vector<dsl::UserParams>& users, int repetitions,
                              uint64_t& matches) {
  std::vector<Run> runs;
  for (int rep = 0; rep <= repetitions; ++rep) {
    matches = 0;
    double start = thread_cpu_seconds();
    for (const auto& m : messages) {
      for (const dsl::UserParams& u : users) {
        for (const dsl::CompiledRule& r : rules.rules) matches += dsl::evaluate(r, *m, u);
      }
    }
    uint64_t evaluations = messages.size() * users.size() * rules.rules.size();
    if (rep > 0) runs.push_back({evaluations, 0, thread_cpu_seconds() - start});
  }
  return runs;
}

void run(const RulesFlags& flags) {
  std::string classic_text = read_text(flags.classic);
  std::vector<std::string> singles = one_rule_sources(classic_text);
  dsl::Diagnostics diags;
  auto defaults = dsl::compile(dsl::default_rules_source(), diags);
  auto classic = dsl::compile(dsl::SourceFile(flags.classic, classic_text), diags);
  auto messages = load_messages(flags.corpora);
  if (singles.empty() || !defaults || !classic || messages.empty()) {
    std::fprintf(stderr, "fmn-bench rules: cannot load the rules or the corpus\n");
    exit_status() = 1;
    return;
  }

  size_t rules = 0;
  double typical = compile_us(singles, flags.repetitions, rules);
  std::printf(
      "rules compile: %zu one-rule sources (%zu rules): %.2f us per rule (parse + check "
      "+ lower, median of %d)\n",
      singles.size(), rules, typical, flags.repetitions);
  double defaults_us =
      compile_us({dsl::default_rules_source().text()}, flags.repetitions * 20, rules);
  std::printf("rules compile: fmn-defaults.fmn (%zu rules, %zu bytes): %.1f us per file\n", rules,
              dsl::default_rules_source().text().size(), defaults_us);

  std::vector<dsl::UserParams> users = population(messages, flags.users);
  std::vector<dsl::UserParams> one_user(users.begin(), users.begin() + 1);
  uint64_t matches = 0;
  std::printf("rules eval: %zu messages; FMN defaults (%zu rules) x %zu users\n", messages.size(),
              defaults->rules.size(), users.size());
  auto default_runs = measure_eval(*defaults, messages, users, flags.repetitions, matches);
  print_report(stdout, "rules-eval-defaults", default_runs, flags.json,
               {{"evaluations_per_s", median_run(default_runs).msgs_per_s()},
                {"matches", static_cast<double>(matches)},
                {"compile_us_per_typical_rule", typical},
                {"compile_us_defaults_file", defaults_us}});
  std::printf("rules eval: %zu messages; classic catalogue (%zu rules)\n", messages.size(),
              classic->rules.size());
  auto classic_runs = measure_eval(*classic, messages, one_user, flags.repetitions, matches);
  print_report(stdout, "rules-eval-classic", classic_runs, flags.json,
               {{"evaluations_per_s", median_run(classic_runs).msgs_per_s()},
                {"matches", static_cast<double>(matches)}});
}

}  // namespace

void add_rules_command(CLI::App& app) {
  auto flags = std::make_shared<RulesFlags>();
  CLI::App* cmd = app.add_subcommand(
      "rules",
      "Rule language on one core: parse + check time per typical rule, and reference "
      "interpreter evaluations per second over the corpus (\"msg\" in the report = one "
      "evaluation of one rule for one user)");
  cmd->add_option("--corpus", flags->corpora, "JSON-lines corpora (repeatable)")->required();
  cmd->add_option("--classic", flags->classic, "FMN's classic catalogue (fmn-classic.fmn)")
      ->required();
  cmd->add_option("--users", flags->users, "Users evaluated with the default rules")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--repetitions", flags->repetitions, "Timed repetitions (the median is kept)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--json", flags->json, "End each report with one JSON line of the figures");
  cmd->callback([flags] { run(*flags); });
}

}  // namespace fmn::bench
