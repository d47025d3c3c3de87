// `fmn-rulec fmt FILE...`: print rule files in the standard layout, or rewrite them in place
// (--in-place), or only say which are not formatted (--check). Files with syntax errors are
// left alone and their errors reported.
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "apps/fmn-rulec/commands.h"
#include "dsl/diagnostics.h"
#include "dsl/formatter.h"
#include "dsl/grammar/parser.h"

namespace fmn::rulec {
namespace {

struct FmtOptions {
  std::vector<std::string> files;
  bool in_place = false;
  bool check = false;
};

int run_fmt(const FmtOptions& opt) {
  int status = 0;
  for (const std::string& path : opt.files) {
    auto file = dsl::read_source_file(path);
    if (!file) {
      std::fprintf(stderr, "fmn-rulec fmt: %s\n", file.error().message.c_str());
      status = 1;
      continue;
    }
    dsl::Diagnostics diags;
    dsl::Module module = dsl::parse(file.value(), diags);
    if (diags.has_errors()) {
      for (const Diagnostic& d : diags.all()) {
        std::fputs(render_text(d, file.value().name(), file.value().text()).c_str(), stderr);
      }
      status = 1;
      continue;
    }
    std::string formatted = dsl::format_module(file.value(), module);
    if (opt.check) {
      if (formatted != file.value().text()) {
        std::printf("%s: not formatted\n", path.c_str());
        status = 1;
      }
    } else if (opt.in_place) {
      if (formatted == file.value().text()) continue;
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out << formatted;
      if (!out) {
        std::fprintf(stderr, "fmn-rulec fmt: %s: cannot write\n", path.c_str());
        status = 1;
      }
    } else {
      std::fputs(formatted.c_str(), stdout);
    }
  }
  return status;
}

}  // namespace

void add_fmt_command(CLI::App& app) {
  auto opt = std::make_shared<FmtOptions>();
  CLI::App* cmd = app.add_subcommand(
      "fmt",
      "Format rule files in the standard layout (comments kept), on stdout by default. "
      "Formatting twice changes nothing.");
  cmd->add_option("files", opt->files, "Rule files (.fmn)")->required();
  auto* in_place = cmd->add_flag("-i,--in-place", opt->in_place, "Rewrite the files");
  cmd->add_flag("--check", opt->check,
                "Write nothing; list the files that are not formatted and exit 1 if any")
      ->excludes(in_place);
  cmd->footer("Example: fmn-rulec fmt -i my-rules.fmn");
  cmd->callback([opt] { exit_status() = run_fmt(*opt); });
}

}  // namespace fmn::rulec
