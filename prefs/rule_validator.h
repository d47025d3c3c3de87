// The seam through which preferences check rule text: the rule-language checker behind a
// function, so prefs/ stores and validates rules without knowing the compiler's internals.
//
// A RuleValidator returns every diagnostic for one rule's source, as one of `user`'s rules
// (which `$lists.NAME` exist is the user's), empty when the rule is fine:
// `pos` is 1-based and relative to the source text, `where` is empty, `message` starts with the
// rule-language code ("E0101: unknown field `pakages`"). It must be thread-safe and must not
// throw. dsl_rule_validator() is the real one (the rule-language checker).
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "prefs/diagnostic.h"

namespace fmn::prefs {

struct User;

using RuleValidator =
    std::function<std::vector<Diagnostic>(std::string_view source, const User& user)>;

}  // namespace fmn::prefs
