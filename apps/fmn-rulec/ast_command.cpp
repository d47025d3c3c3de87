// `fmn-rulec ast FILE`: what each rule of a file compiles to — canonical text, shape,
// constants and tree of tests, definitions expanded.
#include <cstdio>
#include <string>

#include "apps/fmn-rulec/commands.h"
#include "dsl/compile.h"
#include "dsl/dump.h"

namespace fmn::rulec {
namespace {

int run_ast(const std::string& path) {
  auto file = dsl::read_source_file(path);
  if (!file) {
    std::fprintf(stderr, "fmn-rulec ast: %s\n", file.error().message.c_str());
    return 1;
  }
  dsl::Diagnostics diags;
  auto rules = dsl::compile(file.value(), diags);
  for (const Diagnostic& d : diags.all()) {
    std::fputs(render_text(d, file.value().name(), file.value().text()).c_str(), stderr);
  }
  if (!rules) return 1;
  for (const dsl::CompiledRule& rule : rules->rules)
    std::fputs(dsl::dump_rule(rule).c_str(), stdout);
  return 0;
}

}  // namespace

void add_ast_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "ast",
      "Show what each rule compiles to: its canonical text (a cache key), its shape (constants "
      "as ?0, ?1...: rules with one shape share compiled code), its constants and its tree of "
      "tests, definitions expanded");
  cmd->add_option("file", *path, "Rule file (.fmn)")->required();
  cmd->footer("Example: fmn-rulec ast data/rules/fmn-defaults.fmn");
  cmd->callback([path] { exit_status() = run_ast(*path); });
}

}  // namespace fmn::rulec
