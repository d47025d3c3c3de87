// fmn-rulec: the rule author's and supporter's tool. Flags only; the work is in the libraries.
#include <CLI/CLI.hpp>

#include "apps/fmn-rulec/commands.h"
#include "core/version.h"

namespace fmn::rulec {
int& exit_status() {
  static int status = 0;
  return status;
}
}  // namespace fmn::rulec

int main(int argc, char** argv) {
  CLI::App app{"fmn-rulec: check, format and explain fmn notification rules."};
  app.set_version_flag("--version", std::string("fmn-rulec ") + fmn::kVersion);
  fmn::rulec::add_meta_command(app);
  fmn::rulec::add_check_command(app);
  fmn::rulec::add_fmt_command(app);
  fmn::rulec::add_ast_command(app);
  fmn::rulec::add_eval_command(app);
  fmn::rulec::add_explain_command(app);
  fmn::rulec::add_dump_ir_command(app);
  fmn::rulec::add_dump_asm_command(app);
  app.require_subcommand(0, 1);
  CLI11_PARSE(app, argc, argv);
  if (app.get_subcommands().empty()) std::fputs(app.help().c_str(), stdout);
  return fmn::rulec::exit_status();
}
