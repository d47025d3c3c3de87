#include "prefs/toml_writer.h"

#include <algorithm>

#include "core/delivery_window.h"
#include "core/quoted_text.h"
#include "dsl/user_params.h"
#include "prefs/duration_text.h"

namespace fmn::prefs {
namespace {

// A TOML basic string: quotes, backslashes and control characters escaped.
std::string basic_string(std::string_view s) { return double_quoted(s); }

bool has_control_except_newline(std::string_view s) {
  for (char c : s) {
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f) return true;
  }
  return false;
}

// Rule text as written by people: a literal string (no escapes, so positions inside it match
// the file), multi-line when the rule spans lines; a basic string only when neither fits.
std::string rule_source(std::string_view s) {
  if (!has_control_except_newline(s)) {
    if (s.find('\n') == std::string_view::npos && s.find('\'') == std::string_view::npos) {
      return "'" + std::string(s) + "'";
    }
    if (s.find("'''") == std::string_view::npos && s.back() != '\'') {
      return "'''\n" + std::string(s) + "'''";
    }
  }
  return basic_string(s);
}

void write_list(std::string& out, std::string_view key, const std::vector<std::string>& items) {
  if (items.empty()) return;
  out += std::string(key) + " = [";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + basic_string(items[i]);
  out += "]\n";
}

// `[users.lists]`, by name: the canonical form whatever order the store kept them in.
void write_named_lists(std::string& out, const std::vector<NamedList>& lists) {
  if (lists.empty()) return;
  std::vector<const NamedList*> sorted;
  for (const NamedList& l : lists) sorted.push_back(&l);
  std::sort(sorted.begin(), sorted.end(),
            [](const NamedList* a, const NamedList* b) { return a->name < b->name; });
  out += "\n[users.lists]\n";
  for (const NamedList* l : sorted) {
    out += dsl::valid_list_name(l->name) ? l->name : basic_string(l->name);
    out += " = [";
    for (size_t i = 0; i < l->items.size(); ++i) out += (i ? ", " : "") + basic_string(l->items[i]);
    out += "]\n";
  }
}

void write_delivery(std::string& out, const Delivery& d) {
  static const DeliveryOptions kDefaults;
  out += "{ to = " + basic_string(d.destination);
  if (d.digest.every_seconds)
    out += ", every = \"" + format_duration(d.digest.every_seconds) + "\"";
  if (d.digest.at >= 0) out += ", at = \"" + format_time_of_day(d.digest.at) + "\"";
  if (d.digest.count) out += ", count = " + std::to_string(d.digest.count);
  auto flag = [&](const char* key, bool value, bool default_value) {
    if (value != default_value) out += std::string(", ") + key + " = " + (value ? "true" : "false");
  };
  flag("links", d.options.include_links, kDefaults.include_links);
  flag("verbose", d.options.verbose, kDefaults.verbose);
  flag("triggered_by", d.options.triggered_by, kDefaults.triggered_by);
  flag("shorten_links", d.options.shorten_links, kDefaults.shorten_links);
  flag("markup", d.options.markup, kDefaults.markup);
  out += " }";
}

}  // namespace

std::string write_user_toml(const User& user) {
  std::string out = "[[users]]\nname = " + basic_string(user.name) + "\n";
  if (!user.enabled) out += "enabled = false\n";
  for (const UserListField& f : user_list_fields()) write_list(out, f.key, user.*f.member);
  if (!user.tz.empty()) out += "tz = " + basic_string(user.tz) + "\n";
  if (user.snoozed_until) out += "snoozed_until = " + format_utc(user.snoozed_until) + "\n";
  if (user.muted_until) out += "muted_until = " + format_utc(user.muted_until) + "\n";
  write_named_lists(out, user.lists);
  for (const auto& d : user.destinations) {
    out += "\n[[users.destinations]]\n";
    if (d.name != destination_kind_name(d.kind)) out += "name = " + basic_string(d.name) + "\n";
    out += "kind = \"" + std::string(destination_kind_name(d.kind)) + "\"\n";
    out += "address = " + basic_string(d.address) + "\n";
    if (!d.token.empty()) out += "token = " + basic_string(d.token) + "\n";
    if (d.confirmation.state != ConfirmationState::kConfirmed) {
      out +=
          "confirmation = \"" + std::string(confirmation_state_name(d.confirmation.state)) + "\"\n";
    }
    if (!d.confirmation.code.empty()) out += "code = " + basic_string(d.confirmation.code) + "\n";
    if (d.confirmation.expires_at)
      out += "expires = " + format_utc(d.confirmation.expires_at) + "\n";
    if (d.quiet.set()) {
      out += "quiet = \"" + format_time_of_day(d.quiet.from) + "-" +
             format_time_of_day(d.quiet.to) + "\"\n";
    }
    if (d.snoozed_until) out += "snoozed_until = " + format_utc(d.snoozed_until) + "\n";
    if (d.muted_until) out += "muted_until = " + format_utc(d.muted_until) + "\n";
  }
  for (const auto& r : user.rules) {
    out += "\n[[users.rules]]\nname = " + basic_string(r.name) + "\n";
    out += "source = " + rule_source(r.source.view()) + "\n";
    if (!r.enabled) out += "enabled = false\n";
    if (!r.deliveries.empty()) {
      out += "deliver = [";
      for (size_t i = 0; i < r.deliveries.size(); ++i) {
        out += i ? ", " : "";
        write_delivery(out, r.deliveries[i]);
      }
      out += "]\n";
    }
  }
  return out;
}

std::string write_preferences_toml(const Population& population) {
  std::string out =
      "# fmn preferences: users, their destinations and rules (format: docs/preferences.md).\n"
      "version = 1\n";
  for (const auto& user : population.users) out += "\n" + write_user_toml(user);
  return out;
}

}  // namespace fmn::prefs
