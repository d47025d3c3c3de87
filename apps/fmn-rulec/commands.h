// fmn-rulec's subcommands. Each add_*_command() registers one subcommand on the app: its flags
// and a callback that calls into the libraries and sets the exit status.
#pragma once

#include <CLI/CLI.hpp>

namespace fmn::rulec {

// The process exit status a subcommand callback sets (0 unless it says otherwise).
int& exit_status();

void add_meta_command(CLI::App& app);
void add_check_command(CLI::App& app);
void add_fmt_command(CLI::App& app);
void add_ast_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_explain_command(CLI::App& app);
void add_dump_ir_command(CLI::App& app);
void add_dump_asm_command(CLI::App& app);

}  // namespace fmn::rulec
