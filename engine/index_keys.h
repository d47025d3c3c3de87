// Index keys: which message values a rule, bound to one user's parameters, cannot match without.
//
// A key is a (field, value) pair the message must carry (`packages in $my_packages` with
// my_packages = [a, b] gives (packages, a) and (packages, b)), or a topic glob the message's topic
// must match. rule_keys() returns a set such that the rule can only match messages having at
// least one of its keys: for `and` the most selective child's set, for `or` the union of every
// branch's, none for `not`. A rule with no such set (e.g. `not topic ~ "*.koji.*"`) is
// unindexable and goes to the always-check list; an empty set means the rule never matches for
// this user (e.g. `$me in usernames` with no $me). The tests that ignore case (`==*`...) give no
// keys: the index holds values as messages spell them. `any` over a list field gives the keys of
// the `in` it amounts to (`any packages == "a"` is `"a" in packages`); `all` gives none.
// Thread-safe; pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dsl/fields.h"
#include "dsl/program.h"
#include "dsl/user_params.h"

namespace fmn::engine {

struct IndexKey {
  enum class Kind : uint8_t { kField, kTopicGlob };
  Kind kind = Kind::kField;
  dsl::FieldId field = dsl::FieldId::kTopic;  // kField: a string or list-of-strings field
  std::string value;                          // kField: the value; kTopicGlob: the pattern
  bool operator==(const IndexKey&) const = default;
};

// nullopt: unindexable (check the rule on every message).
std::optional<std::vector<IndexKey>> rule_keys(const dsl::CompiledRule& rule,
                                               const dsl::ParamsView& params);

// True when any message reaching one of the rule's keys satisfies the rule, whatever the
// user's parameters: the rule is one `==`/`in` membership test between a field and values
// (`packages in $my_packages`, `$me in usernames`), or an `or` of such tests (under `and`s of
// one child). The engine then skips evaluating it for the records the index collected.
bool keys_prove(const dsl::CompiledRule& rule);

// How many messages a key is expected to let through, relative to a username or package key:
// what `and` minimises when it picks a child.
double key_cost(const IndexKey& key);

}  // namespace fmn::engine
