// The per-user values a rule's `$parameters` stand for, bound from the preferences store:
// the fixed parameters (dsl/fields.h) and the user's named lists (`$lists.NAME`).
//
// REQUIRES for evaluation: normalize() was called after the lists were filled (the
// interpreter binary-searches them). An empty `me` counts as missing; a `$lists.NAME` the
// user has no list of reads as an empty list (the checker refuses it when the rule is saved,
// but the list may be deleted later). A plain value; share it read-only between threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/fields.h"
#include "dsl/list_patterns.h"

namespace fmn::dsl {

// One of the user's named lists: `$lists.channels`.
struct UserList {
  std::string name;
  std::vector<std::string> items;
  // The items compiled as patterns, on first use (list_patterns.h); new at each normalize(),
  // shared by copies made after it.
  std::shared_ptr<const ListPatterns> patterns;
};

// True when `name` can follow `$lists.`: 1 to kMaxListNameBytes letters, digits and '_', not
// starting with a digit.
bool valid_list_name(std::string_view name);

struct UserParams {
  std::string me;
  std::vector<std::string> my_packages;
  std::vector<std::string> my_groups;
  std::vector<std::string> my_group_packages;
  std::vector<std::string> followed_packages;
  std::vector<std::string> followed_users;
  std::vector<UserList> lists;  // by name after normalize()

  // Sorts every list and removes duplicates; sorts `lists` by name (a repeated name keeps
  // its first list).
  void normalize();

  // The items of the list named `name` (empty when there is none). REQUIRES: normalize().
  const std::vector<std::string>& user_list(std::string_view name) const;
  // The same list's items as globs of `~` (`folded`: of `~*`, lowered) or regexes of
  // `matches`, compiled once per list and kind. REQUIRES: normalize().
  const std::vector<Glob>& user_list_globs(std::string_view name, bool folded) const;
  const ListPatterns::Regexes& user_list_regexes(std::string_view name) const;

  // REQUIRES: param_info(id).type == ValueType::kList.
  const std::vector<std::string>& list(ParamId id) const;
  std::vector<std::string>& list(ParamId id);

 private:
  const UserList* find_list(std::string_view name) const;
};

// Sets one parameter from "name=value" (lists: "name=a,b,c", named lists "lists.NAME=a,b";
// "$" before the name is optional), as fmn-rulec's --param does. Returns an error message, or
// "" on success.
std::string assign_param(UserParams& params, std::string_view assignment);

}  // namespace fmn::dsl
