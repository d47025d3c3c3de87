#include "dsl/compile.h"

#include <fmt/format.h>

#include "dsl/checker.h"
#include "dsl/grammar/parser.h"
#include "dsl/limits.h"
#include "dsl/lower.h"

namespace fmn::embedded {
std::string_view fmn_default_rules();
}

namespace fmn::dsl {

Module parse_and_check(const SourceFile& file, Diagnostics& diagnostics) {
  if (file.text().size() > kMaxFileBytes) {
    diagnostics.report(
        Code::kTooLarge, {0, 0},
        fmt::format("file of {} bytes; the limit is {}", file.text().size(), kMaxFileBytes),
        "split the rules over several files");
    return {};
  }
  Module module = parse(file, diagnostics);
  check(file, module, diagnostics);
  diagnostics.sort_by_position();
  return module;
}

std::optional<RuleSet> compile(const SourceFile& file, Diagnostics& diagnostics) {
  Module module = parse_and_check(file, diagnostics);
  if (diagnostics.has_errors()) return std::nullopt;
  RuleSet rules = lower(module, diagnostics);
  diagnostics.sort_by_position();
  if (diagnostics.has_errors()) return std::nullopt;
  return rules;
}

const SourceFile& default_rules_source() {
  static const SourceFile file("data/rules/fmn-defaults.fmn",
                               std::string(embedded::fmn_default_rules()));
  return file;
}

}  // namespace fmn::dsl
