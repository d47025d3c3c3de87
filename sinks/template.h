// A compiled notification template: text with {{field}} placeholders and {{#field}}...{{/field}}
// sections (kept only when the field is non-empty; {{^field}}...{{/field}} only when empty).
//
// Templates come from data files (data/templates/default.toml); compile() parses one once at
// start-up, render() is the hot path: no allocation beyond growing `out`, no lookup by name.
// Every value passes through the template's Escape, except the fields a renderer produces
// itself for the same medium: kItems (a digest's rendered items), kColor and kReset.
// A compiled Template is immutable and safe to render from any number of threads.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace fmn::sinks {

enum class Field : uint8_t {
  kUser,            // the recipient's account
  kRule,            // the rule that matched
  kTopic,           // full topic
  kTitle,           // topic without "<prefix>.<env>."
  kCategory,        // the service: bodhi, buildsys...
  kSubtitle,        // the message's one line of human text (the title when there is none)
  kLink,            // where to read more
  kAgent,           // who caused it
  kUsernames,       // people involved, comma-separated
  kPackages,        // packages involved, comma-separated
  kMsgId,           // fedmsg msg_id
  kDate,            // when the message was sent, "2024-05-01 12:00:00 UTC"
  kSettingsUrl,     // where the user changes their rules
  kUnsubscribeUrl,  // one-click unsubscribe for this destination
  kCount,           // digest: number of items shown
  kOmitted,         // digest: items left out over the cap ("" when none)
  kItems,           // digest: the rendered items (already escaped)
  kIndex,           // digest item: 1-based position
  kColor,           // IRC: colour code for the category ("" when colours are off)
  kReset,           // IRC: colour reset ("" when colours are off)
  kCode,            // confirmation: the code
  kConfirmUrl,      // confirmation: where to accept
  kRejectUrl,       // confirmation: where to refuse
  kExpires,         // confirmation: when the request expires
  kKind,            // confirmation: "email" or "irc"
  kAddress,         // confirmation: the address or nick being confirmed
  kBot,             // IRC confirmation: the bot's own nick, which answers go to by /msg
  kEnd,
};
constexpr size_t kFieldCount = static_cast<size_t>(Field::kEnd);

// Values by Field; unset fields are empty.
struct Fields {
  std::array<std::string_view, kFieldCount> values{};
  std::string_view& operator[](Field f) { return values[static_cast<size_t>(f)]; }
  std::string_view operator[](Field f) const { return values[static_cast<size_t>(f)]; }
};

enum class Escape : uint8_t {
  kPlain,  // each value on one line: controls and line breaks become spaces (the template
           // alone supplies line breaks); for headers, IRC lines and plain-text bodies
  kHtml,   // one line, then HTML-escaped
};

class Template {
 public:
  // Parses `text`. Errors (kInvalidConfig) name the unknown field or unbalanced section and the
  // line within `text`, prefixed by `name`.
  static Result<Template> compile(std::string_view name, std::string_view text, Escape escape);

  // Appends the template with `fields` filled in to `out`.
  void render(const Fields& fields, std::string& out) const;

  // The field for a placeholder name ("subtitle" -> kSubtitle); kEnd when unknown.
  static Field field_by_name(std::string_view name);

 private:
  enum class Op : uint8_t { kLiteral, kField, kSection, kInvertedSection };
  struct Node {
    Op op;
    Field field;
    uint32_t begin = 0, end = 0;  // kLiteral: bytes of text_; sections: skip to node `end`
  };
  std::string text_;
  std::vector<Node> nodes_;
  Escape escape_ = Escape::kPlain;
};

}  // namespace fmn::sinks
