// The syntax tree of a rule file, as written: what the parser builds, the checker reads and
// annotates, the formatter prints and the lowering turns into CompiledRules.
//
// Expressions live in one arena per Module and refer to each other by ExprId, so a Module is
// a plain value (movable, copyable, no pointers into itself). Every node keeps its SourceRange
// for diagnostics. Parentheses leave no node: precedence is structure. Chains of the same
// operator are flat (`a and b and c` is one kAnd with three children).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/source.h"

namespace re2 {
class RE2;
}

namespace fmn::dsl {

using ExprId = uint32_t;

// Binary comparison operators, in the order the docs list them. The `*` forms (`==*`...) are
// their case-sensitive operator with ASCII letters compared without case (see fold_case.h).
enum class Op : uint8_t {
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kIn,
  kGlob,  // ~
  kStartsWith,
  kEndsWith,
  kContains,
  kMatches,
  kEqFold,    // ==*
  kNeFold,    // !=*
  kInFold,    // in*
  kGlobFold,  // ~*
  kStartsWithFold,
  kEndsWithFold,
  kContainsFold,
};
inline constexpr int kOpCount = static_cast<int>(Op::kContainsFold) + 1;
std::string_view op_spelling(Op op);
// True for the `*` operators, which ignore ASCII case. Inline: test_atom asks on every test.
constexpr bool ignores_case(Op op) { return op >= Op::kEqFold; }
// The operator whose semantics a `*` operator folds (kEqFold -> kEq); any other is itself. The
// checker and the lowering reason about this one and then handle case on their own.
constexpr Op case_sensitive(Op op) {
  constexpr Op kBase[] = {Op::kEq,         Op::kNe,       Op::kIn,      Op::kGlob,
                          Op::kStartsWith, Op::kEndsWith, Op::kContains};
  return ignores_case(op) ? kBase[static_cast<int>(op) - static_cast<int>(Op::kEqFold)] : op;
}

struct PathSegment {
  std::string key;                // a member name, when !index and !every
  std::optional<uint32_t> index;  // an array position: msg.builds[0]
  bool every = false;             // `[*]`: each element of an array (only under any/all)
  SourceRange range;
};

// `any`/`all` before a comparison: the test holds for some element of the left side, or for
// every element (and there is at least one). See docs/rules-language.md.
enum class Quantifier : uint8_t { kNone, kAny, kAll };
std::string_view quantifier_spelling(Quantifier q);  // "any", "all"; "" for kNone

enum class OperandKind : uint8_t { kString, kNumber, kBool, kList, kParam, kPath };

struct Operand {
  OperandKind kind = OperandKind::kString;
  SourceRange range;
  // kString: decoded value; kParam: name without `$` (`lists.NAME` for a user's named list,
  // see user_list_name()); kPath: first name
  std::string text;
  double number = 0;
  bool boolean = false;
  std::vector<Operand> items;         // kList: string and number literals
  std::vector<PathSegment> segments;  // kPath: what follows the first name
};

// The NAME of a `$lists.NAME` parameter's text (`lists.NAME`); nullopt for any other parameter.
std::optional<std::string_view> user_list_name(std::string_view param_text);

enum class ExprKind : uint8_t {
  kBool,     // true / false
  kAnd,      // children: two or more
  kOr,       // children: two or more
  kNot,      // children: one
  kCompare,  // lhs op rhs
  kExists,   // exists lhs (a path)
  kName,     // lhs standing alone: a definition's name (anything else is an error)
};

struct Expr {
  ExprKind kind = ExprKind::kBool;
  SourceRange range;
  bool value = false;  // kBool
  Op op = Op::kEq;     // kCompare
  SourceRange op_range;
  Quantifier quantifier = Quantifier::kNone;  // kCompare
  std::vector<ExprId> children;
  Operand lhs, rhs;
  // Set by the checker on a valid `matches`: the compiled regex, shared with the lowered rule.
  std::shared_ptr<const re2::RE2> regex;
};

enum class StatementKind : uint8_t { kDef, kRule };

struct Statement {
  StatementKind kind = StatementKind::kRule;
  std::string name;  // a definition's identifier or a rule's decoded name
  SourceRange name_range;
  SourceRange range;  // the whole statement, keyword to end of expression
  ExprId body = 0;
};

struct Module {
  std::vector<Expr> exprs;
  std::vector<Statement> statements;  // in file order; statements with syntax errors are absent
  std::vector<SourceRange> comments;  // every `# ...` comment, in file order

  ExprId add(Expr e) {
    exprs.push_back(std::move(e));
    return static_cast<ExprId>(exprs.size() - 1);
  }
  const Expr& at(ExprId id) const { return exprs[id]; }
  Expr& at(ExprId id) { return exprs[id]; }
};

}  // namespace fmn::dsl
