// Where a checked file reads the user's named lists (`$lists.NAME`), and how: which lists
// exist and what they hold is the user's business, not the text's, so the text records its
// uses and user_list_checks.h checks them against one user's lists.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "dsl/ast.h"
#include "dsl/list_patterns.h"
#include "dsl/source.h"

namespace fmn::dsl {

struct ListUse {
  std::string name;
  TextSpan where;
  // Set when the list is read as patterns (`~`, `~*`, `matches`).
  std::optional<PatternKind> pattern;
  bool of_topic = false;  // ... of the `topic` field, unquantified
};

// Every `$lists.NAME` of `module` written at or after byte `from` of `file`, in the order of
// the module's expressions.
std::vector<ListUse> list_uses(const SourceFile& file, const Module& module, uint32_t from = 0);

}  // namespace fmn::dsl
