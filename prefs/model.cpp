#include "prefs/model.h"

#include <algorithm>
#include <optional>

namespace fmn::prefs {
namespace {

template <typename T>
auto find_named(T& items, std::string_view name) -> decltype(&items.front()) {
  auto it = std::find_if(items.begin(), items.end(), [&](const auto& x) { return x.name == name; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

DeliveryWindow User::window_of(const Destination& d) const {
  return {tz, d.quiet.from, d.quiet.to, std::max(snoozed_until, d.snoozed_until),
          std::max(muted_until, d.muted_until)};
}

const std::vector<std::string>* User::list(std::string_view key) const {
  for (const UserListField& f : user_list_fields()) {
    if (f.key == key) return &(this->*f.member);
  }
  return nullptr;
}

const Destination* User::find_destination(std::string_view name) const {
  return find_named(destinations, name);
}
Destination* User::find_destination(std::string_view name) {
  return find_named(destinations, name);
}
Rule* User::find_rule(std::string_view name) { return find_named(rules, name); }

const User* Population::find(std::string_view name) const { return find_named(users, name); }

bool parse_destination_kind(std::string_view text, DestinationKind& kind) {
  std::optional<DestinationKind> named = destination_kind_named(text);
  if (!named || !destination_kind_info(*named).user_destination) return false;
  kind = *named;
  return true;
}

std::string user_destination_kind_names() {
  std::vector<std::string_view> names;
  for (const DestinationKindInfo& info : destination_kinds()) {
    if (info.user_destination) names.push_back(info.name);
  }
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

std::string_view confirmation_state_name(ConfirmationState state) {
  switch (state) {
    case ConfirmationState::kPending:
      return "pending";
    case ConfirmationState::kConfirmed:
      return "confirmed";
    case ConfirmationState::kRejected:
      return "rejected";
  }
  return "confirmed";
}

bool parse_confirmation_state(std::string_view text, ConfirmationState& state) {
  for (auto s :
       {ConfirmationState::kPending, ConfirmationState::kConfirmed, ConfirmationState::kRejected}) {
    if (text == confirmation_state_name(s)) {
      state = s;
      return true;
    }
  }
  return false;
}

}  // namespace fmn::prefs
