// `fmn-rulec dump-ir RULES` / `fmn-rulec dump-asm RULES`: the native code the engine compiles for
// a rule file — one function per distinct rule shape — as LLVM IR or as the host's assembly.
#include <cstdio>

#include "apps/fmn-rulec/commands.h"
#include "dsl/codegen/shape_compiler.h"
#include "dsl/compile.h"

namespace fmn::rulec {
namespace {

struct DumpOptions {
  std::string rules;
  std::string opt = "O1";
};

int run_dump(const DumpOptions& opt, bool assembly) {
  const char* command = assembly ? "dump-asm" : "dump-ir";
  auto file = dsl::read_source_file(opt.rules);
  if (!file) {
    std::fprintf(stderr, "fmn-rulec %s: %s\n", command, file.error().message.c_str());
    return 1;
  }
  dsl::Diagnostics diags;
  auto rules = dsl::compile(file.value(), diags);
  for (const Diagnostic& d : diags.all()) {
    std::fputs(render_text(d, file.value().name(), file.value().text()).c_str(), stderr);
  }
  if (!rules) return 1;
  std::vector<const dsl::CompiledRule*> pointers;
  for (const dsl::CompiledRule& r : rules->rules) {
    std::printf("; rule %s: shape %s\n", r.name.c_str(), r.shape.c_str());
    pointers.push_back(&r);
  }
  auto level = opt.opt == "O0"   ? codegen::OptLevel::kO0
               : opt.opt == "O2" ? codegen::OptLevel::kO2
                                 : codegen::OptLevel::kO1;
  if (!assembly) {
    std::fputs(codegen::module_ir(pointers, level).c_str(), stdout);
    return 0;
  }
  auto text = codegen::module_asm(pointers, level);
  if (!text) {
    std::fprintf(stderr, "fmn-rulec %s: %s\n", command, text.error().message.c_str());
    return 1;
  }
  std::fputs(text.value().c_str(), stdout);
  return 0;
}

void add_dump(CLI::App& app, const char* name, const char* help, bool assembly) {
  auto opt = std::make_shared<DumpOptions>();
  CLI::App* cmd = app.add_subcommand(name, help);
  cmd->add_option("rules", opt->rules, "Rule file (.fmn)")->required();
  cmd->add_option("--opt", opt->opt, "Optimisation level: O0, O1 (the engine's default) or O2")
      ->check(CLI::IsMember({"O0", "O1", "O2"}));
  cmd->callback([opt, assembly] { exit_status() = run_dump(*opt, assembly); });
}

}  // namespace

void add_dump_ir_command(CLI::App& app) {
  add_dump(app, "dump-ir",
           "Print the LLVM IR the engine compiles for a rule file: one function per distinct "
           "rule shape (rules differing only in constants share one)",
           false);
}

void add_dump_asm_command(CLI::App& app) {
  add_dump(app, "dump-asm", "Print the native assembly the engine runs for a rule file", true);
}

}  // namespace fmn::rulec
