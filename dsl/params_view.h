// ParamsView: the values a rule's `$parameters` stand for, as the interpreter, native code and
// the index read them: views of one user's parameters, wherever they are stored (a UserParams,
// or the engine's packed records of many users).
//
// REQUIRES: the lists sorted and without duplicates, the named lists sorted by name (what
// UserParams::normalize() makes). An empty `me` counts as missing; a `$lists.NAME` the user has
// no list of reads as an empty list. A view: it lives no longer than what it refers to.
// Thread-safe for readers (a named list's patterns are compiled once, under their own lock).
#pragma once

#include <array>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/fields.h"
#include "dsl/interned_string.h"
#include "dsl/list_patterns.h"
#include "dsl/strings_view.h"

namespace fmn::dsl {

// One of the user's named lists: `$lists.channels`.
struct UserList {
  std::string name;
  std::vector<std::string> items;
  // The items compiled as patterns, on first use (list_patterns.h); new at each normalize(),
  // shared by copies made after it.
  std::shared_ptr<const ListPatterns> patterns;
};

// The list parameters ($my_packages...): every ParamId but kMe, in ParamId order.
inline constexpr size_t kListParamCount = 5;
inline constexpr size_t list_param_slot(ParamId id) { return static_cast<size_t>(id) - 1; }

struct ParamsView {
  std::string_view me;
  std::array<std::span<const InternedString>, kListParamCount> lists;  // by list_param_slot()
  std::span<const UserList> user_lists;                                // by name

  // REQUIRES: param_info(id).type == ValueType::kList.
  std::span<const InternedString> list(ParamId id) const { return lists[list_param_slot(id)]; }
  StringsView strings(ParamId id) const {
    std::span<const InternedString> l = list(id);
    return {l.data(), l.size()};
  }

  // The items of the list named `name` (empty when there is none).
  const std::vector<std::string>& user_list(std::string_view name) const;
  // The same list's items as globs of `~` (`folded`: of `~*`, lowered) or regexes of
  // `matches`, compiled once per list and kind.
  const std::vector<Glob>& user_list_globs(std::string_view name, bool folded) const;
  const ListPatterns::Regexes& user_list_regexes(std::string_view name) const;

 private:
  const UserList* find_list(std::string_view name) const;
};

}  // namespace fmn::dsl
