// libFuzzer target: arbitrary bytes as a rule file through the parser, the checker, the
// lowering and the interpreter. Checks: a rejected file has at least one error, every
// diagnostic's range lies inside the file and renders; whatever compiles evaluates on corpus
// messages for several users, and formats to text that compiles again to the same canonical
// rules (the formatter must not change what a rule means).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "dsl/compile.h"
#include "dsl/formatter.h"
#include "dsl/interpreter.h"
#include "fuzz/corpus_messages.h"

namespace {

void require(bool ok, const char* what, const std::string& text) {
  if (ok) return;
  std::fprintf(stderr, "rules_fuzzer: invariant broken: %s\n--- file ---\n%s\n", what,
               text.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fmn::dsl;
  std::string text(reinterpret_cast<const char*>(data), size);
  SourceFile file("fuzz.fmn", text);
  Diagnostics diags;
  auto rules = compile(file, diags);
  for (const fmn::Diagnostic& d : diags.all()) {
    const fmn::TextSpan& s = d.span;
    require(s.line >= 1 && s.column >= 1 && s.end_line <= file.line_count() &&
                std::pair(s.line, s.column) <= std::pair(s.end_line, s.end_column),
            "diagnostic spans lie inside the file", text);
    require(
        !render_text(d, file.name(), file.text()).empty() && !render_json(d, file.name()).empty(),
        "diagnostics render", text);
  }
  if (!rules) {
    require(diags.has_errors(), "a rejected file has an error", text);
    return 0;
  }
  for (const CompiledRule& rule : rules->rules) {
    for (const auto& m : fmn::fuzz::corpus_sample()) {
      for (const UserParams& user : fmn::fuzz::sample_users()) evaluate(rule, *m, user);
    }
  }
  Diagnostics parse_diags;
  Module module = parse_and_check(file, parse_diags);
  std::string formatted = format_module(file, module);
  Diagnostics again_diags;
  auto again = compile(SourceFile("formatted.fmn", formatted), again_diags);
  require(again.has_value(), "the formatted file compiles",
          text + "\n--- formatted ---\n" + formatted);
  require(again->rules.size() == rules->rules.size(), "formatting keeps every rule", text);
  for (size_t i = 0; i < rules->rules.size(); ++i) {
    require(again->rules[i].canonical == rules->rules[i].canonical,
            "formatting keeps each rule's meaning", text + "\n--- formatted ---\n" + formatted);
  }
  return 0;
}
