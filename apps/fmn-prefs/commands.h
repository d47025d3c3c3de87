// fmn-prefs's subcommands. Each add_*_commands() registers a group of subcommands on the app;
// their callbacks call into prefs/ and set the exit status. Every command works on either
// store: --db CONNINFO (PostgreSQL) or --file PATH (a preferences file), given before the
// subcommand.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "prefs/pg_store.h"
#include "prefs/preference_store.h"

namespace fmn::prefs_cli {

// The process exit status a subcommand callback sets (0 unless it says otherwise).
int& exit_status();

// The store chosen with --db / --file, opened on first use; null after printing why when it
// cannot be opened. PostgreSQL: only `migrate` passes kMigrate; every other command needs the
// schema to be there already, so pointing one at the wrong database creates nothing.
prefs::PreferenceStore* store(prefs::SchemaPolicy schema = prefs::SchemaPolicy::kExisting);

// Prints `message` to stderr prefixed with "fmn-prefs: " and sets the exit status to 1.
void fail(const std::string& message);

// Loads a user or fails ("no such user").
bool load_user(const std::string& name, prefs::User& user);
// Stores a user or fails with the store's diagnostics.
bool save_user(const prefs::User& user);

void add_store_commands(CLI::App& app);
void add_user_commands(CLI::App& app);
void add_list_commands(CLI::App& app);
void add_rule_commands(CLI::App& app);
void add_destination_commands(CLI::App& app);
void add_explain_command(CLI::App& app);
void add_delivery_commands(CLI::App& app);

}  // namespace fmn::prefs_cli
