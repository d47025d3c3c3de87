// Destination commands: list (with confirmation states), add (pending), confirm-start,
// confirm, remove.
#include <cstdio>
#include <ctime>

#include "apps/fmn-prefs/commands.h"
#include "prefs/confirmation.h"
#include "prefs/destination_secret.h"
#include "prefs/duration_text.h"

namespace fmn::prefs_cli {
namespace {

struct DestinationFlags {
  std::string user, name, kind, address, code;
};

int64_t now() { return static_cast<int64_t>(std::time(nullptr)); }

void print_pending(const prefs::Destination& d) {
  std::printf("confirmation code for %s (%s): %s, valid until %s\n", d.name.c_str(),
              d.address.c_str(), d.confirmation.code.c_str(),
              prefs::format_utc(d.confirmation.expires_at).c_str());
}

}  // namespace

void add_destination_commands(CLI::App& app) {
  auto* dest = app.add_subcommand("dest", "A user's destinations and their confirmations");
  dest->require_subcommand(1);

  static DestinationFlags list_flags;
  auto* list = dest->add_subcommand("list", "List a user's destinations and their states");
  list->add_option("user", list_flags.user, "Account name")->required();
  list->callback([] {
    prefs::User user;
    if (!load_user(list_flags.user, user)) return;
    for (const auto& d : user.destinations) {
      std::string state(prefs::confirmation_state_name(d.confirmation.state));
      if (d.confirmation.state == prefs::ConfirmationState::kPending) {
        state += " until " + prefs::format_utc(d.confirmation.expires_at);
      }
      std::printf("%-10s %-6s %-40s %s\n", d.name.c_str(),
                  std::string(fmn::destination_kind_name(d.kind)).c_str(), d.address.c_str(),
                  state.c_str());
    }
  });

  static DestinationFlags add_flags;
  auto* add = dest->add_subcommand(
      "add", "Add a destination; it stays pending (receives nothing) until confirmed");
  add->add_option("user", add_flags.user, "Account name")->required();
  add->add_option("kind", add_flags.kind, "email, irc or sse")->required();
  add->add_option("address", add_flags.address, "Email address, IRC nick or feed name")->required();
  add->add_option("--name", add_flags.name, "How rules refer to it (default: the kind)");
  add->callback([] {
    auto& f = add_flags;
    prefs::User user;
    if (!load_user(f.user, user)) return;
    prefs::Destination d;
    if (!prefs::parse_destination_kind(f.kind, d.kind)) {
      return fail("kinds are " + prefs::user_destination_kind_names());
    }
    d.name = f.name.empty() ? f.kind : f.name;
    d.address = f.address;
    const std::string secret =
        prefs::has_secret(d.kind) ? prefs::new_destination_secret(d) : std::string();
    prefs::start_confirmation(d, now());
    user.destinations.push_back(d);
    if (!save_user(user)) return;
    print_pending(d);
    if (!secret.empty()) {
      std::printf("token of %s (%s): %s\n(shown this once: the store keeps only %s)\n",
                  d.name.c_str(), d.address.c_str(), secret.c_str(),
                  destination_kind_info(d.kind).secret_hashed ? "its digest" : "the token");
    }
  });

  static DestinationFlags start_flags;
  auto* start = dest->add_subcommand("confirm-start", "Start (or restart) a confirmation");
  start->add_option("user", start_flags.user, "Account name")->required();
  start->add_option("name", start_flags.name, "Destination name")->required();
  start->callback([] {
    prefs::User user;
    if (!load_user(start_flags.user, user)) return;
    prefs::Destination* d = user.find_destination(start_flags.name);
    if (d == nullptr) return fail("no destination \"" + start_flags.name + "\"");
    prefs::start_confirmation(*d, now());
    if (save_user(user)) print_pending(*d);
  });

  static DestinationFlags confirm_flags;
  auto* confirm = dest->add_subcommand("confirm", "Confirm a destination with its code");
  confirm->add_option("user", confirm_flags.user, "Account name")->required();
  confirm->add_option("name", confirm_flags.name, "Destination name")->required();
  confirm->add_option("code", confirm_flags.code, "The code sent to the destination")->required();
  confirm->callback([] {
    prefs::User user;
    if (!load_user(confirm_flags.user, user)) return;
    prefs::Destination* d = user.find_destination(confirm_flags.name);
    if (d == nullptr) return fail("no destination \"" + confirm_flags.name + "\"");
    switch (prefs::confirm(*d, confirm_flags.code, now())) {
      case prefs::ConfirmOutcome::kConfirmed:
        if (save_user(user)) std::printf("confirmed %s\n", d->address.c_str());
        return;
      case prefs::ConfirmOutcome::kWrongCode:
        return fail("wrong code");
      case prefs::ConfirmOutcome::kExpired:
        return fail("the code expired; start again with confirm-start");
      case prefs::ConfirmOutcome::kNotPending:
        return fail("nothing to confirm: the destination is " +
                    std::string(prefs::confirmation_state_name(d->confirmation.state)));
    }
  });

  static DestinationFlags remove_flags;
  auto* remove = dest->add_subcommand("remove", "Remove a destination no rule uses");
  remove->add_option("user", remove_flags.user, "Account name")->required();
  remove->add_option("name", remove_flags.name, "Destination name")->required();
  remove->callback([] {
    prefs::User user;
    if (!load_user(remove_flags.user, user)) return;
    auto& ds = user.destinations;
    auto it = std::find_if(ds.begin(), ds.end(),
                           [](const prefs::Destination& d) { return d.name == remove_flags.name; });
    if (it == ds.end()) return fail("no destination \"" + remove_flags.name + "\"");
    ds.erase(it);
    if (save_user(user)) std::printf("removed destination %s\n", remove_flags.name.c_str());
  });
}

}  // namespace fmn::prefs_cli
