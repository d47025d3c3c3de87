#include "core/meta_helpers.h"

#include <algorithm>
#include <array>

namespace fmn::meta {
namespace {

// The text of a scalar input; numbers and booleans are rendered into `scratch`.
std::string_view text_of(const Value& v, std::string& scratch) {
  if (v.is_text()) return v.str();
  scratch.clear();
  v.append_to(scratch);
  return scratch;
}

// Python's negative indexes: -1 is the last item. Returns false when out of range.
bool resolve_index(int64_t index, size_t size, size_t& out) {
  if (index < 0) index += static_cast<int64_t>(size);
  if (index < 0 || static_cast<size_t>(index) >= size) return false;
  out = static_cast<size_t>(index);
  return true;
}

// Byte offset of code point `n` (or the end), so text is cut like a Python str.
size_t code_point_offset(std::string_view s, int64_t n) {
  size_t at = 0;
  for (int64_t seen = 0; at < s.size(); ++at) {
    if ((static_cast<unsigned char>(s[at]) & 0xC0) != 0x80 && seen++ == n) return at;
  }
  return at;
}

size_t code_point_count(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string_view arg(const HelperCall& call, size_t i) { return call.args[i].text; }

Value h_account(const Value& in, const HelperCall&, const EvalContext& ctx) {
  std::string scratch;
  std::string_view s = text_of(in, scratch);
  std::string_view account = email_to_account(s, ctx.aliases);
  return account.data() == s.data() && account.size() == s.size() && in.is_text()
             ? in
             : Value::of_text(std::string(account));
}

// Like account, but only names the account system knows: unknown addresses are dropped.
Value h_known_account(const Value& in, const HelperCall&, const EvalContext& ctx) {
  std::string scratch;
  std::string_view s = text_of(in, scratch);
  std::string_view account = email_to_account(s, ctx.aliases);
  if (account.data() == s.data() && account.size() == s.size()) return Value::missing();
  return Value::of_text(std::string(account));
}

Value h_nvr_to_name(const Value& in, const HelperCall&, const EvalContext&) {
  std::string scratch;
  std::string_view s = text_of(in, scratch);
  size_t cut = s.size();
  for (int dashes = 0; dashes < 2; ++dashes) {
    size_t dash = s.rfind('-', cut == 0 ? 0 : cut - 1);
    if (dash == std::string_view::npos || cut == 0) break;
    cut = dash;
  }
  return Value::of_text(std::string(s.substr(0, cut)));
}

Value h_lower(const Value& in, const HelperCall&, const EvalContext&) {
  std::string scratch;
  std::string s(text_of(in, scratch));
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return Value::of_text(std::move(s));
}

Value h_upper(const Value& in, const HelperCall&, const EvalContext&) {
  std::string scratch;
  std::string s(text_of(in, scratch));
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return Value::of_text(std::move(s));
}

Value h_strip(const Value& in, const HelperCall&, const EvalContext&) {
  std::string scratch;
  std::string_view s = text_of(in, scratch);
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return Value::of_text({});
  size_t e = s.find_last_not_of(" \t\r\n");
  return Value::of_text(std::string(s.substr(b, e - b + 1)));
}

Value h_basename(const Value& in, const HelperCall&, const EvalContext&) {
  std::string scratch;
  std::string_view s = text_of(in, scratch);
  size_t slash = s.rfind('/');
  std::string_view base = slash == std::string_view::npos ? s : s.substr(slash + 1);
  return in.kind == Value::Kind::kView ? Value::of_view(base) : Value::of_text(std::string(base));
}

// split(sep): the list of parts; split(sep, i): part i (negative from the end), like Python.
Value h_split(const Value& in, const HelperCall& call, const EvalContext&) {
  std::string scratch;
  std::string_view s = text_of(in, scratch);
  std::string_view sep = arg(call, 0);
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    size_t at = sep.empty() ? std::string_view::npos : s.find(sep, start);
    parts.push_back(
        s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + sep.size();
  }
  auto make = [&](std::string_view part) {
    return in.kind == Value::Kind::kView ? Value::of_view(part) : Value::of_text(std::string(part));
  };
  if (call.args.size() == 1) {
    std::vector<Value> items;
    for (std::string_view part : parts) items.push_back(make(part));
    return Value::of_list(std::move(items));
  }
  size_t index;
  if (!resolve_index(call.args[1].number, parts.size(), index)) return Value::missing();
  return make(parts[index]);
}

Value h_replace(const Value& in, const HelperCall& call, const EvalContext&) {
  std::string scratch;
  std::string_view s = text_of(in, scratch), from = arg(call, 0), to = arg(call, 1);
  if (from.empty()) return Value::of_text(std::string(s));
  std::string out;
  for (size_t start = 0;;) {
    size_t at = s.find(from, start);
    out += s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start);
    if (at == std::string_view::npos) break;
    out += to;
    start = at + from.size();
  }
  return Value::of_text(std::move(out));
}

// after(x): the text after the first x; missing when there is none.
Value h_after(const Value& in, const HelperCall& call, const EvalContext&) {
  std::string scratch;
  std::string_view s = text_of(in, scratch);
  size_t at = s.find(arg(call, 0));
  if (at == std::string_view::npos) return Value::missing();
  std::string_view rest = s.substr(at + arg(call, 0).size());
  return in.kind == Value::Kind::kView ? Value::of_view(rest) : Value::of_text(std::string(rest));
}

// unless_contains(x): the text itself, or missing when it contains x.
Value h_unless_contains(const Value& in, const HelperCall& call, const EvalContext&) {
  std::string scratch;
  if (text_of(in, scratch).find(arg(call, 0)) != std::string_view::npos) return Value::missing();
  return in;
}

// prefix(n): the first n characters (Python's s[:n]).
Value h_prefix(const Value& in, const HelperCall& call, const EvalContext&) {
  std::string scratch;
  std::string_view s = text_of(in, scratch);
  return Value::of_text(std::string(s.substr(0, code_point_offset(s, call.args[0].number))));
}

// ellipsize(n): s[:n] + "..." when s has n characters or more.
Value h_ellipsize(const Value& in, const HelperCall& call, const EvalContext&) {
  std::string scratch;
  std::string_view s = text_of(in, scratch);
  if (code_point_count(s) < static_cast<size_t>(call.args[0].number)) {
    return Value::of_text(std::string(s));
  }
  return Value::of_text(std::string(s.substr(0, code_point_offset(s, call.args[0].number))) +
                        "...");
}

Value h_map(const Value& in, const HelperCall& call, const EvalContext&) {
  std::string scratch;
  std::string_view s = text_of(in, scratch);
  auto it = call.map->find(std::string(s));
  if (it == call.map->end()) it = call.map->find("*");
  if (it == call.map->end()) return Value::missing();
  return Value::of_view(it->second);
}

Value h_starts_with(const Value& in, const HelperCall& call, const EvalContext&) {
  std::string scratch;
  return Value::of_bool(text_of(in, scratch).starts_with(arg(call, 0)));
}

Value h_ends_with(const Value& in, const HelperCall& call, const EvalContext&) {
  std::string scratch;
  return Value::of_bool(text_of(in, scratch).ends_with(arg(call, 0)));
}

// contains(x): substring test on text, membership test on lists and JSON arrays.
Value h_contains(const Value& in, const HelperCall& call, const EvalContext&) {
  std::string scratch;
  std::string_view needle = arg(call, 0);
  if (in.is_list()) {
    for (const Value& item : in.items) {
      if (!item.is_missing() && text_of(item, scratch) == needle) return Value::of_bool(true);
    }
    return Value::of_bool(false);
  }
  if (in.kind == Value::Kind::kJson && in.json->IsArray()) {
    for (const JsonValue& item : in.json->GetArray()) {
      if (item.IsString() && std::string_view(item.GetString(), item.GetStringLength()) == needle)
        return Value::of_bool(true);
    }
    return Value::of_bool(false);
  }
  if (in.kind == Value::Kind::kJson && in.json->IsObject()) {
    return Value::of_bool(in.json->FindMember(call.args[0].text.c_str()) != in.json->MemberEnd());
  }
  return Value::of_bool(text_of(in, scratch).find(needle) != std::string_view::npos);
}

bool is_word_char(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

// mentions: the names of "@name" mentions in a text (Python's re.findall('@\w+')).
Value h_mentions(const Value& in, const HelperCall&, const EvalContext&) {
  std::string scratch;
  std::string_view s = text_of(in, scratch);
  std::vector<Value> names;
  for (size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', at + 1)) {
    size_t end = at + 1;
    while (end < s.size() && is_word_char(static_cast<unsigned char>(s[end]))) ++end;
    if (end > at + 1) names.push_back(Value::of_text(std::string(s.substr(at + 1, end - at - 1))));
  }
  return Value::of_list(std::move(names));
}

// The items of a list, a JSON array or a single value, for the list-level helpers.
std::vector<Value> items_of(const Value& in) {
  if (in.is_list()) return in.items;
  std::vector<Value> out;
  if (in.kind == Value::Kind::kJson && in.json->IsArray()) {
    for (const JsonValue& item : in.json->GetArray()) out.push_back(Value::of_json(&item));
  } else if (!in.is_missing()) {
    out.push_back(in);
  }
  return out;
}

Value h_join(const Value& in, const HelperCall& call, const EvalContext&) {
  std::string out;
  bool first = true;
  for (const Value& item : items_of(in)) {
    if (item.is_missing()) continue;
    if (!first) out += arg(call, 0);
    first = false;
    item.append_to(out);
  }
  return Value::of_text(std::move(out));
}

Value h_item(const Value& in, int64_t index) {
  std::vector<Value> items = items_of(in);
  size_t at;
  if (!resolve_index(index, items.size(), at)) return Value::missing();
  return std::move(items[at]);
}

Value h_first(const Value& in, const HelperCall&, const EvalContext&) { return h_item(in, 0); }
Value h_last(const Value& in, const HelperCall&, const EvalContext&) { return h_item(in, -1); }
Value h_at(const Value& in, const HelperCall& call, const EvalContext&) {
  return h_item(in, call.args[0].number);
}

// series: fedmsg's list_to_series: sorted distinct items as English, three at most
// ("a", "a and b", "a, b, and c", "a, b, and 2 others"); "(nothing)" for none.
Value h_series(const Value& in, const HelperCall&, const EvalContext&) {
  std::vector<std::string> items;
  for (const Value& item : items_of(in)) {
    if (item.is_missing()) continue;
    items.emplace_back();
    item.append_to(items.back());
  }
  if (items.empty()) return Value::of_text("(nothing)");
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  constexpr size_t kShown = 3;
  if (items.size() > kShown) {
    std::string others = std::to_string(items.size() - kShown + 1) + " others";
    items.resize(kShown - 1);
    items.push_back(std::move(others));
  }
  if (items.size() == 1) return Value::of_text(std::move(items[0]));
  std::string out;
  for (size_t i = 0; i + 1 < items.size(); ++i) out += (i ? ", " : "") + items[i];
  out += items.size() > 2 ? ", and " : " and ";
  out += items.back();
  return Value::of_text(std::move(out));
}

// count: the number of items of a list or JSON array, members of an object, characters of text.
Value h_count(const Value& in, const HelperCall&, const EvalContext&) {
  size_t n = 0;
  if (in.kind == Value::Kind::kJson && in.json->IsObject()) {
    n = in.json->MemberCount();
  } else if (in.is_text()) {
    n = code_point_count(in.str());
  } else {
    n = items_of(in).size();
  }
  return Value::of_text(std::to_string(n));
}

// keys: the member names of a JSON object, in document order.
Value h_keys(const Value& in, const HelperCall&, const EvalContext&) {
  std::vector<Value> keys;
  if (in.kind == Value::Kind::kJson && in.json->IsObject()) {
    for (const auto& member : in.json->GetObject()) {
      keys.push_back(Value::of_view({member.name.GetString(), member.name.GetStringLength()}));
    }
  }
  return Value::of_list(std::move(keys));
}

// unique: the distinct items of a list, first occurrence kept.
Value h_unique(const Value& in, const HelperCall&, const EvalContext&) {
  std::vector<Value> out;
  std::vector<std::string> seen;
  for (const Value& item : items_of(in)) {
    std::string text;
    item.append_to(text);
    if (std::find(seen.begin(), seen.end(), text) != seen.end()) continue;
    seen.push_back(std::move(text));
    out.push_back(item);
  }
  return Value::of_list(std::move(out));
}

// capitalize: the first character upper case, the rest lower case (ASCII; Python's
// str.capitalize).
Value h_capitalize(const Value& in, const HelperCall&, const EvalContext&) {
  std::string scratch;
  std::string s(text_of(in, scratch));
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    s[i] = static_cast<char>(i == 0 ? std::toupper(c) : std::tolower(c));
  }
  return Value::of_text(std::move(s));
}

// is_digits: true when the text is non-empty and all ASCII digits (Python's str.isdigit).
Value h_is_digits(const Value& in, const HelperCall&, const EvalContext&) {
  std::string scratch;
  std::string_view s = text_of(in, scratch);
  return Value::of_bool(!s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  }));
}

// nonempty: the value itself, or missing when it is falsy ("", null, 0, false, [], {}): Python's
// `if not x: continue` when collecting items.
Value h_nonempty(const Value& in, const HelperCall&, const EvalContext&) {
  return in.truthy() ? in : Value::missing();
}

// text: the value when it is non-empty text, else missing; keeps objects, arrays, numbers and null
// out of names where a key's type is not known (the fallback table reads whatever a body holds).
Value h_text(const Value& in, const HelperCall&, const EvalContext&) {
  return in.is_text() && !in.str().empty() ? in : Value::missing();
}

// strip_chars(x): the text without leading and trailing characters found in x (Python's
// s.strip(x): x is a set of characters, not a suffix).
Value h_strip_chars(const Value& in, const HelperCall& call, const EvalContext&) {
  std::string scratch;
  std::string_view s = text_of(in, scratch), chars = arg(call, 0);
  size_t b = s.find_first_not_of(chars);
  if (b == std::string_view::npos) return Value::of_text({});
  return Value::of_text(std::string(s.substr(b, s.find_last_not_of(chars) - b + 1)));
}

// The member `key` of an object, or null. (A name Value, not a bare pointer: the key need not
// be NUL-terminated.)
const JsonValue* find_member(const JsonValue& object, std::string_view key) {
  JsonValue name(rapidjson::StringRef(key.data(), key.size()));
  auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

// The body's value at a dot-separated member path ("a.b"), or null.
const JsonValue* body_member(const EvalContext& ctx, std::string_view path) {
  const JsonValue* at = ctx.message.body;
  for (size_t start = 0; at && start <= path.size();) {
    size_t dot = std::min(path.find('.', start), path.size());
    std::string_view key = path.substr(start, dot - start);
    if (!at->IsObject()) return nullptr;
    at = find_member(*at, key);
    start = dot + 1;
  }
  return at;
}

// lookup(path): the member named by the text in the body's object at `path` (Python's
// msg[path].get(text)); missing when there is none.
Value h_lookup(const Value& in, const HelperCall& call, const EvalContext& ctx) {
  const JsonValue* object = body_member(ctx, arg(call, 0));
  if (!object || !object->IsObject()) return Value::missing();
  std::string scratch;
  const JsonValue* member = find_member(*object, text_of(in, scratch));
  return member ? Value::of_json(member) : Value::missing();
}

// within(path): true when the text occurs in the text at the body's `path` (Python's
// `text in msg[path]`); false when there is no such value.
Value h_within(const Value& in, const HelperCall& call, const EvalContext& ctx) {
  const JsonValue* haystack = body_member(ctx, arg(call, 0));
  if (!haystack) return Value::of_bool(false);
  std::string scratch, text;
  Value::of_json(haystack).append_to(text);
  return Value::of_bool(text.find(text_of(in, scratch)) != std::string::npos);
}

// oxford(q): the items in order as English with the serial comma, each wrapped in q ("'a'",
// "'a' and 'b'", "'a', 'b', and 'c'"); missing when there are none. Unlike series: no sorting, no
// dedupe, no "others".
Value h_oxford(const Value& in, const HelperCall& call, const EvalContext&) {
  std::vector<std::string> items;
  for (const Value& item : items_of(in)) {
    if (item.is_missing()) continue;
    std::string text(call.args.empty() ? std::string_view() : arg(call, 0));
    item.append_to(text);
    text += call.args.empty() ? std::string_view() : arg(call, 0);
    items.push_back(std::move(text));
  }
  if (items.empty()) return Value::missing();
  std::string out = items[0];
  for (size_t i = 1; i < items.size(); ++i) {
    out += items.size() == 2 ? " and " : i + 1 == items.size() ? ", and " : ", ";
    out += items[i];
  }
  return Value::of_text(std::move(out));
}

constexpr std::array<HelperSpec, 34> kHelpers = {{
    {"account", 0, "", true, h_account},
    {"known_account", 0, "", true, h_known_account},
    {"nvr_to_name", 0, "", true, h_nvr_to_name},
    {"lower", 0, "", true, h_lower},
    {"upper", 0, "", true, h_upper},
    {"strip", 0, "", true, h_strip},
    {"basename", 0, "", true, h_basename},
    {"split", 1, "tn", true, h_split},
    {"replace", 2, "tt", true, h_replace},
    {"after", 1, "t", true, h_after},
    {"unless_contains", 1, "t", true, h_unless_contains},
    {"series", 0, "", false, h_series},
    {"prefix", 1, "n", true, h_prefix},
    {"ellipsize", 1, "n", true, h_ellipsize},
    {"map", 1, "t", true, h_map},
    {"starts_with", 1, "t", true, h_starts_with},
    {"ends_with", 1, "t", true, h_ends_with},
    {"contains", 1, "t", false, h_contains},
    {"mentions", 0, "", true, h_mentions},
    {"join", 1, "t", false, h_join},
    {"first", 0, "", false, h_first},
    {"last", 0, "", false, h_last},
    {"at", 1, "n", false, h_at},
    {"count", 0, "", false, h_count},
    {"keys", 0, "", false, h_keys},
    {"unique", 0, "", false, h_unique},
    {"capitalize", 0, "", true, h_capitalize},
    {"is_digits", 0, "", true, h_is_digits},
    {"nonempty", 0, "", true, h_nonempty},
    {"text", 0, "", false, h_text},
    {"strip_chars", 1, "t", true, h_strip_chars},
    {"lookup", 1, "t", true, h_lookup},
    {"within", 1, "t", true, h_within},
    {"oxford", 0, "t", false, h_oxford},
}};

}  // namespace

std::string_view email_to_account(std::string_view email, const StringMap& aliases) {
  static constexpr std::string_view kFedora = "@fedoraproject.org";
  if (email.ends_with(kFedora)) return email.substr(0, email.size() - kFedora.size());
  auto it = aliases.find(std::string(email));
  return it == aliases.end() ? email : std::string_view(it->second);
}

const HelperSpec* find_helper(std::string_view name) {
  for (const HelperSpec& spec : all_helpers()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::span<const HelperSpec> all_helpers() { return kHelpers; }

Value apply_helper(const HelperCall& call, const Value& in, const EvalContext& ctx) {
  if (in.is_missing()) return in;
  const HelperSpec& spec = *call.spec;
  if (!spec.elementwise) return spec.fn(in, call, ctx);
  if (in.is_list() || (in.kind == Value::Kind::kJson && in.json->IsArray())) {
    std::vector<Value> out;
    for (const Value& item : items_of(in)) {
      Value mapped = apply_helper(call, item, ctx);
      if (mapped.is_list()) {
        for (Value& v : mapped.items) out.push_back(std::move(v));
      } else if (!mapped.is_missing()) {
        out.push_back(std::move(mapped));
      }
    }
    return Value::of_list(std::move(out));
  }
  return spec.fn(in, call, ctx);
}

}  // namespace fmn::meta
