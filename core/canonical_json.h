// Canonical JSON as fedmsg signed it: the bytes Python's
// `json.dumps(value, sort_keys=True, separators=(",", ":"))` prints (fedmsg.encoding.dumps), for
// a value read by `json.loads`.
//
// PyJson holds a document the way Python's json module does, so that it can be written back
// byte for byte as Python would: numbers keep the text they were written with (Python ints are
// exact at any size; floats are parsed when written and printed as Python's repr), strings are
// decoded, objects keep their members in document order (a repeated key: the last one counts,
// as in a dict). Plain values; thread-compatible. Never throws.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace fmn {

struct PyJson {
  enum class Kind { kNull, kFalse, kTrue, kInt, kFloat, kString, kArray, kObject };
  struct Member;

  Kind kind = Kind::kNull;
  std::string text;             // kInt, kFloat: the JSON number; kString: the decoded UTF-8
  std::vector<PyJson> items;    // kArray
  std::vector<Member> members;  // kObject, in document order

  // The value of `key` (its last occurrence), or null when absent. REQUIRES: kind == kObject.
  const PyJson* find(std::string_view key) const;
  PyJson* find(std::string_view key);
  // Removes every occurrence of `key` (Python's `del d[key]`). REQUIRES: kind == kObject.
  void erase(std::string_view key);
  // The number as Python's float() of it. REQUIRES: kind is kInt or kFloat.
  double number() const;
};

struct PyJson::Member {
  std::string key;
  PyJson value;
};

// Reads `json` as json.loads would. Errors (kMalformedJson): not JSON, not UTF-8, text after
// the value, or nesting deeper than `max_depth`.
Result<PyJson> parse_py_json(std::string_view json, size_t max_depth = 64);

// What json.dumps(value, sort_keys=True, separators=(",", ":")) prints: keys sorted by code
// point, only ASCII out (other characters as \uXXXX, surrogate pairs above U+FFFF), floats as
// repr() prints them, "Infinity" for an infinite float.
std::string canonical_json(const PyJson& value);

}  // namespace fmn
