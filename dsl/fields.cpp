#include "dsl/fields.h"

#include <array>
#include <utility>

#include "core/fedora_messaging_headers.h"

namespace fmn::dsl {
namespace {

using enum ValueType;

constexpr std::array kFields = {
    FieldInfo{FieldId::kTopic, "topic", kString, "the full topic"},
    FieldInfo{FieldId::kEnv, "env", kString, "the topic's environment: prod, stg, stage or dev"},
    FieldInfo{FieldId::kCategory, "category", kString,
              "the service that sent the message: bodhi, buildsys, git..."},
    FieldInfo{FieldId::kTitle, "title", kString, "the topic without `<prefix>.<env>.`"},
    FieldInfo{FieldId::kSubtitle, "subtitle", kString, "one line of human text"},
    FieldInfo{FieldId::kLink, "link", kString, "a URL about the message"},
    FieldInfo{FieldId::kAgent, "agent", kString, "the account that caused the message"},
    FieldInfo{FieldId::kMsgId, "msg_id", kString, "the envelope's unique id"},
    FieldInfo{FieldId::kUsername, "username", kString,
              "the envelope's username: the publishing process's system user"},
    FieldInfo{FieldId::kTimestamp, "timestamp", kNumber, "seconds since the epoch"},
    FieldInfo{FieldId::kUsernames, "usernames", kList, "accounts the message involves"},
    FieldInfo{FieldId::kPackages, "packages", kList, "packages the message involves"},
    FieldInfo{FieldId::kObjects, "objects", kList, "paths of the objects it is about"},
    FieldInfo{FieldId::kContainers, "containers", kList, "containers it involves"},
    FieldInfo{FieldId::kModules, "modules", kList, "modules it involves"},
    FieldInfo{FieldId::kFlatpaks, "flatpaks", kList, "flatpaks it involves"},
    FieldInfo{FieldId::kSeverity, "severity", kNumber,
              "fedora-messaging's severity: debug 10, info 20, warning 30, error 40"},
    FieldInfo{FieldId::kBody, "msg", kAny, "the message body; read parts with msg.a.b[0]"},
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
