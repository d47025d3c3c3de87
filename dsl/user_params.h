// The per-user values a rule's `$parameters` stand for, bound from the preferences store.
//
// REQUIRES for evaluation: normalize() was called after the lists were filled (the
// interpreter binary-searches them). An empty `me` counts as missing. A plain value; share
// it read-only between threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dsl/fields.h"

namespace fmn::dsl {

struct UserParams {
  std::string me;
  std::vector<std::string> my_packages;
  std::vector<std::string> my_groups;
  std::vector<std::string> my_group_packages;
  std::vector<std::string> followed_packages;
  std::vector<std::string> followed_users;

  // Sorts every list and removes duplicates.
  void normalize();

  // REQUIRES: param_info(id).type == ValueType::kList.
  const std::vector<std::string>& list(ParamId id) const;
  std::vector<std::string>& list(ParamId id);
};

// Sets one parameter from "name=value" (lists: "name=a,b,c"; "$" before the name is
// optional), as fmn-rulec's --param does. Returns an error message, or "" on success.
std::string assign_param(UserParams& params, std::string_view assignment);

}  // namespace fmn::dsl
