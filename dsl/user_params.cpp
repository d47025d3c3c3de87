#include "dsl/user_params.h"

#include <algorithm>

#include "dsl/ast.h"
#include "dsl/limits.h"
#include "dsl/suggest.h"

namespace fmn::dsl {
namespace {

// "a,b,c" into `list` (replacing what it held); empty items are skipped.
template <typename List>
void split_items(std::string_view value, List& list) {
  list.clear();
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    if (!item.empty()) list.push_back(std::string(item));
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
  }
}

}  // namespace

bool valid_list_name(std::string_view name) {
  auto word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  return !name.empty() && name.size() <= kMaxListNameBytes && !(name[0] >= '0' && name[0] <= '9') &&
         std::all_of(name.begin(), name.end(), word);
}

void UserParams::normalize() {
  for (const ParamInfo& p : all_params()) {
    if (p.type != ValueType::kList) continue;
    ParamList& v = list(p.id);
    std::sort(v.begin(), v.end());
    v.resize(std::unique(v.begin(), v.end()) - v.begin());
  }
  std::stable_sort(lists.begin(), lists.end(),
                   [](const UserList& a, const UserList& b) { return a.name < b.name; });
  lists.erase(std::unique(lists.begin(), lists.end(),
                          [](const UserList& a, const UserList& b) { return a.name == b.name; }),
              lists.end());
  for (UserList& l : lists) {
    std::sort(l.items.begin(), l.items.end());
    l.items.erase(std::unique(l.items.begin(), l.items.end()), l.items.end());
    l.patterns = std::make_shared<const ListPatterns>();
  }
}

ParamsView UserParams::view() const {
  ParamsView v;
  v.me = me;
  for (const ParamInfo& p : all_params()) {
    if (p.type != ValueType::kList) continue;
    const ParamList& l = list(p.id);
    v.lists[list_param_slot(p.id)] = {l.begin(), l.size()};
  }
  v.user_lists = lists;
  return v;
}

const ParamList& UserParams::list(ParamId id) const {
  return const_cast<UserParams*>(this)->list(id);
}

ParamList& UserParams::list(ParamId id) {
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
  if (std::optional<std::string_view> list_name = user_list_name(name)) {
    if (list_name->empty()) return "expected lists.NAME=a,b,c";
    auto it = std::find_if(params.lists.begin(), params.lists.end(),
                           [&](const UserList& l) { return l.name == *list_name; });
    if (it == params.lists.end())
      it = params.lists.insert(it, UserList{std::string(*list_name), {}});
    split_items(value, it->items);
    return {};
  }
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
  split_items(value, params.list(p->id));
  return {};
}

}  // namespace fmn::dsl
