// Compiled meta-table expressions and conditions.
//
// Expression:  primary ('??' primary)* ('|' helper)* [('??' | '?:') expression]
//              the first alternative that is neither missing nor null, piped through the helpers
//              (name or name(literal, ...), see meta_helpers.h); `a ?: b` skips a falsy `a` too
//              (Python's `a or b`). After helpers, `?? x` is a fallback for the piped value.
//   primary:   path | $variable | 'text' | integer
//   path:      root ('.' key | '.*' | '[' integer ']' | '[*]' | '[' key '==' 'text' ']')*
//   root:      msg (the body) | topic | title (the topic suffix) | env | category | username |
//              msg_id
// Keys are [A-Za-z0-9_-]+ or 'quoted'. `[*]` and `.*` visit every item of an array or value of an
// object, `[key=='text']` the items of an array whose member `key` is 'text'; the path then
// yields a list. Negative indexes count from the end.
//
// Condition:   conjunction ('||' conjunction)*
//   conjunction: test ('&&' test)*
//   test:      ['!'] expression [('==' | '!=') literal]   without an operator: Python truthiness
//
// Compiled once from the table, then evaluated read-only on any thread.
#pragma once

#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/meta_helpers.h"
#include "core/result.h"

namespace fmn::meta {

struct Variable;  // meta_template.h

// What expressions may refer to by name: the table's string maps (for the map(name) helper) and
// its variables ($name). Node-based containers: compiled expressions keep pointers into them.
struct Scope {
  std::unordered_map<std::string, StringMap> maps;
  std::unordered_map<std::string, std::unique_ptr<Variable>> vars;
};

class Expression {
 public:
  // Errors say what is wrong and where: "column 12: unknown helper 'nvr2name'".
  static Result<Expression> compile(std::string_view text, const Scope& scope);

  Value eval(const EvalContext& ctx) const;

  struct Step {
    enum class Kind : uint8_t { kKey, kIndex, kEach, kFilter };
    Kind kind;
    std::string key;
    int64_t index = 0;
    std::string equals;  // kFilter: [key=='equals'] keeps the array items whose key is this
  };
  enum class Root : uint8_t {
    kMsg,
    kTopic,
    kTitle,
    kEnv,
    kCategory,
    kUsername,
    kMsgId,
    kLiteral,
    kVariable
  };
  struct Term {
    Root root = Root::kMsg;
    std::vector<Step> steps;
    bool has_each = false;
    Literal literal;
    const Variable* variable = nullptr;
    bool skip_falsy = false;  // reached through `?:`: the previous alternative was falsy
  };

 private:
  friend class Parser;
  std::vector<Term> alternatives_;
  std::vector<HelperCall> helpers_;
  std::unique_ptr<Expression> fallback_;  // after the helpers
  bool fallback_on_falsy_ = false;
};

class Condition {
 public:
  static Result<Condition> compile(std::string_view text, const Scope& scope);

  bool eval(const EvalContext& ctx) const;

  struct Test {
    bool negate = false;
    Expression expr;
    enum class Op : uint8_t { kTruthy, kEqual, kNotEqual } op = Op::kTruthy;
    Literal rhs;
  };

 private:
  friend class Parser;
  std::vector<std::vector<Test>> any_of_;  // OR of ANDs
};

// The first dot-separated part of a topic suffix: the service ("bodhi" for "bodhi.update.comment").
std::string_view category_of(std::string_view topic_suffix);

}  // namespace fmn::meta
