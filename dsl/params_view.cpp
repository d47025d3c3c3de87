#include "dsl/params_view.h"

#include <algorithm>

namespace fmn::dsl {

const UserList* ParamsView::find_list(std::string_view name) const {
  auto it = std::lower_bound(user_lists.begin(), user_lists.end(), name,
                             [](const UserList& l, std::string_view n) { return l.name < n; });
  return it != user_lists.end() && it->name == name ? &*it : nullptr;
}

const std::vector<std::string>& ParamsView::user_list(std::string_view name) const {
  static const std::vector<std::string> kNone;
  const UserList* l = find_list(name);
  return l ? l->items : kNone;
}

const std::vector<Glob>& ParamsView::user_list_globs(std::string_view name, bool folded) const {
  static const std::vector<Glob> kNone;
  const UserList* l = find_list(name);
  return l && l->patterns ? l->patterns->globs(l->items, folded) : kNone;
}

const ListPatterns::Regexes& ParamsView::user_list_regexes(std::string_view name) const {
  static const ListPatterns::Regexes kNone;
  const UserList* l = find_list(name);
  return l && l->patterns ? l->patterns->regexes(l->items) : kNone;
}

}  // namespace fmn::dsl
