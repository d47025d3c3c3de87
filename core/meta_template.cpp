#include "core/meta_template.h"

namespace fmn::meta {
namespace {

// Finds the '}' closing a hole that starts at `open`, skipping quoted text.
size_t closing_brace(std::string_view text, size_t open) {
  bool quoted = false;
  for (size_t i = open + 1; i < text.size(); ++i) {
    if (quoted && text[i] == '\\') {
      ++i;
    } else if (text[i] == '\'') {
      quoted = !quoted;
    } else if (!quoted && text[i] == '}') {
      return i;
    }
  }
  return std::string_view::npos;
}

bool expands(const Value& v) {
  return v.is_list() || (v.kind == Value::Kind::kJson && v.json->IsArray());
}

// The items a list-valued hole expands to.
std::vector<Value> items_of(const Value& v) {
  if (v.is_list()) return v.items;
  std::vector<Value> out;
  for (const JsonValue& item : v.json->GetArray()) out.push_back(Value::of_json(&item));
  return out;
}

}  // namespace

Result<Template> Template::compile(std::string_view text, const Scope& scope) {
  Template t;
  std::string literal;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      literal += c;
      ++i;
    } else if (c == '}') {
      return Error{ErrorCode::kInvalidConfig,
                   "column " + std::to_string(i + 1) + ": unmatched '}' (write '}}')"};
    } else if (c == '{') {
      size_t close = closing_brace(text, i);
      if (close == std::string_view::npos) {
        return Error{ErrorCode::kInvalidConfig,
                     "column " + std::to_string(i + 1) + ": unclosed '{'"};
      }
      auto expr = Expression::compile(text.substr(i + 1, close - i - 1), scope);
      if (!expr) {
        return Error{ErrorCode::kInvalidConfig, "in the hole at column " + std::to_string(i + 1) +
                                                    ": " + expr.error().message};
      }
      t.segments_.push_back({std::move(literal), std::move(expr).value()});
      literal.clear();
      i = close;
    } else {
      literal += c;
    }
  }
  if (!literal.empty() || t.segments_.empty()) t.segments_.push_back({std::move(literal), {}});
  return t;
}

std::optional<std::string> Template::render(const EvalContext& ctx) const {
  std::string out;
  for (const Segment& seg : segments_) {
    out += seg.text;
    if (!seg.hole) continue;
    Value v = seg.hole->eval(ctx);
    if (v.is_missing()) return std::nullopt;
    v.append_to(out);
  }
  return out;
}

void Template::render_each(const EvalContext& ctx, std::vector<std::string>& out) const {
  std::vector<Value> values;
  values.reserve(segments_.size());
  for (const Segment& seg : segments_) {
    if (!seg.hole) continue;
    values.push_back(seg.hole->eval(ctx));
    if (values.back().is_missing() || values.back().is_null()) return;
  }
  std::string prefix;
  expand(values, 0, prefix, out);
}

void Template::expand(const std::vector<Value>& values, size_t at, std::string& prefix,
                      std::vector<std::string>& out) const {
  if (at == segments_.size()) {
    out.push_back(prefix);
    return;
  }
  const Segment& seg = segments_[at];
  size_t mark = prefix.size();
  prefix += seg.text;
  if (!seg.hole) {
    expand(values, at + 1, prefix, out);
  } else if (const Value& v = values[at]; !expands(v)) {
    v.append_to(prefix);
    expand(values, at + 1, prefix, out);
  } else {
    size_t item_mark = prefix.size();
    for (const Value& item : items_of(v)) {
      if (item.is_missing() || item.is_null()) continue;
      item.append_to(prefix);
      expand(values, at + 1, prefix, out);
      prefix.resize(item_mark);
    }
  }
  prefix.resize(mark);
}

Value eval_variable(const Variable& var, const EvalContext& ctx) {
  for (const auto& [key, value] : ctx.memo) {
    if (key == &var) return value;
  }
  Value result = Value::missing();
  for (const Variable::Choice& choice : var.choices) {
    if (choice.when && !choice.when->eval(ctx)) continue;
    if (auto text = choice.value.render(ctx)) {
      result = Value::of_text(std::move(*text));
      break;
    }
  }
  ctx.memo.emplace_back(&var, result);
  return result;
}

}  // namespace fmn::meta
