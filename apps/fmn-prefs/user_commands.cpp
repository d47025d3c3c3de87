// User commands: add, remove, show.
#include <cstdio>

#include "apps/fmn-prefs/commands.h"
#include "prefs/toml_writer.h"

namespace fmn::prefs_cli {
namespace {

// FMN's two default rules (data/rules/fmn-defaults.fmn), for a new user who asks for them.
constexpr const char* kMyPackages =
    "packages in $my_packages and not mutual_noise and not package_noise";
constexpr const char* kMentionsMe = "$me in usernames and not mutual_noise and not username_noise";

}  // namespace

void add_user_commands(CLI::App& app) {
  auto* user = app.add_subcommand("user", "Add, remove or show a user");
  user->require_subcommand(1);

  auto* add = user->add_subcommand("add", "Add a user (fails if the name is taken)");
  static prefs::User added;
  static std::string email;
  static bool defaults = false;
  add->add_option("name", added.name, "Account name")->required();
  add->add_option("--email", email, "An email destination (confirmed: the account's own)");
  add->add_option(
      "--package", added.packages,
      "A maintained or followed package ($my_packages, $followed_packages); repeatable");
  add->add_option("--group", added.groups, "A group membership ($my_groups); repeatable");
  add->add_option("--alias", added.aliases, "Another identity (email, IRC nick); repeatable");
  add->add_flag("--defaults", defaults,
                "Give the user FMN's default rules (\"my packages\", \"mentions me\") to email");
  add->callback([] {
    auto* s = store();
    if (s == nullptr) return;
    auto existing = s->load_user(added.name);
    if (existing.ok() && existing->has_value()) return fail("user \"" + added.name + "\" exists");
    if (!email.empty()) {
      prefs::Destination& d = added.destinations.emplace_back();
      d.name = "email";
      d.address = email;
    }
    if (defaults) {
      for (auto [name, source] :
           {std::pair{"my packages", kMyPackages}, std::pair{"mentions me", kMentionsMe}}) {
        prefs::Rule& r = added.rules.emplace_back();
        r.name = name;
        r.source = source;
        if (!email.empty()) r.deliveries.push_back({"email", {}, {}, {}});
      }
    }
    if (save_user(added)) std::printf("added user %s\n", added.name.c_str());
  });

  auto* remove = user->add_subcommand("remove", "Remove a user and all their preferences");
  static std::string removed;
  remove->add_option("name", removed, "Account name")->required();
  remove->callback([] {
    auto* s = store();
    if (s == nullptr) return;
    auto gone = s->remove_user(removed);
    if (!gone) return fail(gone.error().message);
    if (!*gone) return fail("no user \"" + removed + "\"");
    std::printf("removed user %s\n", removed.c_str());
  });

  auto* show = user->add_subcommand("show", "Print a user's preferences (file form)");
  static std::string shown;
  show->add_option("name", shown, "Account name")->required();
  show->callback([] {
    prefs::User u;
    if (load_user(shown, u)) std::fputs(prefs::write_user_toml(u).c_str(), stdout);
  });
}

}  // namespace fmn::prefs_cli
