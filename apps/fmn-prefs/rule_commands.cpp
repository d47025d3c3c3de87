// Rule commands: add, edit, disable, remove. Rule text is checked by the rule-language compiler
// before anything is stored; an invalid rule is shown with its diagnostics and never stored.
#include <cstdio>

#include "apps/fmn-prefs/commands.h"
#include "core/delivery_window.h"
#include "core/diagnostic.h"
#include "prefs/dsl_rule_validator.h"
#include "prefs/duration_text.h"

namespace fmn::prefs_cli {
namespace {

struct RuleFlags {
  std::string user, name, source, every;
  std::vector<std::string> to;
  std::string at;  // HH:MM
  uint32_t count = 0;
  bool enable = false, disable = false;
};

// Diagnostics of `source` rendered against the rule text itself; false when it has errors.
bool check_source(const std::string& source) {
  bool ok = true;
  for (const auto& d : prefs::dsl_rule_validator()(source)) {
    std::fputs(render_text(d, "rule", source).c_str(), stderr);
    ok = ok && d.severity != Severity::kError;
  }
  if (!ok) fail("rule not stored");
  return ok;
}

// The deliveries named by --to, with the digest flags.
bool deliveries(const RuleFlags& f, std::vector<prefs::Delivery>& out) {
  prefs::DigestPolicy digest{0, f.count};
  if (!f.every.empty()) {
    auto seconds = prefs::parse_duration(f.every);
    if (!seconds) {
      fail("--every: expected a duration such as 30m, 1h or 1d");
      return false;
    }
    digest.every_seconds = *seconds;
  }
  if (!f.at.empty()) {
    digest.at = static_cast<int16_t>(parse_time_of_day(f.at));
    if (digest.at < 0 || !digest.settle_daily()) {
      fail("--at: expected a time of day such as 08:00 (a daily digest; --every, if given, 1d)");
      return false;
    }
  }
  out.clear();
  for (const auto& to : f.to) out.push_back({to, digest, {}, {}});
  return true;
}

void add_common(CLI::App* cmd, RuleFlags& f) {
  cmd->add_option("user", f.user, "Account name")->required();
  cmd->add_option("name", f.name, "Rule name")->required();
}

void add_delivery_flags(CLI::App* cmd, RuleFlags& f) {
  cmd->add_option("--to", f.to, "Destination name (email, irc, ...); repeatable");
  cmd->add_option("--every", f.every, "Digest: send at most every DURATION (30m, 1h, 1d)");
  cmd->add_option("--count", f.count, "Digest: send after N messages");
  cmd->add_option("--at", f.at, "Digest: send daily at HH:MM in the user's time zone");
}

}  // namespace

void add_rule_commands(CLI::App& app) {
  auto* rule = app.add_subcommand("rule", "Add, edit, disable or remove a user's rule");
  rule->require_subcommand(1);

  static RuleFlags add_flags;
  auto* add = rule->add_subcommand("add", "Add a rule (checked first; never stored invalid)");
  add_common(add, add_flags);
  add->add_option("source", add_flags.source, "The rule (docs/rules-language.md)")->required();
  add_delivery_flags(add, add_flags);
  add->add_flag("--disabled", add_flags.disable, "Store it disabled");
  add->callback([] {
    const auto& f = add_flags;
    prefs::User user;
    if (!check_source(f.source) || !load_user(f.user, user)) return;
    if (user.find_rule(f.name) != nullptr) return fail("rule \"" + f.name + "\" exists");
    prefs::Rule& r = user.rules.emplace_back();
    r.name = f.name;
    r.source = f.source;
    r.enabled = !f.disable;
    if (deliveries(f, r.deliveries) && save_user(user)) {
      std::printf("added rule \"%s\" for %s\n", f.name.c_str(), f.user.c_str());
    }
  });

  static RuleFlags edit_flags;
  auto* edit = rule->add_subcommand("edit", "Change a rule's text, destinations or state");
  add_common(edit, edit_flags);
  edit->add_option("--source", edit_flags.source, "New rule text");
  add_delivery_flags(edit, edit_flags);
  edit->add_flag("--enable", edit_flags.enable, "Enable the rule");
  edit->add_flag("--disable", edit_flags.disable, "Disable the rule");
  edit->callback([] {
    const auto& f = edit_flags;
    prefs::User user;
    if (!f.source.empty() && !check_source(f.source)) return;
    if (!load_user(f.user, user)) return;
    prefs::Rule* r = user.find_rule(f.name);
    if (r == nullptr) return fail("user " + f.user + " has no rule \"" + f.name + "\"");
    if (!f.source.empty()) r->source = f.source;
    if (f.enable || f.disable) r->enabled = f.enable;
    if (!f.to.empty() && !deliveries(f, r->deliveries)) return;
    if (save_user(user)) std::printf("updated rule \"%s\" of %s\n", f.name.c_str(), f.user.c_str());
  });

  static RuleFlags disable_flags;
  auto* disable = rule->add_subcommand("disable", "Disable a rule (kept, no longer matched)");
  add_common(disable, disable_flags);
  disable->callback([] {
    prefs::User user;
    if (!load_user(disable_flags.user, user)) return;
    prefs::Rule* r = user.find_rule(disable_flags.name);
    if (r == nullptr) return fail("no rule \"" + disable_flags.name + "\"");
    r->enabled = false;
    if (save_user(user)) std::printf("disabled rule \"%s\"\n", disable_flags.name.c_str());
  });

  static RuleFlags remove_flags;
  auto* remove = rule->add_subcommand("remove", "Remove a rule");
  add_common(remove, remove_flags);
  remove->callback([] {
    prefs::User user;
    if (!load_user(remove_flags.user, user)) return;
    auto& rules = user.rules;
    auto it = std::find_if(rules.begin(), rules.end(),
                           [](const prefs::Rule& r) { return r.name == remove_flags.name; });
    if (it == rules.end()) return fail("no rule \"" + remove_flags.name + "\"");
    rules.erase(it);
    if (save_user(user)) std::printf("removed rule \"%s\"\n", remove_flags.name.c_str());
  });
}

}  // namespace fmn::prefs_cli
