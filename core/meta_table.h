// The meta table, compiled: rules loaded from TOML texts (format in docs/meta-extraction.md).
//
//   [maps.koji_state]             named string maps for the map(name) helper
//   0 = "started"
//   [vars]                         named derived values, $name in expressions: a template, a
//   owner = "{msg.owner ?? msg.user}"   list of templates (the first that renders), or a list of
//                                  {when = "...", value = "..."} choices
//   [[rule]]
//   topic = "buildsys.build.state.change"   topic-suffix pattern(s); '*' is one dot-separated
//                                            part, a trailing '**' any number of parts
//   when = "msg.new == 1"                    optional condition (meta_expression.h)
//   subtitle = "{msg.owner} ..."             scalar fields: a template, or a list of templates
//   link = "..."                             (the first that renders wins), or false for none
//   usernames = ["{msg.owner}"]              list fields: templates, each may expand to many
//
// Every field comes from the first rule, in table order, whose topic pattern and condition match
// and that defines the field; so a catch-all rule at the end of a file gives a service's
// defaults. Immutable once compiled.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/meta_extractor.h"
#include "core/meta_template.h"

namespace fmn::meta {

// The keys a rule may set, indexing Rule::fields: the meta scalars, then the meta lists, each
// in the order of core/message_fields.def.
inline constexpr std::array kFieldNames = {
#define FMN_META_SCALAR(Id, member, doc) std::string_view(#member),
#include "core/message_fields.def"
#define FMN_META_LIST(Id, member, header, doc) std::string_view(#member),
#include "core/message_fields.def"
};
inline constexpr size_t kFieldCount = kFieldNames.size();
// Each one's message field, for the sets extraction passes take (MetaParts, complete_meta()).
inline constexpr std::array<MessageField, kFieldCount> kMessageFieldOf = {
#define FMN_META_SCALAR(Id, member, doc) MessageField::k##Id,
#include "core/message_fields.def"
#define FMN_META_LIST(Id, member, header, doc) MessageField::k##Id,
#include "core/message_fields.def"
};
inline constexpr size_t kFirstListField = 0
#define FMN_META_SCALAR(Id, member, doc) +1
#include "core/message_fields.def"
    ;

struct Rule {
  std::string where;                // "bodhi.toml: rule 3", for messages
  std::vector<std::string> topics;  // patterns
  std::optional<Condition> when;
  struct FieldDef {
    bool defined = false;
    std::vector<Template> templates;  // empty: defined as none
  };
  std::array<FieldDef, kFieldCount> fields;
};

struct Table {
  Scope scope;  // referenced by compiled expressions: a Table is never copied
  std::vector<Rule> rules;
};

// Compiles the texts in order; errors name the source and the rule.
Result<std::unique_ptr<Table>> compile_table(std::span<const MetaTableSource> sources);

// Whether topic suffix `topic` matches `pattern` ('*' one part, trailing '**' the rest).
bool topic_matches(std::string_view pattern, std::string_view topic);
bool is_glob(std::string_view pattern);

}  // namespace fmn::meta
