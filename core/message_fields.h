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

// A set of fields as bits.
using MessageFieldSet = uint32_t;
static_assert(kMessageFieldCount <= 32);
constexpr MessageFieldSet field_bit(MessageField f) {
  return MessageFieldSet{1} << static_cast<unsigned>(f);
}

// The meta fields shown to people but not indexed (FMN_META_DISPLAY): the sinks read them.
inline constexpr MessageFieldSet kDisplayMetaFields = 0
#define FMN_META_DISPLAY(Id, member, doc) | field_bit(MessageField::k##Id)
#include "core/message_fields.def"
    ;
// The meta fields the pipeline extracts only once something reads them
// (Message::complete_meta()): the display fields and the lists only rules read
// (FMN_META_RULE_LIST).
inline constexpr MessageFieldSet kDeferredMetaFields = kDisplayMetaFields
#define FMN_META_RULE_LIST(Id, member, header, doc) | field_bit(MessageField::k##Id)
#include "core/message_fields.def"
    ;

// Whether an empty text value counts as missing (it never equals, belongs to or is indexed
// under anything). True of every text field but the topic: "" is a topic a rule may name.
constexpr bool empty_is_missing(MessageField f) { return f != MessageField::kTopic; }

}  // namespace fmn
