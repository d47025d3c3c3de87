// meta::Value: what a meta-table expression evaluates to while extracting one message.
//
// A value is missing (the path does not exist), a view of text that lives as long as the message
// (a JSON string, the topic), owned text (a helper's output), a non-string JSON value, a boolean
// (a test's outcome) or a list of values (a wildcard path). Text renders as Python's str() would
// render it, since the ground truth is Python's output: True/False, None, 3, 1.5.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.h"

namespace fmn::meta {

struct Value {
  enum class Kind : uint8_t { kMissing, kView, kText, kJson, kBool, kList };

  Kind kind = Kind::kMissing;
  bool flag = false;                // kBool
  std::string_view view;            // kView
  std::string text;                 // kText
  const JsonValue* json = nullptr;  // kJson: never a string (strings become kView)
  std::vector<Value> items;         // kList

  static Value missing() { return {}; }
  static Value of_view(std::string_view v);
  static Value of_text(std::string t);
  static Value of_bool(bool b);
  static Value of_json(const JsonValue* v);  // strings become views
  static Value of_list(std::vector<Value> items);

  bool is_missing() const { return kind == Kind::kMissing; }
  bool is_list() const { return kind == Kind::kList; }
  bool is_null() const { return kind == Kind::kJson && json->IsNull(); }
  // Text-like: a view or owned text.
  bool is_text() const { return kind == Kind::kView || kind == Kind::kText; }
  // REQUIRES: is_text().
  std::string_view str() const { return kind == Kind::kView ? view : std::string_view(text); }

  // Python truthiness; missing is false.
  bool truthy() const;
  // Appends Python's str() of a scalar. Lists append their items joined by ", ".
  // REQUIRES: !is_missing().
  void append_to(std::string& out) const;
};

// Python's repr of a float, shortest round-trip form ("1.5", "3.0", "1e+20").
void append_python_float(std::string& out, double d);

}  // namespace fmn::meta
