#include "dsl/user_list_checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>

#include "dsl/checker_warnings.h"
#include "dsl/diagnostic_codes.h"
#include "dsl/limits.h"
#include "dsl/literal_text.h"
#include "dsl/suggest.h"

namespace fmn::dsl {
namespace {

Diagnostic at(const ListUse& use, Code code, std::string message, std::string hint) {
  const CodeInfo& info = code_info(code);
  return Diagnostic{.severity = info.severity,
                    .code = info.id,
                    .span = use.where,
                    .message = std::move(message),
                    .hint = std::move(hint)};
}

Diagnostic unknown_list(const ListUse& use, std::span<const ListEntries> lists) {
  std::vector<std::string_view> names;
  for (const ListEntries& l : lists) names.push_back(l.name);
  std::string hint;
  if (std::optional<std::string> guess = closest_name(use.name, names)) {
    hint = fmt::format("did you mean `$lists.{}`?", *guess);
  } else if (names.empty()) {
    hint = "you have no named lists yet; save one in your preferences first";
  } else {
    for (std::string_view n : names)
      hint += fmt::format("{}$lists.{}", hint.empty() ? "" : ", ", n);
    hint = "your lists are " + hint;
  }
  return at(use, Code::kUnknownList, fmt::format("you have no list named `{}`", use.name),
            std::move(hint));
}

// What the checks of a literal pattern say about one entry of a list read as patterns.
void check_entry(const ListUse& use, size_t index, const std::string& entry,
                 std::vector<Diagnostic>& out) {
  const std::string which =
      fmt::format("`$lists.{}` entry {} {}", use.name, index + 1, quote(entry));
  const PatternKind kind = *use.pattern;
  if (std::string problem = pattern_problem(entry, kind); !problem.empty()) {
    out.push_back(at(use, kind == PatternKind::kRegex ? Code::kBadRegex : Code::kTooLarge,
                     fmt::format("{}: {}", which, problem),
                     kind == PatternKind::kRegex
                         ? "the syntax is RE2's (no backreferences or lookaround); fix or remove "
                           "the entry"
                         : "shorten or remove the entry"));
    return;
  }
  if (entry.empty()) {
    out.push_back(at(use, Code::kEmptyText,
                     kind == PatternKind::kRegex
                         ? which + ": every string matches the empty regular expression, so "
                                   "this test is always true for a string"
                         : which + ": the empty pattern matches only an empty value",
                     "remove the entry"));
    return;
  }
  if (use.of_topic && kind != PatternKind::kRegex &&
      entry.find_first_of("*?") == std::string::npos && !could_be_full_topic(entry)) {
    out.push_back(
        at(use, Code::kTopicNeverMatches,
           fmt::format("{}: no topic is {}: topics are whole, like "
                       "\"org.fedoraproject.prod.bodhi.update.comment\"",
                       which, quote(entry)),
           fmt::format("to match the end of the topic write {} in the list", quote("*." + entry))));
  }
}

}  // namespace

std::vector<ListEntries> list_entries(const UserParams& params) {
  std::vector<ListEntries> out;
  out.reserve(params.lists.size());
  for (const UserList& l : params.lists) out.push_back({l.name, &l.items});
  return out;
}

std::vector<Diagnostic> list_diagnostics(std::span<const ListUse> uses,
                                         std::span<const ListEntries> lists) {
  std::vector<Diagnostic> out;
  for (const ListUse& use : uses) {
    auto list = std::find_if(lists.begin(), lists.end(),
                             [&](const ListEntries& l) { return l.name == use.name; });
    if (list == lists.end()) {
      out.push_back(unknown_list(use, lists));
      continue;
    }
    if (!use.pattern) continue;
    const std::vector<std::string>& items = *list->items;
    if (items.size() > kMaxListPatterns) {
      out.push_back(at(use, Code::kTooLarge,
                       fmt::format("`$lists.{}` has {} entries; a list read as patterns holds at "
                                   "most {}",
                                   use.name, items.size(), kMaxListPatterns),
                       "split it into several lists, each read by its own test"));
      continue;
    }
    for (size_t i = 0; i < items.size(); ++i) check_entry(use, i, items[i], out);
  }
  return out;
}

std::vector<Diagnostic> diagnostics_for_user(const StoredRuleResult& result,
                                             std::span<const ListEntries> lists) {
  std::vector<Diagnostic> out = result.diagnostics;
  for (Diagnostic& d : list_diagnostics(result.lists, lists)) out.push_back(std::move(d));
  return out;
}

}  // namespace fmn::dsl
