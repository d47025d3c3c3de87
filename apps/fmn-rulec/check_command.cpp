// `fmn-rulec check FILE...`: parse and check rule files; every diagnostic on stderr (or, with
// --format=json, one JSON array of them on stdout); exit 1 if any file has an error (with
// --werror, any diagnostic). `--param lists.NAME=a,b` checks the rules' uses of that list as
// a user's preferences would (an entry that is not a valid pattern...).
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "apps/fmn-rulec/commands.h"
#include "dsl/compile.h"
#include "dsl/user_list_checks.h"

namespace fmn::rulec {
namespace {

struct CheckOptions {
  std::vector<std::string> files;
  std::string format = "text";
  bool werror = false;
  std::vector<std::string> params;  // only the named lists are read
};

// The diagnostics of the lists given with --param for the rules of `file`; lists not given are
// not checked (a file alone does not say whose lists it reads).
void check_lists(const dsl::SourceFile& file, const dsl::UserParams& params,
                 std::vector<Diagnostic>& out) {
  if (params.lists.empty()) return;
  dsl::Diagnostics ignored;  // compile() reported them
  std::vector<dsl::ListUse> uses = dsl::list_uses(file, dsl::parse_and_check(file, ignored));
  std::erase_if(uses, [&](const dsl::ListUse& u) {
    return std::none_of(params.lists.begin(), params.lists.end(),
                        [&](const dsl::UserList& l) { return l.name == u.name; });
  });
  for (Diagnostic& d : dsl::list_diagnostics(uses, dsl::list_entries(params))) {
    out.push_back(std::move(d));
  }
}

int run_check(const CheckOptions& opt) {
  bool json = opt.format == "json";
  bool failed = false;
  dsl::UserParams params;
  for (const std::string& p : opt.params) {
    if (std::string error = dsl::assign_param(params, p); !error.empty()) {
      std::fprintf(stderr, "fmn-rulec check: --param %s: %s\n", p.c_str(), error.c_str());
      return 2;
    }
  }
  params.normalize();
  std::string out = "[";
  for (const std::string& path : opt.files) {
    auto file = dsl::read_source_file(path);
    if (!file) {
      std::fprintf(stderr, "fmn-rulec check: %s\n", file.error().message.c_str());
      failed = true;
      continue;
    }
    dsl::Diagnostics diags;
    std::vector<Diagnostic> all;
    if (dsl::compile(file.value(), diags)) check_lists(file.value(), params, all);
    all.insert(all.begin(), diags.all().begin(), diags.all().end());
    bool errors = std::any_of(all.begin(), all.end(),
                              [](const Diagnostic& d) { return d.severity == Severity::kError; });
    failed = failed || errors || (opt.werror && !all.empty());
    for (const Diagnostic& d : all) {
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
  cmd->add_option("-p,--param", opt->params,
                  "A named list to check the rules' uses of, as a user's preferences would: "
                  "lists.NAME=a,b (repeatable; other parameters are ignored)");
  cmd->footer(
      "Example: fmn-rulec check my-rules.fmn\nThe language and every diagnostic: "
      "docs/rules-language.md");
  cmd->callback([opt] { exit_status() = run_check(*opt); });
}

}  // namespace fmn::rulec
