// fmn-prefs: manage users' notification preferences in PostgreSQL or a preferences file, so an
// operator never writes SQL by hand. Flags only; the work is in prefs/.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>

#include "apps/fmn-prefs/commands.h"
#include "core/version.h"
#include "prefs/dsl_rule_validator.h"
#include "prefs/file_store.h"
#include "prefs/pg_store.h"

namespace fmn::prefs_cli {
namespace {

std::string db_option;
std::string file_option;
std::unique_ptr<prefs::PreferenceStore> opened;

}  // namespace

int& exit_status() {
  static int status = 0;
  return status;
}

void fail(const std::string& message) {
  std::fprintf(stderr, "fmn-prefs: %s%s", message.c_str(),
               message.empty() || message.back() != '\n' ? "\n" : "");
  exit_status() = 1;
}

prefs::PreferenceStore* store(prefs::SchemaPolicy schema) {
  if (opened) return opened.get();
  const char* env_db = std::getenv("FMN_DB");
  if (db_option.empty() && file_option.empty() && env_db != nullptr) db_option = env_db;
  if (!db_option.empty() == !file_option.empty()) {
    fail("say where the preferences are: --db CONNINFO or --file PATH (one of them)");
    return nullptr;
  }
  if (!file_option.empty()) {
    opened = std::make_unique<prefs::FileStore>(file_option, prefs::dsl_rule_validator());
    return opened.get();
  }
  auto pg = prefs::PgStore::open(db_option, prefs::dsl_rule_validator(), schema);
  if (!pg) {
    fail(pg.error().message);
    return nullptr;
  }
  opened = std::move(pg).value();
  return opened.get();
}

bool load_user(const std::string& name, prefs::User& user) {
  auto* s = store();
  if (s == nullptr) return false;
  auto found = s->load_user(name);
  if (!found) {
    fail(found.error().message);
    return false;
  }
  if (!found->has_value()) {
    fail("no user \"" + name + "\"");
    return false;
  }
  user = std::move(**found);
  return true;
}

bool save_user(const prefs::User& user) {
  auto status = store()->put_user(user);
  if (!status) fail(status.error().message);
  return status.ok();
}

}  // namespace fmn::prefs_cli

int main(int argc, char** argv) {
  using namespace fmn::prefs_cli;
  CLI::App app{
      "fmn-prefs: manage fmn users, their destinations and rules, in PostgreSQL or in a "
      "preferences file (docs/preferences.md)."};
  app.set_version_flag("--version", std::string("fmn-prefs ") + fmn::kVersion);
  app.add_option("--db", db_option,
                 "PostgreSQL connection (libpq keywords or URI); default: $FMN_DB");
  app.add_option("--file", file_option, "A preferences file (TOML) instead of PostgreSQL");
  app.require_subcommand(1);
  add_store_commands(app);
  add_user_commands(app);
  add_list_commands(app);
  add_rule_commands(app);
  add_destination_commands(app);
  add_explain_command(app);
  add_delivery_commands(app);
  CLI11_PARSE(app, argc, argv);
  return exit_status();
}
