#include "dsl/rule_compiler.h"

#include <algorithm>

#include <fmt/format.h>

#include "dsl/checker.h"
#include "dsl/compile.h"
#include "dsl/grammar/parser.h"
#include "dsl/limits.h"
#include "dsl/lower.h"

namespace fmn::dsl {
namespace {

constexpr std::string_view kRuleHead = "rule \"r\" = ";

// The defaults file's definitions (its own rules would clash with a user's), parsed once.
struct Prelude {
  std::string text;
  Module module;
};

const Prelude& prelude() {
  static const Prelude kPrelude = [] {
    const std::string& all = default_rules_source().text();
    size_t first_rule = all.find("\nrule ");
    Prelude p;
    p.text = all.substr(0, first_rule == std::string::npos ? all.size() : first_rule + 1);
    Diagnostics ignored;  // the defaults are checked by their own tests
    p.module = parse(SourceFile("prelude", p.text), ignored);
    return p;
  }();
  return kPrelude;
}

StoredRuleResult compile_text(std::string_view source) {
  const Prelude& head = prelude();
  SourceFile file("rule", head.text + std::string(kRuleHead) + std::string(source) + "\n");
  const auto start = static_cast<uint32_t>(head.text.size() + kRuleHead.size());
  Diagnostics diagnostics;
  diagnostics.bind(file);
  std::optional<RuleSet> set;
  Module module;
  if (file.text().size() > kMaxFileBytes) {
    diagnostics.report(
        Code::kTooLarge, {start, start},
        fmt::format("rule of {} bytes; the limit is {}", source.size(), kMaxFileBytes),
        "split it into several rules");
  } else {
    module = parse_after(file, head.module, static_cast<uint32_t>(head.text.size()), diagnostics);
    check(file, module, diagnostics);
    if (!diagnostics.has_errors()) {
      RuleSet rules = lower(module, diagnostics);
      if (!diagnostics.has_errors() && !rules.rules.empty()) set = std::move(rules);
    }
    diagnostics.sort_by_position();
  }

  StoredRuleResult out;
  const TextSpan rule_start = file.span({start, start});
  const uint32_t head_lines = rule_start.line - 1;
  const uint32_t head_columns = rule_start.column - 1;
  // Positions made the stored text's: the prelude's lines go, and the rule head's columns.
  auto in_text = [&](uint32_t& line, uint32_t& column) {
    if (line < rule_start.line || (line == rule_start.line && column < rule_start.column)) {
      line = rule_start.line, column = rule_start.column;  // begins in the head: clamp
    }
    if (line == rule_start.line) column -= head_columns;
    line -= head_lines;
  };
  auto span_in_text = [&](TextSpan s) {
    in_text(s.line, s.column);
    in_text(s.end_line, s.end_column);
    return s;
  };
  for (Diagnostic d : diagnostics.all()) {
    const TextSpan& s = d.span;
    const bool before = s.end_line < rule_start.line ||
                        (s.end_line == rule_start.line && s.end_column < rule_start.column);
    if (before) continue;  // about the defaults
    d.span = span_in_text(s);
    if (d.severity == Severity::kError) {
      out.errors += (out.errors.empty() ? "" : "; ") + render_line(d);
    }
    out.diagnostics.push_back(std::move(d));
  }
  for (ListUse& use : list_uses(file, module, start)) {
    use.where = span_in_text(use.where);
    out.lists.push_back(std::move(use));
  }
  if (set) {
    out.rule = std::make_shared<const CompiledRule>(std::move(set->rules.back()));
  } else if (out.errors.empty()) {
    out.errors = "the rule does not compile";  // defensive: an error outside the text
  }
  return out;
}

}  // namespace

RuleCompiler::RuleCompiler(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {}

std::shared_ptr<const StoredRuleResult> RuleCompiler::compile(std::string_view source) {
  {
    std::lock_guard lock(mu_);
    if (auto it = by_source_.find(source); it != by_source_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      ++stats_.hits;
      return it->second->result;
    }
  }
  auto result = std::make_shared<const StoredRuleResult>(compile_text(source));
  std::lock_guard lock(mu_);
  ++stats_.compilations;
  if (auto it = by_source_.find(source); it != by_source_.end()) {
    return it->second->result;  // another thread compiled it meanwhile
  }
  lru_.push_front(Entry{std::string(source), result});
  by_source_.emplace(lru_.front().source, lru_.begin());
  while (lru_.size() > capacity_) {
    by_source_.erase(lru_.back().source);
    lru_.pop_back();
    ++stats_.evictions;
  }
  return result;
}

RuleCompiler::Stats RuleCompiler::stats() const {
  std::lock_guard lock(mu_);
  Stats s = stats_;
  s.cached = lru_.size();
  return s;
}

}  // namespace fmn::dsl
