// The named helper functions meta-table expressions may pipe values through
// (`msg.update.title | split(',') | nvr_to_name`), where a JSON path alone is not enough.
//
// Most helpers are element-wise: applied to a list they map over its items (flattening lists they
// return). A missing input gives a missing output. The set is deliberately small; each helper is
// documented in docs/meta-extraction.md. Helpers are pure functions: thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/meta_value.h"

namespace fmn::meta {

using StringMap = std::unordered_map<std::string, std::string>;

// What the helpers may consult besides their input: the account alias map (same type as
// fmn::AliasMap: e-mail or nick -> account).
struct EvalContext {
  const Message& message;
  const StringMap& aliases;
  // Variables already evaluated for this message: a table refers to one variable from several
  // fields, and a variable's value depends on the message alone. Keyed by the Variable's address.
  mutable std::vector<std::pair<const void*, Value>> memo = {};
};

// A literal in an expression: 'text', an integer, true, false or null. Helper arguments are text
// or integers.
struct Literal {
  enum class Kind : uint8_t { kText, kNumber, kTrue, kFalse, kNull };
  Kind kind = Kind::kText;
  std::string text;  // also the spelling of a number
  int64_t number = 0;
};

struct HelperCall;
using HelperFn = Value (*)(const Value& in, const HelperCall& call, const EvalContext& ctx);

struct HelperSpec {
  std::string_view name;
  size_t min_args;
  std::string_view arg_kinds;  // one letter per argument: 't' text, 'n' integer
  bool elementwise;            // mapped over list items, else given the whole value
  HelperFn fn;
};

// A helper with its arguments, as compiled from the table.
struct HelperCall {
  const HelperSpec* spec = nullptr;
  std::vector<Literal> args;
  const StringMap* map = nullptr;  // map(name): the named table, resolved at load time
};

// The helper named `name`, or null.
const HelperSpec* find_helper(std::string_view name);
std::span<const HelperSpec> all_helpers();

// Applies `call` to `in`, mapping element-wise helpers over lists.
Value apply_helper(const HelperCall& call, const Value& in, const EvalContext& ctx);

// fasshim.email2fas: "user@fedoraproject.org" -> "user", a known alias -> its account, anything
// else unchanged.
std::string_view email_to_account(std::string_view email, const StringMap& aliases);

}  // namespace fmn::meta
