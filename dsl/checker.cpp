#include "dsl/checker.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <map>
#include <optional>
#include <set>
#include <vector>

#include "dsl/checker_text.h"
#include "dsl/checker_warnings.h"
#include "dsl/fields.h"
#include "dsl/limits.h"
#include "dsl/list_patterns.h"
#include "dsl/literal_text.h"
#include "dsl/suggest.h"
#include "dsl/syntax_equal.h"

namespace fmn::dsl {
namespace {

// A static type: for lists, also what they hold.
struct Type {
  ValueType kind = ValueType::kAny;
  ValueType element = ValueType::kAny;
  bool is_list() const { return kind == ValueType::kList; }
  // The scalar type a test sees: a list's element, or the value itself.
  ValueType scalar() const { return is_list() ? element : kind; }
};

std::string_view word(ValueType t) {
  switch (t) {
    case ValueType::kString:
      return "string";
    case ValueType::kNumber:
      return "number";
    case ValueType::kBool:
      return "boolean";
    case ValueType::kList:
      return "list";
    case ValueType::kAny:
      return "value";
  }
  return "value";
}

std::string type_name(ValueType t) { return fmt::format("a {}", word(t)); }

bool known(ValueType t) { return t != ValueType::kAny; }

bool is_literal(const Operand& o) {
  return o.kind == OperandKind::kString || o.kind == OperandKind::kNumber ||
         o.kind == OperandKind::kBool || o.kind == OperandKind::kList;
}

enum class Truth { kUnknown, kTrue, kFalse };

Truth negate(Truth t) {
  if (t == Truth::kUnknown) return t;
  return t == Truth::kTrue ? Truth::kFalse : Truth::kTrue;
}

class Checker {
 public:
  Checker(const SourceFile& file, Module& module, Diagnostics& diagnostics)
      : file_(file), module_(module), diags_(diagnostics) {}

  void run() {
    for (size_t i = 0; i < module_.statements.size(); ++i) {
      const Statement& s = module_.statements[i];
      if (s.kind == StatementKind::kDef) all_defs_.emplace(s.name, i);
    }
    size_t count = 0;
    for (size_t i = 0; i < module_.statements.size(); ++i) {
      const Statement& s = module_.statements[i];
      if (++count == kMaxStatements + 1) {
        diags_.report(Code::kTooLarge, s.range,
                      fmt::format("more than {} statements in one file", kMaxStatements),
                      "split the rules over several files");
      }
      current_ = i;
      if (s.kind == StatementKind::kDef) {
        declare_def(i);
      } else if (!rule_names_.insert(s.name).second) {
        diags_.report(Code::kDuplicateRule, s.name_range,
                      fmt::format("a rule named {} already exists", quote(s.name)),
                      "rule names identify rules in notifications: make them unique");
      }
      check_expr(s.body);
      if (s.kind == StatementKind::kDef) defs_.emplace(s.name, i);
    }
    for (const auto& [name, index] : defs_) {
      if (!used_defs_.contains(name)) {
        diags_.report(Code::kUnusedDefinition, module_.statements[index].name_range,
                      fmt::format("definition `{}` is never used", name),
                      "use it in a rule, or remove it");
      }
    }
  }

 private:
  void declare_def(size_t index) {
    const Statement& s = module_.statements[index];
    if (find_field(s.name)) {
      diags_.report(Code::kReservedName, s.name_range,
                    fmt::format("`{}` is a field; a definition cannot take its name", s.name),
                    "choose another name");
    } else if (defs_.contains(s.name)) {
      diags_.report(
          Code::kDuplicateDefinition, s.name_range, fmt::format("`{}` is already defined", s.name),
          fmt::format("the first definition is on line {}",
                      file_.position(module_.statements[defs_.at(s.name)].range.begin).line));
    }
  }

  Truth check_expr(ExprId id) {
    Expr& e = module_.at(id);
    switch (e.kind) {
      case ExprKind::kBool:
        return e.value ? Truth::kTrue : Truth::kFalse;
      case ExprKind::kNot:
        return negate(check_expr(e.children[0]));
      case ExprKind::kAnd:
      case ExprKind::kOr:
        return check_chain(id);
      case ExprKind::kCompare:
        check_compare(id);
        return Truth::kUnknown;
      case ExprKind::kExists:
        return check_exists(e);
      case ExprKind::kName:
        check_name(e);
        return Truth::kUnknown;
    }
    return Truth::kUnknown;
  }

  Truth check_chain(ExprId id) {
    // Copy: checking children may not grow the arena, but keep this independent of it.
    const std::vector<ExprId> children = module_.at(id).children;
    bool is_and = module_.at(id).kind == ExprKind::kAnd;
    Truth absorbing = is_and ? Truth::kFalse : Truth::kTrue;
    Truth result = is_and ? Truth::kTrue : Truth::kFalse;
    std::string_view op = is_and ? "and" : "or";
    for (size_t i = 0; i < children.size(); ++i) {
      Truth t = check_expr(children[i]);
      const Expr& child = module_.at(children[i]);
      if (t == absorbing) {
        diags_.report(is_and ? Code::kAlwaysFalse : Code::kAlwaysTrue, child.range,
                      fmt::format("this test is always {}, so the whole `{}` is too",
                                  is_and ? "false" : "true", op),
                      "");
        result = absorbing;
      } else if (t == Truth::kUnknown && result != absorbing) {
        result = Truth::kUnknown;
      }
      // Pairwise warnings are quadratic: a chain over the node limit is rejected anyway (E0301),
      // so it is not compared, which keeps a huge hostile chain from taking seconds.
      const size_t compared = children.size() <= kMaxRuleNodes ? i : 0;
      for (size_t j = 0; j < compared; ++j) {
        if (syntax_equal(module_, children[j], children[i])) {
          diags_.report(Code::kRepeatedTest, child.range,
                        fmt::format("this test is repeated in the same `{}`", op),
                        fmt::format("it first appears on line {}",
                                    file_.position(module_.at(children[j]).range.begin).line));
          break;
        }
        if (is_and && contradicts(module_.at(children[j]), child)) {
          diags_.report(Code::kAlwaysFalse, child.range,
                        fmt::format("`{}` cannot equal two different values, so this `and` is "
                                    "always false",
                                    file_.slice(child.lhs.range)),
                        "to accept either value, use `or` or `in [...]`");
        }
      }
    }
    return result;
  }

  // `x == "a" and x == "b"`.
  bool contradicts(const Expr& a, const Expr& b) const {
    auto literal_eq = [](const Expr& e) {
      return e.kind == ExprKind::kCompare && e.quantifier == Quantifier::kNone && e.op == Op::kEq &&
             is_literal(e.rhs) && e.rhs.kind != OperandKind::kList &&
             e.lhs.kind == OperandKind::kPath;
    };
    return literal_eq(a) && literal_eq(b) && syntax_equal(a.lhs, b.lhs) &&
           !syntax_equal(a.rhs, b.rhs);
  }

  Truth check_exists(const Expr& e) {
    std::optional<Type> t = check_operand(e.lhs);
    if (t && e.lhs.segments.empty() && (e.lhs.text == "topic" || e.lhs.text == "msg")) {
      diags_.report(
          Code::kAlwaysTrue, e.range,
          fmt::format("every message has a `{}`, so this test is always true", e.lhs.text), "");
      return Truth::kTrue;
    }
    return Truth::kUnknown;
  }

  void check_name(const Expr& e) {
    const Operand& o = e.lhs;
    if (o.kind == OperandKind::kPath && o.segments.empty() && !find_field(o.text)) {
      use_def(o);
      return;
    }
    if (o.kind == OperandKind::kPath && !check_operand(o)) return;
    std::string text(file_.slice(o.range));
    diags_.report(Code::kNotATest, o.range, fmt::format("`{}` is a value, not a test", text),
                  fmt::format("compare it, for example `{} == ...`, or test `exists {}`", text,
                              o.kind == OperandKind::kPath ? text : "msg.path"));
  }

  // A definition's name used as a test.
  void use_def(const Operand& o) {
    if (defs_.contains(o.text)) {
      used_defs_.insert(o.text);
      return;
    }
    auto later = all_defs_.find(o.text);
    if (later != all_defs_.end() && later->second == current_) {
      diags_.report(Code::kDefinedLater, o.range, fmt::format("`{}` uses itself", o.text),
                    "a definition can only use definitions made above it");
      return;
    }
    if (later != all_defs_.end()) {
      diags_.report(
          Code::kDefinedLater, o.range, fmt::format("`{}` is used before its definition", o.text),
          fmt::format("move the definition on line {} above this use",
                      file_.position(module_.statements[later->second].range.begin).line));
      return;
    }
    std::vector<std::string_view> names;
    for (const auto& [name, index] : defs_) names.push_back(name);
    std::optional<std::string> guess = closest_name(o.text, names);
    diags_.report(Code::kUnknownName, o.range, fmt::format("unknown definition `{}`", o.text),
                  guess ? fmt::format("did you mean `{}`?", *guess)
                        : "a name standing alone must be a definition (`def`) made above");
  }

  std::optional<Type> check_operand(const Operand& o) {
    switch (o.kind) {
      case OperandKind::kString:
        if (o.text.size() > kMaxStringBytes) {
          diags_.report(Code::kTooLarge, o.range,
                        fmt::format("string longer than {} bytes", kMaxStringBytes), "");
        }
        return Type{ValueType::kString};
      case OperandKind::kNumber:
        return Type{ValueType::kNumber};
      case OperandKind::kBool:
        return Type{ValueType::kBool};
      case OperandKind::kList:
        return check_list(o);
      case OperandKind::kParam:
        return check_param(o);
      case OperandKind::kPath:
        return check_path(o);
    }
    return std::nullopt;
  }

  std::optional<Type> check_list(const Operand& o) {
    if (o.items.size() > kMaxListItems) {
      diags_.report(Code::kTooLarge, o.range,
                    fmt::format("list of {} items; the limit is {}", o.items.size(), kMaxListItems),
                    "use a parameter such as $my_packages for long lists");
    }
    Type t{ValueType::kList, ValueType::kAny};
    for (size_t i = 0; i < o.items.size(); ++i) {
      ValueType item = check_operand(o.items[i])->kind;
      t.element = i == 0 || t.element == item ? item : ValueType::kAny;
    }
    return t;
  }

  std::optional<Type> check_param(const Operand& o) {
    if (std::optional<std::string_view> list = user_list_name(o.text)) {
      if (list->size() > kMaxListNameBytes) {
        diags_.report(Code::kTooLarge, o.range,
                      fmt::format("list name longer than {} bytes", kMaxListNameBytes), "");
      }
      return Type{ValueType::kList, ValueType::kString};
    }
    if (const ParamInfo* p = find_param(o.text)) {
      return Type{p->type, p->type == ValueType::kList ? ValueType::kString : ValueType::kAny};
    }
    std::vector<std::string_view> names;
    for (const ParamInfo& p : all_params()) names.push_back(p.name);
    std::optional<std::string> guess = closest_name(o.text, names);
    std::string all;
    for (std::string_view n : names) all += fmt::format("{}${}", all.empty() ? "" : ", ", n);
    diags_.report(
        Code::kUnknownParameter, o.range, fmt::format("unknown parameter `${}`", o.text),
        o.text == "lists" ? "a named list is written `$lists.NAME`"
        : guess           ? fmt::format("did you mean `${}`?", *guess)
                : fmt::format("the parameters are {}; a list of your own is written `$lists.{}`",
                              all, o.text));
    return std::nullopt;
  }

  std::optional<Type> check_path(const Operand& o) {
    const FieldInfo* f = find_field(o.text);
    if (!f) {
      if (all_defs_.contains(o.text)) {
        diags_.report(
            Code::kDefinitionAsValue, o.range,
            fmt::format("`{}` is a definition, a test; it has no value to compare", o.text),
            fmt::format("use it alone: `... and {}`", o.text));
        return std::nullopt;
      }
      std::vector<std::string_view> names;
      for (const FieldInfo& field : all_fields()) names.push_back(field.name);
      std::optional<std::string> guess = closest_name(o.text, names);
      SourceRange root{o.range.begin, o.range.begin + static_cast<uint32_t>(o.text.size())};
      diags_.report(Code::kUnknownField, root, fmt::format("unknown field `{}`", o.text),
                    guess ? fmt::format("did you mean `{}`?", *guess)
                          : fmt::format("to read the message body write `msg.{}`", o.text));
      return std::nullopt;
    }
    if (f->id != FieldId::kBody) {
      if (!o.segments.empty()) {
        diags_.report(Code::kNoSubfields, {o.segments[0].range.begin - 1, o.range.end},
                      fmt::format("`{}` is {} and has no parts", o.text, type_name(f->type)),
                      "only `msg` is read by path: msg.a.b");
        return std::nullopt;
      }
      return Type{f->type, f->type == ValueType::kList ? ValueType::kString : ValueType::kAny};
    }
    for (const PathSegment& s : o.segments) {
      if (!s.every || every_ == Every::kAllowed) continue;
      std::string text(file_.slice(o.range));
      diags_.report(
          Code::kStrayEvery, s.range,
          "`[*]` stands for each element, so it needs `any` or `all` before the test",
          every_ == Every::kRightOfQuantifier
              ? std::string("`any` and `all` range over their left side only: compare each "
                            "element with one value")
              : fmt::format("write `any {} ...` (some element) or `all {} ...` (every one)", text,
                            text));
      return std::nullopt;
    }
    if (o.segments.size() > kMaxPathSegments) {
      diags_.report(
          Code::kTooLarge, o.range,
          fmt::format("path of {} parts; the limit is {}", o.segments.size(), kMaxPathSegments),
          "");
    }
    return Type{};
  }

  void type_error(const Expr& e, std::string message, std::string hint = {}) {
    diags_.report(Code::kTypeMismatch, e.range, std::move(message), std::move(hint));
  }

  // What `any`/`all` test: each element of a list, or of a body path's array.
  std::optional<Type> quantified_element(const Expr& e, const Type& left) {
    if (left.is_list()) return Type{left.element};
    if (!known(left.kind)) return Type{};  // the body: arrays are known when a message comes
    std::string_view q = quantifier_spelling(e.quantifier);
    diags_.report(Code::kQuantifierNeedsList, e.lhs.range,
                  fmt::format("`{}` ranges over the elements of a list, but `{}` is {}", q,
                              file_.slice(e.lhs.range), type_name(left.kind)),
                  fmt::format("drop `{}` to test the value itself", q));
    return std::nullopt;
  }

  void check_compare(ExprId id) {
    Expr& e = module_.at(id);
    bool quantified = e.quantifier != Quantifier::kNone;
    every_ = quantified ? Every::kAllowed : Every::kNotHere;
    std::optional<Type> lhs = check_operand(e.lhs);
    every_ = quantified ? Every::kRightOfQuantifier : Every::kNotHere;
    std::optional<Type> rhs = check_operand(e.rhs);
    every_ = Every::kNotHere;
    if (lhs && e.quantifier != Quantifier::kNone) lhs = quantified_element(e, *lhs);
    if (!lhs || !rhs) return;
    std::string left(file_.slice(e.lhs.range));
    std::string right(file_.slice(e.rhs.range));
    std::string_view op = op_spelling(e.op);
    if (ignores_case(e.op) && !check_case_ignored(e, *lhs, *rhs)) return;
    switch (case_sensitive(e.op)) {
      case Op::kEq:
      case Op::kNe:
      case Op::kLt:
      case Op::kLe:
      case Op::kGt:
      case Op::kGe: {
        bool ordering = case_sensitive(e.op) != Op::kEq && case_sensitive(e.op) != Op::kNe;
        if (lhs->is_list() || rhs->is_list()) {
          const std::string& list = lhs->is_list() ? left : right;
          const std::string& item = lhs->is_list() ? right : left;
          return type_error(
              e, fmt::format("`{}` compares single values, but `{}` is a list", op, list),
              ordering ? std::string()
                       : fmt::format("to test membership write `{} in {}`", item, list));
        }
        if (ordering && (lhs->kind == ValueType::kBool || rhs->kind == ValueType::kBool)) {
          return type_error(e, fmt::format("`{}` orders numbers or strings, not booleans", op));
        }
        if (known(lhs->kind) && known(rhs->kind) && lhs->kind != rhs->kind) {
          return type_error(e,
                            fmt::format("`{}` compares {} with {}: never true", op,
                                        type_name(lhs->kind), type_name(rhs->kind)),
                            "values are never converted: 3 and \"3\" differ");
        }
        return;
      }
      case Op::kIn:
        if (!rhs->is_list() && known(rhs->kind)) {
          return type_error(
              e,
              fmt::format("the right side of `in` must be a list, but `{}` is {}", right,
                          type_name(rhs->kind)),
              rhs->kind == ValueType::kString
                  ? fmt::format("to compare single values write `{} == {}`; for a substring, "
                                "`{} contains {}`",
                                left, right, right, left)
                  : std::string());
        }
        if (known(lhs->scalar()) && known(rhs->element) && lhs->scalar() != rhs->element) {
          return type_error(e, fmt::format("`{}` holds {}s but `{}` holds {}s: never true", left,
                                           word(lhs->scalar()), right, word(rhs->element)));
        }
        return;
      case Op::kGlob:
      case Op::kMatches:
        if (!check_pattern(e, *rhs)) return;
        [[fallthrough]];
      case Op::kStartsWith:
      case Op::kEndsWith:
      case Op::kContains:
        for (const auto& [t, text] : {std::pair{*lhs, left}, std::pair{*rhs, right}}) {
          if (known(t.scalar()) && t.scalar() != ValueType::kString) {
            return type_error(
                e, fmt::format("`{}` works on strings, but `{}` is {}", op, text,
                               t.is_list() ? fmt::format("a list of {}s", word(t.element))
                                           : type_name(t.kind)));
          }
        }
        return;
      default:
        return;  // case_sensitive() returns none of the `*` operators
    }
  }

  // A `*` operator on a value known not to be text: the case it ignores is not there.
  bool check_case_ignored(const Expr& e, const Type& lhs, const Type& rhs) {
    for (const auto& [t, o] : {std::pair{lhs, &e.lhs}, std::pair{rhs, &e.rhs}}) {
      if (!known(t.scalar()) || t.scalar() == ValueType::kString) continue;
      std::string_view op = op_spelling(e.op);
      type_error(
          e,
          fmt::format(
              "`{}` ignores the case of strings, but `{}` is {}", op, file_.slice(o->range),
              t.is_list() ? fmt::format("a list of {}s", word(t.element)) : type_name(t.kind)),
          fmt::format("write `{}`", op.substr(0, op.size() - 1)));
      return false;
    }
    return true;
  }

  // `~` takes a string or a list of strings, `matches` a string: literals, compiled now; or a
  // user's `$lists.NAME`, whose entries are checked when the user's preferences are saved.
  bool check_pattern(Expr& e, const Type& rhs) {
    bool glob = case_sensitive(e.op) == Op::kGlob;
    if (e.rhs.kind == OperandKind::kParam && user_list_name(e.rhs.text)) return true;
    bool literal = e.rhs.kind == OperandKind::kString ||
                   (glob && e.rhs.kind == OperandKind::kList && rhs.element == ValueType::kString);
    if (!literal) {
      diags_.report(Code::kPatternNotLiteral, e.rhs.range,
                    fmt::format("the pattern of `{}` must be a \"string\"{} or a `$lists.NAME`",
                                op_spelling(e.op), glob ? ", a [list] of strings" : ""),
                    "patterns are checked when they are saved: write them in the rule, or keep "
                    "your own in a named list");
      return false;
    }
    if (glob) {
      auto too_long = [&](const Operand& p) {
        std::string problem = pattern_problem(p.text, PatternKind::kGlob);
        if (problem.empty()) return false;
        diags_.report(Code::kTooLarge, p.range, problem, "");
        return true;
      };
      if (e.rhs.kind == OperandKind::kString) return !too_long(e.rhs);
      bool ok = true;
      for (const Operand& p : e.rhs.items) ok = !too_long(p) && ok;
      return ok;
    }
    std::shared_ptr<const RE2> regex = compile_regex(e.rhs.text);
    if (!regex->ok()) {
      diags_.report(Code::kBadRegex, e.rhs.range,
                    fmt::format("invalid regular expression: {}", regex->error()),
                    "the syntax is RE2's (no backreferences or lookaround)");
      return false;
    }
    e.regex = std::move(regex);
    return true;
  }

  const SourceFile& file_;
  Module& module_;
  Diagnostics& diags_;
  std::map<std::string, size_t, std::less<>> defs_;      // defined above the current statement
  std::map<std::string, size_t, std::less<>> all_defs_;  // anywhere in the file
  std::set<std::string, std::less<>> used_defs_;
  std::set<std::string, std::less<>> rule_names_;
  size_t current_ = 0;  // the statement being checked
  // Where the operand being checked is: `[*]` may appear on the left of `any`/`all` only.
  enum class Every : uint8_t { kNotHere, kAllowed, kRightOfQuantifier };
  Every every_ = Every::kNotHere;
};

}  // namespace

void check(const SourceFile& file, Module& module, Diagnostics& diagnostics) {
  diagnostics.bind(file);
  Checker(file, module, diagnostics).run();
  check_text(file, module, diagnostics);
  warn_dead_tests(file, module, diagnostics);
}

}  // namespace fmn::dsl
