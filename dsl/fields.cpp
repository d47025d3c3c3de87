#include "dsl/fields.h"

#include <array>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/fedora_messaging_headers.h"
#include "core/message.h"

namespace fmn::dsl {
namespace {

using enum ValueType;

template <typename T>
constexpr bool kIsOptionalNumber = false;
template <typename N>
constexpr bool kIsOptionalNumber<std::optional<N>> = std::is_arithmetic_v<N>;

// A field's type in rules, from the C++ type of the member it reads.
template <typename T>
constexpr ValueType type_of() {
  if constexpr (std::is_convertible_v<T, std::string_view> ||
                std::is_same_v<T, std::optional<std::string>>) {
    return kString;
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    return kList;
  } else if constexpr (kIsOptionalNumber<T>) {
    return kNumber;
  } else {
    static_assert(std::is_same_v<T, const JsonValue*>, "a field of a type rules cannot read");
    return kAny;
  }
}

constexpr std::array kFields = {
#define FMN_ENVELOPE_FIELD(Id, member, name, doc) \
  FieldInfo{FieldId::k##Id, name, type_of<decltype(Message::member)>(), doc},
#define FMN_META_FIELD(Id, member, doc) \
  FieldInfo{FieldId::k##Id, #member, type_of<decltype(Meta::member)>(), doc},
#include "core/message_fields.def"
};

constexpr std::array kParams = {
    ParamInfo{ParamId::kMe, "me", kString, "the user's account name", "name"},
    ParamInfo{ParamId::kMyPackages, "my_packages", kList, "packages the user maintains",
              "packages"},
    ParamInfo{ParamId::kMyGroups, "my_groups", kList, "groups the user belongs to", "groups"},
    ParamInfo{ParamId::kMyGroupPackages, "my_group_packages", kList,
              "packages maintained by the user's groups", ""},
    ParamInfo{ParamId::kFollowedPackages, "followed_packages", kList, "packages the user follows",
              "packages"},
    ParamInfo{ParamId::kFollowedUsers, "followed_users", kList, "accounts the user follows",
              "followed_users"},
};

template <typename Table>
constexpr bool indexed_by_id(const Table& table) {
  for (size_t i = 0; i < table.size(); ++i) {
    if (static_cast<size_t>(table[i].id) != i) return false;
  }
  return true;
}
static_assert(indexed_by_id(kFields) && indexed_by_id(kParams));

}  // namespace

std::span<const FieldInfo> all_fields() { return kFields; }
std::span<const ParamInfo> all_params() { return kParams; }

const FieldInfo* find_field(std::string_view name) {
  for (const FieldInfo& f : kFields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::optional<double> severity_level(std::string_view name) {
  static constexpr std::pair<std::string_view, int> kLevels[] = {{"debug", kSeverityDebug},
                                                                 {"info", kSeverityInfo},
                                                                 {"warning", kSeverityWarning},
                                                                 {"error", kSeverityError}};
  for (const auto& [level, value] : kLevels) {
    if (level == name) return value;
  }
  return std::nullopt;
}

const ParamInfo* find_param(std::string_view name) {
  for (const ParamInfo& p : kParams) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

}  // namespace fmn::dsl
