// fmn-bench's subcommands. Each add_*_command() registers one subcommand on the app: its flags
// and a callback that runs the bench and sets the exit status. Adding a subcommand: its
// <name>_bench.cpp (listed in CMakeLists.txt) and one line in add_all_commands().
#pragma once

#include <CLI/CLI.hpp>

namespace fmn::bench {

// The process exit status a subcommand callback sets (0 unless it says otherwise).
int& exit_status();

void add_amqp_command(CLI::App& app);
void add_burst_command(CLI::App& app);
void add_chaos_command(CLI::App& app);
void add_e2e_command(CLI::App& app);
void add_edit_live_command(CLI::App& app);
void add_load_command(CLI::App& app);
void add_match_command(CLI::App& app);
void add_parse_command(CLI::App& app);
void add_preview_command(CLI::App& app);
void add_reload_command(CLI::App& app);
void add_render_command(CLI::App& app);
void add_rules_command(CLI::App& app);
void add_soak_command(CLI::App& app);
void add_sse_command(CLI::App& app);
void add_sse_load_command(CLI::App& app);
void add_web_command(CLI::App& app);
void add_zmq_command(CLI::App& app);

inline void add_all_commands(CLI::App& app) {
  add_amqp_command(app);
  add_burst_command(app);
  add_chaos_command(app);
  add_e2e_command(app);
  add_edit_live_command(app);
  add_load_command(app);
  add_match_command(app);
  add_parse_command(app);
  add_preview_command(app);
  add_reload_command(app);
  add_render_command(app);
  add_rules_command(app);
  add_soak_command(app);
  add_sse_command(app);
  add_sse_load_command(app);
  add_web_command(app);
  add_zmq_command(app);
}

}  // namespace fmn::bench
