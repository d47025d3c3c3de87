// `fmn-rulec check FILE...`: parse and check rule files; every diagnostic on stderr (or, with
// --format=json, one JSON array of them on stdout); exit 1 if any file has an error (with
// --werror, any diagnostic).
#include <cstdio>
#include <string>
#include <vector>

#include "apps/fmn-rulec/commands.h"
#include "dsl/compile.h"

namespace fmn::rulec {
namespace {

struct CheckOptions {
  std::vector<std::string> files;
  std::string format = "text";
  bool werror = false;
};

int run_check(const CheckOptions& opt) {
  bool json = opt.format == "json";
  bool failed = false;
  std::string out = "[";
  for (const std::string& path : opt.files) {
    auto file = dsl::read_source_file(path);
    if (!file) {
      std::fprintf(stderr, "fmn-rulec check: %s\n", file.error().message.c_str());
      failed = true;
      continue;
    }
    dsl::Diagnostics diags;
    dsl::compile(file.value(), diags);
    failed = failed || diags.has_errors() || (opt.werror && !diags.all().empty());
    for (const Diagnostic& d : diags.all()) {
      if (json) {
        out += (out.size() > 1 ? ",\n" : "\n") + render_json(d, file.value().name());
      } else {
        std::fputs(render_text(d, file.value().name(), file.value().text()).c_str(), stderr);
      }
    }
  }
  if (json) std::puts((out + (out.size() > 1 ? "\n]" : "]")).c_str());
  return failed ? 1 : 0;
}

}  // namespace

void add_check_command(CLI::App& app) {
  auto opt = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand(
      "check",
      "Check rule files: report every syntax and semantic error and warning, with its position "
      "and a hint. Exit status 1 if any file has an error (warnings count only with --werror).");
  cmd->add_option("files", opt->files, "Rule files (.fmn)")->required();
  cmd->add_option("--format", opt->format,
                  "text: diagnostics on stderr; json: a JSON array on stdout, one object per "
                  "diagnostic (file, line, column, end_line, end_column (the last character), "
                  "severity, code, message, hint)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--werror", opt->werror, "Warnings fail the check too (exit status 1)");
  cmd->footer(
      "Example: fmn-rulec check my-rules.fmn\nThe language and every diagnostic: "
      "docs/rules-language.md");
  cmd->callback([opt] { exit_status() = run_check(*opt); });
}

}  // namespace fmn::rulec
