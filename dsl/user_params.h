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
#include "dsl/param_list.h"
#include "dsl/params_view.h"

namespace fmn::dsl {

// True when `name` can follow `$lists.`: 1 to kMaxListNameBytes letters, digits and '_', not
// starting with a digit.
bool valid_list_name(std::string_view name);

// The fixed list parameters hold interned strings (param_list.h): a package name is stored
// once however many users follow it.
struct UserParams {
  std::string me;
  ParamList my_packages;
  ParamList my_groups;
  ParamList my_group_packages;
  ParamList followed_packages;
  ParamList followed_users;
  std::vector<UserList> lists;  // by name after normalize()

  // Sorts every list and removes duplicates; sorts `lists` by name (a repeated name keeps
  // its first list).
  void normalize();

  // What rules read (params_view.h). REQUIRES: normalize().
  ParamsView view() const;
  operator ParamsView() const { return view(); }  // NOLINT: read wherever a view is

  // The items of the list named `name` (empty when there is none). REQUIRES: normalize().
  const std::vector<std::string>& user_list(std::string_view name) const {
    return view().user_list(name);
  }

  // REQUIRES: param_info(id).type == ValueType::kList.
  const ParamList& list(ParamId id) const;
  ParamList& list(ParamId id);
};

// Sets one parameter from "name=value" (lists: "name=a,b,c", named lists "lists.NAME=a,b";
// "$" before the name is optional), as fmn-rulec's --param does. Returns an error message, or
// "" on success.
std::string assign_param(UserParams& params, std::string_view assignment);

}  // namespace fmn::dsl
