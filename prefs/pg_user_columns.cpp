#include "prefs/pg_user_columns.h"

#include <charconv>

#include "prefs/pg_text.h"

namespace fmn::prefs::pg {
namespace {

bool parse_instant(const std::string& t, int64_t& out) {
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
  return ec == std::errc() && end == t.data() + t.size();
}

}  // namespace

const std::array<std::string_view, kUserColumnCount>& user_column_names() {
  static const auto names = [] {
    std::array<std::string_view, kUserColumnCount> out{"name", "enabled", "tz", "snoozed_until",
                                                       "muted_until"};
    for (size_t i = 0; i < std::size(kUserListFields); ++i) {
      out[kUserScalarColumns + i] = kUserListFields[i].key;
    }
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
  UserColumns out{user.name, user.enabled ? "t" : "f", user.tz, std::to_string(user.snoozed_until),
                  std::to_string(user.muted_until)};
  for (size_t i = 0; i < std::size(kUserListFields); ++i) {
    out[kUserScalarColumns + i] = format_text_array(user.*kUserListFields[i].member);
  }
  return out;
}

bool parse_user_values(const UserColumns& values, User& user) {
  user.name = values[0];
  user.enabled = values[1] == "t";
  user.tz = values[2];
  bool ok = parse_instant(values[3], user.snoozed_until);
  ok = parse_instant(values[4], user.muted_until) && ok;
  for (size_t i = 0; i < std::size(kUserListFields); ++i) {
    std::vector<std::string>& list = user.*kUserListFields[i].member;
    list.clear();
    ok = parse_text_array(values[kUserScalarColumns + i], list) && ok;
  }
  return ok;
}

}  // namespace fmn::prefs::pg
