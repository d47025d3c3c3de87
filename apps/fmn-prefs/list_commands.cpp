// Named-list commands: show, set, remove a user's `$lists.NAME`.
#include <algorithm>
#include <cstdio>

#include "apps/fmn-prefs/commands.h"

namespace fmn::prefs_cli {
namespace {

std::vector<prefs::NamedList>::iterator find_list(prefs::User& user, const std::string& name) {
  return std::find_if(user.lists.begin(), user.lists.end(),
                      [&](const prefs::NamedList& l) { return l.name == name; });
}

}  // namespace

void add_list_commands(CLI::App& app) {
  auto* list = app.add_subcommand("list", "A user's named lists, read by rules as $lists.NAME");
  list->require_subcommand(1);

  auto* show = list->add_subcommand("show", "Print a user's lists, one per line");
  static std::string shown;
  show->add_option("user", shown, "Account name")->required();
  show->callback([] {
    prefs::User u;
    if (!load_user(shown, u)) return;
    for (const prefs::NamedList& l : u.lists) {
      std::string line = l.name + ":";
      for (const std::string& item : l.items) line += " " + item;
      std::printf("%s\n", line.c_str());
    }
  });

  auto* set = list->add_subcommand(
      "set", "Create a list or replace its entries (checked first; none: an empty list)");
  static std::string set_user, set_name;
  static std::vector<std::string> set_items;
  set->add_option("user", set_user, "Account name")->required();
  set->add_option("name", set_name, "List name: rules read it as $lists.NAME")->required();
  set->add_option("items", set_items, "The entries");
  set->callback([] {
    prefs::User u;
    if (!load_user(set_user, u)) return;
    auto it = find_list(u, set_name);
    if (it == u.lists.end()) it = u.lists.insert(it, prefs::NamedList{set_name, {}, {}});
    it->items = set_items;
    if (save_user(u)) {
      std::printf("list %s of %s: %zu entries\n", set_name.c_str(), set_user.c_str(),
                  set_items.size());
    }
  });

  auto* remove = list->add_subcommand("remove", "Remove a list no rule reads");
  static std::string removed_user, removed_name;
  remove->add_option("user", removed_user, "Account name")->required();
  remove->add_option("name", removed_name, "List name")->required();
  remove->callback([] {
    prefs::User u;
    if (!load_user(removed_user, u)) return;
    auto it = find_list(u, removed_name);
    if (it == u.lists.end())
      return fail("user \"" + removed_user + "\" has no list \"" + removed_name + "\"");
    u.lists.erase(it);
    if (save_user(u))
      std::printf("removed list %s of %s\n", removed_name.c_str(), removed_user.c_str());
  });
}

}  // namespace fmn::prefs_cli
