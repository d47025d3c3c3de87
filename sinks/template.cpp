#include "sinks/template.h"

#include <algorithm>

#include "sinks/text_escape.h"

namespace fmn::sinks {
namespace {

constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "user",     "rule",        "topic",        "title",           "category",
    "subtitle", "link",        "agent",        "usernames",       "packages",
    "msg_id",   "date",        "settings_url", "unsubscribe_url", "count",
    "omitted",  "items",       "index",        "color",           "reset",
    "code",     "confirm_url", "reject_url",   "expires",         "kind",
    "address",  "bot"};

size_t line_of(std::string_view text, size_t offset) {
  return 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
}

}  // namespace

Field Template::field_by_name(std::string_view name) {
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (kFieldNames[i] == name) return static_cast<Field>(i);
  }
  return Field::kEnd;
}

Result<Template> Template::compile(std::string_view name, std::string_view text, Escape escape) {
  Template t;
  t.text_ = text;
  t.escape_ = escape;
  std::vector<size_t> open;  // indexes of section nodes awaiting their {{/field}}
  const auto fail = [&](size_t offset, const std::string& what) {
    return Error{ErrorCode::kInvalidConfig,
                 std::string(name) + ":" + std::to_string(line_of(text, offset)) + ": " + what};
  };
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = text.find("{{", pos);
    const size_t literal_end = start == std::string_view::npos ? text.size() : start;
    if (literal_end > pos) {
      t.nodes_.push_back({Op::kLiteral, Field::kEnd, static_cast<uint32_t>(pos),
                          static_cast<uint32_t>(literal_end)});
    }
    if (start == std::string_view::npos) break;
    const size_t close = text.find("}}", start + 2);
    if (close == std::string_view::npos) return fail(start, "'{{' without '}}'");
    std::string_view tag = text.substr(start + 2, close - start - 2);
    const char sigil = tag.empty() ? '\0' : tag[0];
    if (sigil == '#' || sigil == '^' || sigil == '/') tag.remove_prefix(1);
    const Field field = field_by_name(tag);
    if (field == Field::kEnd) return fail(start, "unknown field '" + std::string(tag) + "'");
    if (sigil == '#' || sigil == '^') {
      open.push_back(t.nodes_.size());
      t.nodes_.push_back({sigil == '#' ? Op::kSection : Op::kInvertedSection, field});
    } else if (sigil == '/') {
      if (open.empty() || t.nodes_[open.back()].field != field) {
        return fail(start, "'{{/" + std::string(tag) + "}}' closes no open section");
      }
      t.nodes_[open.back()].end = static_cast<uint32_t>(t.nodes_.size());
      open.pop_back();
    } else {
      t.nodes_.push_back({Op::kField, field});
    }
    pos = close + 2;
  }
  if (!open.empty()) {
    return fail(text.size(),
                "section '" +
                    std::string(kFieldNames[static_cast<size_t>(t.nodes_[open.back()].field)]) +
                    "' is not closed");
  }
  return t;
}

void Template::render(const Fields& fields, std::string& out) const {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const Node& node = nodes_[i];
    switch (node.op) {
      case Op::kLiteral:
        out.append(text_, node.begin, node.end - node.begin);
        break;
      case Op::kSection:
        if (fields[node.field].empty()) i = node.end - 1;
        break;
      case Op::kInvertedSection:
        if (!fields[node.field].empty()) i = node.end - 1;
        break;
      case Op::kField: {
        const std::string_view value = fields[node.field];
        if (node.field == Field::kItems || node.field == Field::kColor ||
            node.field == Field::kReset) {
          out.append(value);
        } else if (escape_ == Escape::kHtml) {
          append_html(out, value);
        } else {
          append_one_line(out, value);
        }
        break;
      }
    }
  }
}

}  // namespace fmn::sinks
