#include "prefs/toml_reader.h"

#include <toml++/toml.h>

#include <algorithm>
#include <initializer_list>

#include "core/delivery_window.h"
#include "prefs/duration_text.h"
#include "prefs/validation.h"

namespace fmn::prefs {
namespace {

constexpr int64_t kFormatVersion = 1;

SourcePos pos_of(const toml::source_region& region) {
  return {static_cast<uint32_t>(region.begin.line), static_cast<uint32_t>(region.begin.column)};
}
SourcePos pos_of(const toml::node& node) { return pos_of(node.source()); }

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// The file text starting at `pos` (to find out how a string value was quoted).
std::string_view text_at(std::string_view text, SourcePos pos) {
  size_t offset = 0;
  for (uint32_t line = 1; line < pos.line; ++line) {
    offset = text.find('\n', offset);
    if (offset == std::string_view::npos) return {};
    ++offset;
  }
  offset += pos.column - 1;
  return offset <= text.size() ? text.substr(offset) : std::string_view();
}

class Reader {
 public:
  Reader(std::string_view text, std::vector<Diagnostic>& out) : text_(text), out_(out) {}

  void error(SourcePos pos, std::string message, std::string hint = {}) {
    out_.push_back({.span = span_at(pos),
                    .subject = where_,
                    .message = std::move(message),
                    .hint = std::move(hint)});
  }

  // Reports keys of `table` not in `known`, with a suggestion when one is close.
  void check_keys(const toml::table& table, std::initializer_list<std::string_view> known) {
    check_keys(table, std::vector<std::string_view>(known));
  }
  void check_keys(const toml::table& table, const std::vector<std::string_view>& known) {
    for (auto&& [key, value] : table) {
      if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
      std::string hint;
      for (auto k : known) {
        if (edit_distance(k, key.str()) <= 2) hint = "did you mean `" + std::string(k) + "`?";
      }
      if (hint.empty()) {
        hint = "known keys:";
        for (auto k : known) hint += " " + std::string(k);
      }
      error(pos_of(key.source()), "unknown key `" + std::string(key.str()) + "`", hint);
    }
  }

  const toml::node* get(const toml::table& table, std::string_view key, SourcePos owner,
                        bool required) {
    const toml::node* node = table.get(key);
    if (node == nullptr && required) error(owner, "missing key `" + std::string(key) + "`");
    return node;
  }

  bool read_string(const toml::table& t, std::string_view key, SourcePos owner, std::string& out,
                   bool required = false) {
    const toml::node* node = get(t, key, owner, required);
    if (node == nullptr) return false;
    if (!node->is_string()) {
      error(pos_of(*node), "`" + std::string(key) + "` must be a string");
      return false;
    }
    out = node->as_string()->get();
    return true;
  }

  void read_bool(const toml::table& t, std::string_view key, bool& out) {
    const toml::node* node = t.get(key);
    if (node == nullptr) return;
    if (!node->is_boolean()) {
      error(pos_of(*node), "`" + std::string(key) + "` must be true or false");
      return;
    }
    out = node->as_boolean()->get();
  }

  void read_strings(const toml::table& t, std::string_view key, std::vector<std::string>& out) {
    const toml::node* node = t.get(key);
    if (node == nullptr) return;
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      error(pos_of(*node), "`" + std::string(key) + "` must be an array of strings");
      return;
    }
    for (const auto& item : *array) {
      if (!item.is_string()) {
        error(pos_of(item), "`" + std::string(key) + "` must hold only strings");
        continue;
      }
      out.push_back(item.as_string()->get());
    }
  }

  // Digest periods: "1h30m", or a whole number of seconds.
  void read_every(const toml::node& node, uint32_t& out) {
    if (node.is_integer() && node.as_integer()->get() >= 0 &&
        node.as_integer()->get() <= 366 * 86400) {
      out = static_cast<uint32_t>(node.as_integer()->get());
      return;
    }
    auto parsed = node.is_string() ? parse_duration(node.as_string()->get()) : std::nullopt;
    if (!parsed) {
      error(pos_of(node), "`every` must be a duration such as \"30m\", \"1h\" or \"1d12h\"",
            "units d, h, m, s; at most a year");
      return;
    }
    out = *parsed;
  }

  template <typename Fn>
  void for_each_table(const toml::table& t, std::string_view key, Fn&& fn) {
    const toml::node* node = t.get(key);
    if (node == nullptr) return;
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      error(pos_of(*node), "`" + std::string(key) + "` must be an array of tables",
            "write [[users." + std::string(key) + "]] sections or a list of { ... }");
      return;
    }
    for (const auto& item : *array) {
      if (const toml::table* table = item.as_table()) {
        fn(*table);
      } else {
        error(pos_of(item), "each entry of `" + std::string(key) + "` must be a table");
      }
    }
  }

  void read_file(const toml::table& root, Population& population) {
    check_keys(root, {"version", "users"});
    if (const toml::node* v = root.get("version")) {
      if (!v->is_integer() || v->as_integer()->get() != kFormatVersion) {
        error(pos_of(*v), "unsupported file format version", "this fmn reads version 1");
      }
    }
    const toml::node* users = root.get("users");
    if (users != nullptr && !users->is_array_of_tables()) {
      error(pos_of(*users), "`users` must be an array of tables", "write [[users]] sections");
      return;
    }
    for_each_table(root, "users",
                   [&](const toml::table& t) { population.users.push_back(read_user(t)); });
  }

  User read_user(const toml::table& t) {
    User user;
    user.pos = pos_of(t);
    where_.clear();
    read_string(t, "name", user.pos, user.name, true);
    where_ = "user \"" + user.name + "\"";
    std::vector<std::string_view> keys{"name",        "enabled",      "tz",    "snoozed_until",
                                       "muted_until", "destinations", "rules", "lists"};
    for (const UserListField& f : user_list_fields()) keys.push_back(f.key);
    check_keys(t, keys);
    read_bool(t, "enabled", user.enabled);
    for (const UserListField& f : user_list_fields()) read_strings(t, f.key, user.*f.member);
    if (read_string(t, "tz", user.pos, user.tz) && !valid_time_zone(user.tz)) {
      error(pos_of(*t.get("tz")), "unknown time zone \"" + user.tz + "\"",
            "an IANA zone name such as \"Europe/Prague\" or \"America/New_York\"");
    }
    read_instant(t, "snoozed_until", user.snoozed_until);
    read_instant(t, "muted_until", user.muted_until);
    read_named_lists(t, user);
    for_each_table(t, "destinations",
                   [&](const toml::table& d) { user.destinations.push_back(read_destination(d)); });
    for_each_table(t, "rules", [&](const toml::table& r) { user.rules.push_back(read_rule(r)); });
    return user;
  }

  // `[users.lists]`: name = ["item", ...] per list (toml++ keeps keys sorted by name).
  void read_named_lists(const toml::table& t, User& user) {
    const toml::node* node = t.get("lists");
    if (node == nullptr) return;
    const toml::table* lists = node->as_table();
    if (lists == nullptr) {
      error(pos_of(*node), "`lists` must be a table of lists",
            "write [users.lists] with lines such as channels = [\"#fedora-devel\"]");
      return;
    }
    for (const auto& [key, value] : *lists) {
      NamedList& l = user.lists.emplace_back();
      l.name = std::string(key.str());
      l.pos = pos_of(value);
      read_strings(*lists, key.str(), l.items);
    }
  }

  Destination read_destination(const toml::table& t) {
    Destination d;
    d.pos = pos_of(t);
    check_keys(t, {"name", "kind", "address", "token", "confirmation", "code", "expires", "quiet",
                   "snoozed_until", "muted_until"});
    std::string kind;
    if (read_string(t, "kind", d.pos, kind, true) && !parse_destination_kind(kind, d.kind)) {
      error(pos_of(*t.get("kind")), "unknown destination kind \"" + kind + "\"",
            "kinds are " + user_destination_kind_names());
    }
    if (!read_string(t, "name", d.pos, d.name)) d.name = destination_kind_name(d.kind);
    read_string(t, "address", d.pos, d.address, true);
    read_string(t, "token", d.pos, d.token);
    std::string state;
    if (read_string(t, "confirmation", d.pos, state) &&
        !parse_confirmation_state(state, d.confirmation.state)) {
      error(pos_of(*t.get("confirmation")), "unknown confirmation state \"" + state + "\"",
            "states are pending, confirmed and rejected");
    }
    read_string(t, "code", d.pos, d.confirmation.code);
    read_instant(t, "expires", d.confirmation.expires_at);
    std::string quiet;
    if (read_string(t, "quiet", d.pos, quiet)) {
      const size_t dash = quiet.find('-');
      const int from = parse_time_of_day(std::string_view(quiet).substr(0, dash));
      const int to = dash == std::string::npos ? -1 : parse_time_of_day(quiet.substr(dash + 1));
      if (from < 0 || to < 0 || from == to) {
        error(pos_of(*t.get("quiet")), "`quiet` must be two different times, \"HH:MM-HH:MM\"",
              "e.g. quiet = \"22:00-07:00\" (local times in the user's `tz`)");
      } else {
        d.quiet = {static_cast<int16_t>(from), static_cast<int16_t>(to)};
      }
    }
    read_instant(t, "snoozed_until", d.snoozed_until);
    read_instant(t, "muted_until", d.muted_until);
    return d;
  }

  // An RFC 3339 date-time with an offset, as Unix seconds.
  void read_instant(const toml::table& t, std::string_view key, int64_t& out) {
    const toml::node* node = t.get(key);
    if (node == nullptr) return;
    const auto* dt = node->as_date_time();
    if (dt == nullptr || !dt->get().offset) {
      error(pos_of(*node), "`" + std::string(key) + "` must be a date-time with an offset",
            "e.g. " + std::string(key) + " = 2024-05-01T12:00:00Z");
      return;
    }
    const auto& v = dt->get();
    out = unix_from_civil(v.date.year, v.date.month, v.date.day, v.time.hour, v.time.minute,
                          v.time.second) -
          int64_t{v.offset->minutes} * 60;
  }

  Rule read_rule(const toml::table& t) {
    Rule rule;
    rule.pos = pos_of(t);
    check_keys(t, {"name", "source", "enabled", "deliver"});
    read_string(t, "name", rule.pos, rule.name, true);
    std::string source;
    if (read_string(t, "source", rule.pos, source, true)) {
      rule.source_pos = content_pos(pos_of(*t.get("source")));
      rule.source = std::move(source);
    }
    read_bool(t, "enabled", rule.enabled);
    for_each_table(t, "deliver",
                   [&](const toml::table& d) { rule.deliveries.push_back(read_delivery(d)); });
    return rule;
  }

  Delivery read_delivery(const toml::table& t) {
    Delivery d;
    d.pos = pos_of(t);
    check_keys(t, {"to", "every", "at", "count", "links", "verbose", "triggered_by",
                   "shorten_links", "markup"});
    read_string(t, "to", d.pos, d.destination, true);
    if (const toml::node* every = t.get("every")) read_every(*every, d.digest.every_seconds);
    std::string at;
    if (read_string(t, "at", d.pos, at)) {
      const int minute = parse_time_of_day(at);
      if (minute < 0) {
        error(pos_of(*t.get("at")), "`at` must be a time of day, \"HH:MM\"",
              "e.g. at = \"08:00\": a daily digest at 08:00 in the user's `tz`");
      } else {
        d.digest.at = static_cast<int16_t>(minute);
        if (!d.digest.settle_daily()) {
          error(pos_of(*t.get("at")),
                "`at` sends a daily digest: `every` cannot be " +
                    format_duration(d.digest.every_seconds),
                "drop `every`, or write every = \"1d\"");
        }
      }
    }
    if (const toml::node* count = t.get("count")) {
      auto n = count->value<int64_t>();
      if (!count->is_integer() || *n < 0 || *n > 1000000) {
        error(pos_of(*count), "`count` must be a whole number of messages (0 to 1000000)");
      } else {
        d.digest.count = static_cast<uint32_t>(*n);
      }
    }
    read_bool(t, "links", d.options.include_links);
    read_bool(t, "verbose", d.options.verbose);
    read_bool(t, "triggered_by", d.options.triggered_by);
    read_bool(t, "shorten_links", d.options.shorten_links);
    read_bool(t, "markup", d.options.markup);
    return d;
  }

  // Where a string's content starts, given where its literal starts: past the quotes, and past
  // the newline that TOML trims right after an opening triple quote.
  SourcePos content_pos(SourcePos literal) const {
    std::string_view at = text_at(text_, literal);
    for (std::string_view triple : {"'''", "\"\"\""}) {
      if (at.substr(0, 3) == triple) {
        if (at.substr(3, 1) == "\n") return {literal.line + 1, 1};
        if (at.substr(3, 2) == "\r\n") return {literal.line + 1, 1};
        return {literal.line, literal.column + 3};
      }
    }
    return {literal.line, literal.column + 1};
  }

 private:
  std::string_view text_;
  std::vector<Diagnostic>& out_;
  std::string where_;
};

}  // namespace

ParsedPreferences read_preferences_toml(std::string_view text, std::string_view file_name,
                                        const RuleValidator& validator) {
  ParsedPreferences parsed;
  toml::table root;
  try {
    root = toml::parse(text, file_name);
  } catch (const toml::parse_error& e) {
    parsed.diagnostics.push_back(
        {.span = span_at(pos_of(e.source())), .message = std::string(e.description())});
    return parsed;
  }
  Reader reader(text, parsed.diagnostics);
  reader.read_file(root, parsed.population);
  if (has_errors(parsed.diagnostics)) return parsed;
  parsed.diagnostics = validate_population(parsed.population, validator);
  return parsed;
}

}  // namespace fmn::prefs
