// Whole-store commands: migrate, check, import, export, generate.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "apps/fmn-prefs/commands.h"
#include "prefs/dsl_rule_validator.h"
#include "prefs/file_store.h"
#include "prefs/pg_migrations.h"
#include "prefs/population_generator.h"
#include "prefs/toml_writer.h"

namespace fmn::prefs_cli {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_output(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return;
  }
  auto status = prefs::write_file_atomically(path, text);
  if (!status) fail(status.error().message);
}

}  // namespace

void add_store_commands(CLI::App& app) {
  auto* migrate = app.add_subcommand(
      "migrate",
      "Apply pending PostgreSQL schema migrations (the service also does on start); the other "
      "commands need a migrated database");
  migrate->callback([] {
    if (store(prefs::SchemaPolicy::kMigrate) == nullptr) return;
    std::printf("preferences schema at version %d\n", prefs::pg::migrations().back().version);
  });

  auto* check = app.add_subcommand("check", "Validate preferences files; exit 1 on any error");
  static std::vector<std::string> check_files;
  check->add_option("files", check_files, "Preferences files (TOML)")->required();
  check->callback([] {
    for (const auto& path : check_files) {
      auto population = prefs::read_preferences_file(path, prefs::dsl_rule_validator());
      if (!population) {
        fail(population.error().message);
      } else {
        std::printf("%s: %zu users, ok\n", path.c_str(), population->users.size());
      }
    }
  });

  auto* import =
      app.add_subcommand("import",
                         "Replace every user in the store with those of a preferences file (all or "
                         "nothing); --merge adds or replaces only the file's users");
  static std::string import_file;
  static bool merge = false;
  import->add_option("file", import_file, "Preferences file (TOML)")->required();
  import->add_flag("--merge", merge, "Keep users the file does not mention");
  import->callback([] {
    auto population = prefs::read_preferences_file(import_file, prefs::dsl_rule_validator());
  if (!population) return fail(population.error().message);
  auto* s = store();
  if (s == nullptr) return;
  if (!merge) {
    auto status = s->replace_all(*population);
    if (!status) return fail(status.error().message);
  } else {
    for (const auto& user : population->users) {
      if (!save_user(user)) return;
    }
  }
  std::printf("imported %zu users from %s\n", population->users.size(), import_file.c_str());
});

auto* export_ = app.add_subcommand("export", "Write every user as a preferences file");
static std::string export_file;
export_->add_option("-o,--output", export_file, "Output file (default: standard output)");
export_->callback([] {
  auto* s = store();
  if (s == nullptr) return;
  auto population = s->load_all();
  if (!population) return fail(population.error().message);
  write_output(export_file, prefs::write_preferences_toml(*population));
});

auto* generate =
    app.add_subcommand("generate",
                       "Make a synthetic population from the corpus (tests, benchmarks); writes it "
                       "as a file with -o, or loads it into the store (COPY) with --load");
static prefs::GeneratorOptions options;
static std::string corpus_dir = "corpus";
static std::string profile = "fedora";
static std::string generate_file;
static bool load = false;
generate->add_option("--users", options.users, "How many users")->capture_default_str();
generate->add_option("--seed", options.seed, "Random seed")->capture_default_str();
generate->add_option("--profile", profile, "fedora (Fedora's shape) or stress (fan-out stress)")
    ->capture_default_str();
generate->add_option("--corpus", corpus_dir, "The corpus directory")->capture_default_str();
generate->add_option("-o,--output", generate_file, "Write a preferences file");
generate->add_flag("--load", load, "Replace the store's users with the population");
generate->callback([] {
  std::string expected = read_text(corpus_dir + "/fedmsg-real.expected.jsonl") +
                         read_text(corpus_dir + "/fedmsg-test-examples.expected.jsonl");
  if (expected.empty()) return fail("no corpus ground truth under " + corpus_dir);
  if (!prefs::parse_profile(profile, options.profile)) return fail("--profile: fedora or stress");
  auto population = prefs::generate_population(prefs::vocabulary_from_expected(expected), options);
  if (!generate_file.empty())
    write_output(generate_file, prefs::write_preferences_toml(population));
  if (load) {
    auto* s = store();
    if (s == nullptr) return;
    auto status = s->replace_all(population);
    if (!status) return fail(status.error().message);
    std::printf("loaded %zu users\n", population.users.size());
  }
  if (generate_file.empty() && !load) fail("say where the population goes: -o FILE or --load");
});
}  // namespace fmn::prefs_cli

}  // namespace fmn::prefs_cli
