// What a rule can read: the message fields (envelope and derived meta, plus `msg` for body
// paths) and the per-user parameters, with their static types.
//
// The fields come from core/message_fields.def, their types from the members they read. The
// tables are the single source of truth for name resolution (checker), the interpreter's
// dispatch and the documentation's field list (a test compares them). Immutable; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/message_fields.h"

namespace fmn::dsl {

// The checker's static types. kAny: only known when a message arrives (body paths).
enum class ValueType : uint8_t { kString, kNumber, kBool, kList, kAny };

// The message's fields: one per row of core/message_fields.def (kBody is `msg`).
using FieldId = MessageField;

struct FieldInfo {
  FieldId id;
  std::string_view name;
  ValueType type;  // kList fields hold strings
  std::string_view doc;
};

enum class ParamId : uint8_t {
  kMe,
  kMyPackages,
  kMyGroups,
  kMyGroupPackages,
  kFollowedPackages,
  kFollowedUsers,
};

struct ParamInfo {
  ParamId id;
  std::string_view name;  // without `$`
  ValueType type;         // kString or kList (of strings)
  std::string_view doc;
  // The user record's field that fills it: the same key in the preferences file, column of
  // fmn_users and fmn-prefs option (prefs/model.h). Empty: nothing fills it yet (always empty).
  std::string_view filled_from;
};

std::span<const FieldInfo> all_fields();
std::span<const ParamInfo> all_params();
const FieldInfo* find_field(std::string_view name);
const ParamInfo* find_param(std::string_view name);
// The value of a severity name (`debug` 10, `info` 20, `warning` 30, `error` 40, as
// fedora-messaging numbers them), which a rule may write instead of the number after
// `severity <op>`; nullopt for any other name.
std::optional<double> severity_level(std::string_view name);
inline const FieldInfo& field_info(FieldId id) { return all_fields()[static_cast<size_t>(id)]; }
inline const ParamInfo& param_info(ParamId id) { return all_params()[static_cast<size_t>(id)]; }

}  // namespace fmn::dsl
