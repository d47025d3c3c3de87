#include "dsl/user_params.h"

#include <algorithm>

#include "dsl/suggest.h"

namespace fmn::dsl {

void UserParams::normalize() {
  for (const ParamInfo& p : all_params()) {
    if (p.type != ValueType::kList) continue;
    std::vector<std::string>& v = list(p.id);
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }
}

const std::vector<std::string>& UserParams::list(ParamId id) const {
  return const_cast<UserParams*>(this)->list(id);
}

std::vector<std::string>& UserParams::list(ParamId id) {
  switch (id) {
    case ParamId::kMyPackages:
      return my_packages;
    case ParamId::kMyGroups:
      return my_groups;
    case ParamId::kMyGroupPackages:
      return my_group_packages;
    case ParamId::kFollowedPackages:
      return followed_packages;
    case ParamId::kFollowedUsers:
      return followed_users;
    case ParamId::kMe:
      break;
  }
  return my_packages;  // unreachable for a checked rule: $me is a string
}

std::string assign_param(UserParams& params, std::string_view assignment) {
  size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) return "expected name=value";
  std::string_view name = assignment.substr(0, eq);
  if (name.starts_with('$')) name.remove_prefix(1);
  std::string_view value = assignment.substr(eq + 1);
  const ParamInfo* p = find_param(name);
  if (!p) {
    std::vector<std::string_view> names;
    for (const ParamInfo& info : all_params()) names.push_back(info.name);
    std::optional<std::string> guess = closest_name(name, names);
    return "unknown parameter $" + std::string(name) +
           (guess ? "; did you mean $" + *guess + "?" : "");
  }
  if (p->type == ValueType::kString) {
    params.me = std::string(value);
    return {};
  }
  std::vector<std::string>& list = params.list(p->id);
  list.clear();
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    if (!item.empty()) list.emplace_back(item);
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
  }
  return {};
}

}  // namespace fmn::dsl
