// fmn-bench: one driver for the end-to-end figures. Flags only; each subcommand is in its own
// <name>_bench.cpp. Every subcommand prints human-readable figures (medians of several
// repetitions); with --json its last line is one JSON object with at least msgs_per_s and
// ns_per_msg.
#include <CLI/CLI.hpp>

#include "bench/bench_commands.h"
#include "core/version.h"

namespace fmn::bench {
int& exit_status() {
  static int status = 0;
  return status;
}
}  // namespace fmn::bench

int main(int argc, char** argv) {
  CLI::App app{"fmn-bench: measures fmn's throughput and latency figures."};
  app.set_version_flag("--version", std::string("fmn-bench ") + fmn::kVersion);
  app.require_subcommand(1);
  fmn::bench::add_all_commands(app);
  CLI11_PARSE(app, argc, argv);
  return fmn::bench::exit_status();
}
