// The fields of a message a rule can read, as ids: one per row of core/message_fields.def, in
// its order (the rule language's field ids are these). Constants only; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fmn {

enum class MessageField : uint8_t {
#define FMN_FIELD(Id, name, doc) k##Id,
#include "core/message_fields.def"
};

inline constexpr size_t kMessageFieldCount = 0
#define FMN_FIELD(Id, name, doc) +1
#include "core/message_fields.def"
    ;

// Whether an empty text value counts as missing (it never equals, belongs to or is indexed
// under anything). True of every text field but the topic: "" is a topic a rule may name.
constexpr bool empty_is_missing(MessageField f) { return f != MessageField::kTopic; }

}  // namespace fmn
