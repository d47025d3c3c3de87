// A stored rule's `$lists.NAME` checked against one user's named lists: what the preferences'
// validation, the web app's checks and `fmn-rulec check --param lists.NAME=...` add to the
// text's own diagnostics (rule_compiler.h), because which lists exist and what they hold is the
// user's business, not the text's.
//
// For each `$lists.NAME` the text reads: an error (E0110, with "did you mean") when the user
// has no such list. For each list the text reads as patterns (`~`, `~*`, `matches`), each entry
// is checked as the same literal would be, and the diagnostic names the list and the entry:
// errors for a regex RE2 rejects (E0204), a glob longer than the limit (E0301) and a list of
// more than kMaxListPatterns entries (E0301); warnings for an empty entry (W0006) and, against
// `topic`, an entry without wildcards that no whole topic is (W0005). Positions are the
// `$lists.NAME`'s in the stored text. Pure functions; thread-safe.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "dsl/list_uses.h"
#include "dsl/rule_compiler.h"
#include "dsl/user_params.h"

namespace fmn::dsl {

// One of a user's named lists, as the checks read it. Views: the list outlives the check.
struct ListEntries {
  std::string_view name;
  const std::vector<std::string>* items = nullptr;
};

// Views of `params.lists`.
std::vector<ListEntries> list_entries(const UserParams& params);

// The diagnostics above for the `uses` of a text and the user's `lists`.
std::vector<Diagnostic> list_diagnostics(std::span<const ListUse> uses,
                                         std::span<const ListEntries> lists);

// The text as one of a user's rules: its own diagnostics, then list_diagnostics().
std::vector<Diagnostic> diagnostics_for_user(const StoredRuleResult& result,
                                             std::span<const ListEntries> lists);

}  // namespace fmn::dsl
