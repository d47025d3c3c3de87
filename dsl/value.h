// What an operand evaluates to for one message and one user, and the leaf tests on such
// values: the rule language's semantics, in one place, for the interpreter and `explain`.
//
// A Value is a view (no copies, no allocation): it points into the Message, the user's parameters
// or the CompiledRule, and lives no longer than they do. Every function is total: a missing value,
// JSON null or a value of the wrong type makes a test false (`!=` is `not ==`, so it is true
// there), never an error. Thread-safe on const inputs.
#pragma once

#include <string_view>
#include <vector>

#include "core/message.h"
#include "dsl/params_view.h"
#include "dsl/program.h"
#include "dsl/strings_view.h"

namespace fmn::dsl {

struct Value {
  enum class Kind : uint8_t {
    kMissing,  // absent, empty, or JSON null
    kString,
    kNumber,
    kBool,
    kStrings,    // a sorted list of strings (meta lists, parameters)
    kConstList,  // a literal list (sorted)
    kJsonArray,  // an array in the body, in its own order
    kJsonObject,
  };
  Kind kind = Kind::kMissing;
  std::string_view string;
  double number = 0;
  bool boolean = false;
  StringsView strings;  // kStrings
  const ConstList* list = nullptr;
  const JsonValue* json = nullptr;  // kJsonArray, kJsonObject
};

// What a test reads.
struct Context {
  const CompiledRule& rule;
  const Message& message;
  const ParamsView& params;
};

Value resolve(const Context& ctx, OperandRef ref);
bool test_atom(const Context& ctx, const Atom& atom);

}  // namespace fmn::dsl
