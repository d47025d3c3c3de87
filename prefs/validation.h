// Validation of preference records before they are used or stored: the invariants every store
// keeps (PostgreSQL enforces the cross-user ones again with constraints).
//
// Checks names and addresses, that rules only name the user's own destinations, confirmation
// codes on pending destinations, digest bounds, and each rule's source through the
// RuleValidator (positions translated into the file when the rule came from one). Pure
// functions; thread-safe when the validator is.
#pragma once

#include <vector>

#include "core/diagnostic.h"
#include "prefs/model.h"
#include "prefs/rule_validator.h"

namespace fmn::prefs {

// Appends the problems of one user on its own to `out`.
void validate_user(const User& user, const RuleValidator& validator, std::vector<Diagnostic>& out);

// Every user, plus what spans users: unique user names and unique (kind, address) pairs.
// Each rule's source goes to the validator (dsl_rule_validator() remembers what it compiled).
std::vector<Diagnostic> validate_population(const Population& population,
                                            const RuleValidator& validator);

// The position in the file of `rule`'s source position (line, column) (both 1-based).
SourcePos file_position(const Rule& rule, uint32_t line, uint32_t column);

}  // namespace fmn::prefs
