#include "core/canonical_json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

#include "core/utf8.h"

namespace fmn {
namespace {

// Builds a PyJson from RapidJSON's SAX events. Numbers arrive as their text
// (kParseNumbersAsStringsFlag). Objects and arrays deeper than a limit are refused before the
// recursive parser descends into them.
class TreeBuilder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TreeBuilder> {
 public:
  TreeBuilder(PyJson& root, size_t max_depth) : root_(root), max_depth_(max_depth) {}

  bool Null() { return add({PyJson::Kind::kNull}) != nullptr; }
  bool Bool(bool b) { return add({b ? PyJson::Kind::kTrue : PyJson::Kind::kFalse}) != nullptr; }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    std::string_view text(s, n);
    // json.loads makes a float of a number with a fraction or an exponent, an int otherwise.
    bool is_float = text.find_first_of(".eE") != std::string_view::npos;
    return add({is_float ? PyJson::Kind::kFloat : PyJson::Kind::kInt, std::string(text)}) !=
           nullptr;
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    return add({PyJson::Kind::kString, std::string(s, n)}) != nullptr;
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    key_.assign(s, n);
    return true;
  }
  bool StartObject() { return open(PyJson::Kind::kObject); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool StartArray() { return open(PyJson::Kind::kArray); }
  bool EndArray(rapidjson::SizeType) { return close(); }

  bool too_deep() const { return too_deep_; }

 private:
  // Adds `v` to the open container (or makes it the root); a pointer to it where it now lives.
  PyJson* add(PyJson v) {
    if (open_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    PyJson& parent = *open_.back();
    if (parent.kind == PyJson::Kind::kArray) return &parent.items.emplace_back(std::move(v));
    return &parent.members.emplace_back(PyJson::Member{std::move(key_), std::move(v)}).value;
  }
  bool open(PyJson::Kind kind) {
    if (open_.size() >= max_depth_) {
      too_deep_ = true;
      return false;
    }
    // Only the innermost container grows, so pointers to the open ones stay valid.
    open_.push_back(add({kind}));
    return true;
  }
  bool close() {
    open_.pop_back();
    return true;
  }

  PyJson& root_;
  size_t max_depth_;
  std::vector<PyJson*> open_;
  std::string key_;
  bool too_deep_ = false;
};

// Whether a JSON number that std::from_chars found out of a double's range is too large (Python's
// float() makes it an infinity) rather than too small (a zero): the power of ten of its first
// significant digit tells.
bool too_large(std::string_view number) {
  size_t e = std::min(number.find_first_of("eE"), number.size());
  long exponent = 0;
  if (e < number.size()) {
    std::string_view digits = number.substr(e + 1);
    bool negative = digits.front() == '-';
    if (digits.front() == '-' || digits.front() == '+') digits.remove_prefix(1);
    if (std::from_chars(digits.data(), digits.data() + digits.size(), exponent).ec != std::errc()) {
      return !negative;  // an exponent beyond a long decides alone
    }
    if (negative) exponent = -exponent;
  }
  std::string_view mantissa = number.substr(0, e);
  size_t dot = std::min(mantissa.find('.'), mantissa.size());
  size_t first = mantissa.find_first_of("123456789");  // there is one: zero is in range
  long position =
      first < dot ? static_cast<long>(dot - first) - 1 : -static_cast<long>(first - dot);
  return exponent + position > 0;
}

void append_int(const std::string& text, std::string& out) {
  // A JSON integer is already as Python prints it (no leading zeros, no plus), except minus zero.
  out += text == "-0" ? "0" : text;
}

// Python's repr() of a float: the shortest digits that read back to the same double, in fixed
// notation when the decimal point falls within 16 digits of them, else in exponent notation.
void append_float(double d, std::string& out) {
  if (std::isinf(d)) {
    out += d < 0 ? "-Infinity" : "Infinity";
    return;
  }
  char buf[32];
  auto end = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific).ptr;
  std::string_view sci(buf, static_cast<size_t>(end - buf));  // "-d.ddde-XX", as printf's %e
  if (sci.front() == '-') {
    out += '-';
    sci.remove_prefix(1);
  }
  const size_t e = sci.find('e');
  std::string digits(1, sci[0]);
  if (e > 1) digits.append(sci.substr(2, e - 2));
  int exponent = 0;
  std::string_view exp_digits = sci.substr(e + 2);
  std::from_chars(exp_digits.data(), exp_digits.data() + exp_digits.size(), exponent);
  if (sci[e + 1] == '-') exponent = -exponent;

  const int point = exponent + 1;  // digits before the decimal point
  const int n = static_cast<int>(digits.size());
  if (point <= -4 || point > 16) {
    out.append(sci);  // repr's exponent form is %e's, with the shortest digits
  } else if (point <= 0) {
    out.append("0.").append(static_cast<size_t>(-point), '0').append(digits);
  } else if (point >= n) {
    out.append(digits).append(static_cast<size_t>(point - n), '0').append(".0");
  } else {
    out.append(digits, 0, static_cast<size_t>(point)).append(".").append(digits, point);
  }
}

// REQUIRES: unit <= 0xFFFF (a UTF-16 code unit).
void append_u_escape(unsigned unit, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(unit >> shift) & 0xf];
}

// Python's ensure_ascii string form. The text is UTF-8 whose code points may include lone
// surrogates (from \udXXX escapes, which json.loads keeps and json.dumps writes back).
void append_string(std::string_view s, std::string& out) {
  out += '"';
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  for (size_t i = 0; i < n;) {
    unsigned c = p[i];
    if (c >= 0x20 && c < 0x7f) {
      if (c == '"' || c == '\\') out += '\\';
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    if (c < 0x80) {
      switch (c) {
        case '\b':
          out += "\\b";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\r':
          out += "\\r";
          break;
        default:
          append_u_escape(c, out);  // other controls and DEL
      }
      ++i;
      continue;
    }
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    unsigned cp = c & (0x3F >> (len - 1));
    for (size_t k = 1; k < len && i + k < n; ++k) cp = (cp << 6) | (p[i + k] & 0x3F);
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      append_u_escape(0xD800 + (cp >> 10), out);
      append_u_escape(0xDC00 + (cp & 0x3FF), out);
    } else {
      append_u_escape(cp, out);
    }
  }
  out += '"';
}

void append(const PyJson& v, std::string& out) {
  switch (v.kind) {
    case PyJson::Kind::kNull:
      out += "null";
      return;
    case PyJson::Kind::kFalse:
      out += "false";
      return;
    case PyJson::Kind::kTrue:
      out += "true";
      return;
    case PyJson::Kind::kInt:
      append_int(v.text, out);
      return;
    case PyJson::Kind::kFloat:
      append_float(v.number(), out);
      return;
    case PyJson::Kind::kString:
      append_string(v.text, out);
      return;
    case PyJson::Kind::kArray:
      out += '[';
      for (size_t i = 0; i < v.items.size(); ++i) {
        if (i > 0) out += ',';
        append(v.items[i], out);
      }
      out += ']';
      return;
    case PyJson::Kind::kObject: {
      std::vector<const PyJson::Member*> sorted;
      sorted.reserve(v.members.size());
      for (const PyJson::Member& m : v.members) sorted.push_back(&m);
      // UTF-8 byte order is code point order. Stable: of a repeated key, the last one counts.
      std::stable_sort(sorted.begin(), sorted.end(),
                       [](const auto* a, const auto* b) { return a->key < b->key; });
      out += '{';
      bool first = true;
      for (size_t i = 0; i < sorted.size(); ++i) {
        if (i + 1 < sorted.size() && sorted[i + 1]->key == sorted[i]->key) continue;
        if (!first) out += ',';
        first = false;
        append_string(sorted[i]->key, out);
        out += ':';
        append(sorted[i]->value, out);
      }
      out += '}';
      return;
    }
  }
}

}  // namespace

const PyJson* PyJson::find(std::string_view key) const {
  for (auto m = members.rbegin(); m != members.rend(); ++m) {
    if (m->key == key) return &m->value;
  }
  return nullptr;
}

PyJson* PyJson::find(std::string_view key) {
  return const_cast<PyJson*>(std::as_const(*this).find(key));
}

void PyJson::erase(std::string_view key) {
  std::erase_if(members, [key](const Member& m) { return m.key == key; });
}

double PyJson::number() const {
  double d = 0;
  if (std::from_chars(text.data(), text.data() + text.size(), d).ec == std::errc()) return d;
  d = too_large(text) ? std::numeric_limits<double>::infinity() : 0.0;
  return text.front() == '-' ? -d : d;
}

Result<PyJson> parse_py_json(std::string_view json, size_t max_depth) {
  if (size_t bad = first_invalid_utf8(json); bad != json.size()) {
    return Error{ErrorCode::kMalformedJson, "invalid UTF-8 at offset " + std::to_string(bad)};
  }
  // RapidJSON's SSE4.2 whitespace scanning reads 16 bytes at a time: pad past the end.
  std::string buffer(json);
  buffer.append(16, '\0');
  rapidjson::StringStream stream(buffer.c_str());
  rapidjson::Reader reader;
  PyJson root;
  TreeBuilder builder(root, max_depth);
  constexpr unsigned kFlags =
      rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseStopWhenDoneFlag;
  if (reader.Parse<kFlags>(stream, builder).IsError()) {
    if (builder.too_deep()) {
      return Error{ErrorCode::kMalformedJson,
                   "nesting deeper than " + std::to_string(max_depth) + " levels"};
    }
    return Error{ErrorCode::kMalformedJson,
                 std::string(rapidjson::GetParseError_En(reader.GetParseErrorCode())) +
                     " at offset " + std::to_string(reader.GetErrorOffset())};
  }
  for (size_t at = stream.Tell(); at < json.size(); ++at) {
    if (std::string_view(" \t\r\n").find(json[at]) == std::string_view::npos) {
      return Error{ErrorCode::kMalformedJson,
                   "unexpected data after the JSON value at offset " + std::to_string(at)};
    }
  }
  return root;
}

std::string canonical_json(const PyJson& value) {
  std::string out;
  append(value, out);
  return out;
}

}  // namespace fmn
