#include "prefs/pg_user_columns.h"

#include <charconv>

#include "prefs/pg_text.h"

namespace fmn::prefs::pg {

const std::array<std::string_view, kUserColumnCount>& user_column_names() {
  static const auto names = [] {
    std::array<std::string_view, kUserColumnCount> out{"name", "enabled", "tz", "snoozed_until"};
    for (size_t i = 0; i < std::size(kUserListFields); ++i) out[4 + i] = kUserListFields[i].key;
    return out;
  }();
  return names;
}

const std::string& user_columns() {
  static const std::string columns = [] {
    std::string out;
    for (std::string_view name : user_column_names()) {
      out += (out.empty() ? "" : ", ") + std::string(name);
    }
    return out;
  }();
  return columns;
}

UserColumns user_values(const User& user) {
  UserColumns out{user.name, user.enabled ? "t" : "f", user.tz, std::to_string(user.snoozed_until)};
  for (size_t i = 0; i < std::size(kUserListFields); ++i) {
    out[4 + i] = format_text_array(user.*kUserListFields[i].member);
  }
  return out;
}

bool parse_user_values(const UserColumns& values, User& user) {
  user.name = values[0];
  user.enabled = values[1] == "t";
  user.tz = values[2];
  const std::string& t = values[3];
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), user.snoozed_until);
  bool ok = ec == std::errc() && end == t.data() + t.size();
  for (size_t i = 0; i < std::size(kUserListFields); ++i) {
    std::vector<std::string>& list = user.*kUserListFields[i].member;
    list.clear();
    ok = parse_text_array(values[4 + i], list) && ok;
  }
  return ok;
}

}  // namespace fmn::prefs::pg
