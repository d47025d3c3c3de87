// fmn-bench load: cold start from PostgreSQL and the live-edit latency of the preferences.
//
// Generates --users users from the corpus, bulk-loads them (COPY), then times what a starting
// service does: stream every user out of PostgreSQL, compile each distinct rule text, and build
// the per-user lookup postings (package -> users, name -> user). Then it edits single rules
// through the store while a LISTEN/NOTIFY listener runs, and times commit-to-listener. Without
// --db it starts a private PostgreSQL server (tests/support).
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "bench/bench_commands.h"
#include "dsl/rule_compiler.h"
#include "prefs/dsl_rule_validator.h"
#include "prefs/pg_change_listener.h"
#include "prefs/pg_store.h"
#include "prefs/population_generator.h"
#include "tests/support/postgres_server.h"

namespace fmn::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct LoadFlags {
  size_t users = 100000;
  std::string profile = "fedora";
  std::string db;
  std::string corpus = "corpus";
  int edits = 9;
  bool json = false;
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Records when each user's change arrives from the listener.
class ArrivalSink : public prefs::ChangeSink {
 public:
  void users_changed(std::vector<prefs::UserChange> changes) override {
    std::lock_guard lock(mutex_);
    for (const auto& c : changes) arrived_[c.name] = Clock::now();
    cv_.notify_all();
  }
  void population_replaced(prefs::Population) override {}
  void store_status(bool healthy, const std::string& message) override {
    if (!healthy) std::fprintf(stderr, "fmn-bench load: %s\n", message.c_str());
  }
  // When `name`'s change arrived (waits up to 10 s); nullopt if it did not.
  std::optional<Clock::time_point> wait(const std::string& name) {
    std::unique_lock lock(mutex_);
    if (!cv_.wait_for(lock, std::chrono::seconds(10), [&] { return arrived_.count(name) > 0; })) {
      return std::nullopt;
    }
    auto at = arrived_[name];
    arrived_.erase(name);
    return at;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::unordered_map<std::string, Clock::time_point> arrived_;
};

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool fail(const std::string& message) {
  std::fprintf(stderr, "fmn-bench load: %s\n", message.c_str());
  exit_status() = 1;
  return false;
}

bool run(const LoadFlags& flags) {
  std::unique_ptr<test::PostgresServer> server;
  std::string conninfo = flags.db;
  if (conninfo.empty()) {
    auto pg = test::PostgresServer::start();
    if (!pg) return fail(pg.error().message);
    server = std::make_unique<test::PostgresServer>(std::move(pg).value());
    conninfo = server->connection_string();
  }
  auto vocabulary = prefs::vocabulary_from_expected(
      read_text(flags.corpus + "/fedmsg-real.expected.jsonl") +
      read_text(flags.corpus + "/fedmsg-test-examples.expected.jsonl"));
  prefs::GeneratorOptions generator{.users = flags.users};
  if (!prefs::parse_profile(flags.profile, generator.profile)) {
    return fail("--profile: fedora or stress");
  }
  std::printf("population: profile %s, %zu users\n", flags.profile.c_str(), flags.users);
  auto start = Clock::now();
  prefs::Population generated = prefs::generate_population(vocabulary, generator);
  double generate_s = seconds_since(start);

  auto store = prefs::PgStore::open(conninfo, prefs::dsl_rule_validator());
  if (!store) return fail(store.error().message);
  start = Clock::now();
  auto imported = (*store)->replace_all(generated);
  if (!imported) return fail(imported.error().message);
  double copy_in_s = seconds_since(start);
  generated = {};

  ArrivalSink sink;
  auto listener = prefs::PgChangeListener::start(conninfo, sink);
  if (!listener) return fail(listener.error().message);

  // Cold start: load, compile, index.
  start = Clock::now();
  auto population = (*store)->load_all();
  if (!population) return fail(population.error().message);
  double pg_load_s = seconds_since(start);

  start = Clock::now();
  std::unordered_set<std::string_view> distinct;
  dsl::RuleCompiler compiler;
  size_t rules = 0, compile_errors = 0;
  for (const auto& u : population->users) {
    for (const auto& r : u.rules) {
      ++rules;
      if (!distinct.insert(r.source.view()).second) continue;
      if (!compiler.compile(r.source.view())->rule) ++compile_errors;
    }
  }
  double compile_s = seconds_since(start);

  start = Clock::now();
  std::unordered_map<std::string_view, std::vector<uint32_t>> by_package;
  std::unordered_map<std::string_view, uint32_t> by_name;
  by_name.reserve(population->users.size());
  size_t postings = 0;
  for (uint32_t i = 0; i < population->users.size(); ++i) {
    const auto& u = population->users[i];
    by_name.emplace(u.name, i);
    for (const auto& p : u.packages) by_package[p].push_back(i), ++postings;
  }
  double index_s = seconds_since(start);

  // Live edits: toggle one rule of a user; time from the call to the listener's report.
  std::vector<double> edit_ms;
  for (int e = 0; e < flags.edits && !population->users.empty(); ++e) {
    prefs::User user = population->users[(e * 7919u) % population->users.size()];
    if (user.rules.empty()) user.rules.push_back({"bench", "agent == $me", true, {}, {}, {}});
    user.rules[0].enabled = !user.rules[0].enabled;
    auto before = Clock::now();
    auto status = (*store)->put_user(user);
    if (!status) return fail(status.error().message);
    auto arrived = sink.wait(user.name);
    if (!arrived) return fail("the edit of " + user.name + " never reached the listener");
    edit_ms.push_back(std::chrono::duration<double, std::milli>(*arrived - before).count());
  }
  std::sort(edit_ms.begin(), edit_ms.end());
  double edit_live_ms = edit_ms.empty() ? 0 : edit_ms[edit_ms.size() / 2];
  double total_s = pg_load_s + compile_s + index_s;

  std::printf("users %zu, rules %zu (%zu distinct texts, %zu failed to compile), %zu postings\n",
              population->users.size(), rules, distinct.size(), compile_errors, postings);
  std::printf("generate %.3f s, COPY in %.3f s\n", generate_s, copy_in_s);
  std::printf("cold start: PostgreSQL load %.3f s + compile %.3f s + index %.3f s = %.3f s\n",
              pg_load_s, compile_s, index_s, total_s);
  std::printf("rule edit live: median %.2f ms over %zu edits (max %.2f ms)\n", edit_live_ms,
              edit_ms.size(), edit_ms.empty() ? 0 : edit_ms.back());
  if (flags.json) {
    std::printf(
        "{\"bench\":\"load\",\"users\":%zu,\"rules\":%zu,\"distinct_rule_texts\":%zu,"
        "\"postings\":%zu,\"copy_in_s\":%.4f,\"pg_load_s\":%.4f,\"compile_s\":%.4f,"
        "\"index_s\":%.4f,\"total_s\":%.4f,\"edit_live_ms\":%.3f}\n",
        population->users.size(), rules, distinct.size(), postings, copy_in_s, pg_load_s, compile_s,
        index_s, total_s, edit_live_ms);
  }
  return true;
}

}  // namespace

void add_load_command(CLI::App& app) {
  auto flags = std::make_shared<LoadFlags>();
  auto* cmd = app.add_subcommand(
      "load",
      "Preferences cold start from PostgreSQL (load, compile, index) and rule-edit "
      "latency through LISTEN/NOTIFY");
  cmd->add_option("--users", flags->users, "Users to generate")->capture_default_str();
  cmd->add_option("--profile", flags->profile, "Population: fedora or stress")
      ->capture_default_str();
  cmd->add_option("--db", flags->db,
                  "PostgreSQL to use (its fmn tables are replaced); default: a private server");
  cmd->add_option("--corpus", flags->corpus, "Corpus directory")->capture_default_str();
  cmd->add_option("--edits", flags->edits, "Live edits to time")->capture_default_str();
  cmd->add_flag("--json", flags->json, "End with one JSON line of the figures");
  cmd->callback([flags] { run(*flags); });
}

}  // namespace fmn::bench
