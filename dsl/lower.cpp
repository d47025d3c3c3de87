#include "dsl/lower.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "dsl/canonical.h"
#include "dsl/fold_case.h"
#include "dsl/limits.h"
#include "dsl/literal_text.h"

namespace fmn::dsl {
namespace {

class RuleLowering {
 public:
  RuleLowering(const Module& module, const std::map<std::string, ExprId, std::less<>>& defs,
               CompiledRule& rule)
      : module_(module), defs_(defs), rule_(rule) {}

  // False when the rule exceeds kMaxRuleNodes.
  bool lower(ExprId body) {
    emit(body, NodeKind::kTrue);
    return rule_.nodes.size() <= kMaxRuleNodes;
  }

 private:
  // A definition's name stands for its body.
  const Expr& resolve(ExprId id) const {
    const Expr* e = &module_.at(id);
    while (e->kind == ExprKind::kName) e = &module_.at(defs_.find(e->lhs.text)->second);
    return *e;
  }

  // Emits `id` as a child of a `parent` node; an and/or under the same operator splices its
  // children into the parent's.
  void emit(ExprId id, NodeKind parent) {
    if (rule_.nodes.size() > kMaxRuleNodes) return;  // stop expanding: the rule is rejected
    const Expr& e = resolve(id);
    switch (e.kind) {
      case ExprKind::kBool:
        push(e.value ? NodeKind::kTrue : NodeKind::kFalse);
        return;
      case ExprKind::kAnd:
      case ExprKind::kOr: {
        NodeKind kind = e.kind == ExprKind::kAnd ? NodeKind::kAnd : NodeKind::kOr;
        if (kind == parent) {
          for (ExprId child : e.children) emit(child, parent);
          return;
        }
        size_t header = push(kind);
        for (ExprId child : e.children) emit(child, kind);
        close(header);
        return;
      }
      case ExprKind::kNot: {
        const Expr& inner = resolve(e.children[0]);
        if (inner.kind == ExprKind::kNot) return emit(inner.children[0], parent);
        size_t header = push(NodeKind::kNot);
        emit(e.children[0], NodeKind::kNot);
        close(header);
        return;
      }
      case ExprKind::kCompare:
      case ExprKind::kExists: {
        size_t node = push(NodeKind::kAtom);
        rule_.nodes[node].atom = static_cast<uint16_t>(rule_.atoms.size());
        rule_.atoms.push_back(atom(e));
        return;
      }
      case ExprKind::kName:
        return;  // resolved above
    }
  }

  size_t push(NodeKind kind) {
    rule_.nodes.push_back({kind, 1, 0});
    return rule_.nodes.size() - 1;
  }
  void close(size_t header) {
    rule_.nodes[header].size =
        static_cast<uint16_t>(std::min<size_t>(rule_.nodes.size() - header, UINT16_MAX));
  }

  Atom atom(const Expr& e) {
    Atom a;
    if (e.kind == ExprKind::kExists) {
      a.kind = Atom::Kind::kExists;
      a.lhs = operand(e.lhs);
      return a;
    }
    a.op = e.op;
    a.quantifier = e.quantifier;
    // The `*` operators read their literals folded, once, here: test_atom folds only what comes
    // from the message and the parameters, and `==* "Ralph"` prints as `==* "ralph"`.
    bool fold = ignores_case(e.op);
    a.lhs = operand(e.lhs, fold);
    if (e.quantifier != Quantifier::kNone && a.lhs.kind == OperandRef::Kind::kBodyPath) {
      // `any msg.tags == "x"` ranges over msg.tags[*].
      std::vector<PathStep>& steps = rule_.paths[a.lhs.index];
      if (std::none_of(steps.begin(), steps.end(), [](const PathStep& s) { return s.every; })) {
        steps.push_back({"", 0, false, true});
      }
    }
    if (e.rhs.kind == OperandKind::kParam) {
      a.rhs = operand(e.rhs);  // a `$lists.NAME` of patterns is compiled with the user's values
    } else if (case_sensitive(e.op) == Op::kGlob) {
      a.rhs = globs(e.rhs, fold);
    } else if (e.op == Op::kMatches) {
      Constant c;
      c.kind = Constant::Kind::kRegex;
      c.regex = e.regex;
      a.rhs = add(std::move(c));
    } else {
      a.rhs = operand(e.rhs, fold);
    }
    return a;
  }

  OperandRef add(Constant c) {
    rule_.constants.push_back(std::move(c));
    return {OperandRef::Kind::kConstant, static_cast<uint16_t>(rule_.constants.size() - 1)};
  }

  static std::string text(const Operand& o, bool fold) { return fold ? fold_case(o.text) : o.text; }

  OperandRef globs(const Operand& o, bool fold) {
    std::vector<std::string> patterns;
    if (o.kind == OperandKind::kString) patterns.push_back(text(o, fold));
    for (const Operand& item : o.items) patterns.push_back(text(item, fold));
    std::sort(patterns.begin(), patterns.end());
    patterns.erase(std::unique(patterns.begin(), patterns.end()), patterns.end());
    Constant c;
    c.kind = Constant::Kind::kGlobs;
    for (std::string& p : patterns) c.globs.emplace_back(std::move(p));
    return add(std::move(c));
  }

  OperandRef operand(const Operand& o, bool fold = false) {
    Constant c;
    switch (o.kind) {
      case OperandKind::kString:
        c.string = text(o, fold);
        return add(std::move(c));
      case OperandKind::kNumber:
        c.kind = Constant::Kind::kNumber;
        c.number = o.number;
        return add(std::move(c));
      case OperandKind::kBool:
        c.kind = Constant::Kind::kBool;
        c.boolean = o.boolean;
        return add(std::move(c));
      case OperandKind::kList:
        c.kind = Constant::Kind::kList;
        for (const Operand& item : o.items) {
          if (item.kind == OperandKind::kString) c.list.strings.push_back(text(item, fold));
          if (item.kind == OperandKind::kNumber) c.list.numbers.push_back(item.number);
        }
        sort_unique(c.list.strings);
        sort_unique(c.list.numbers);
        return add(std::move(c));
      case OperandKind::kParam:
        if (std::optional<std::string_view> name = user_list_name(o.text)) return user_list(*name);
        return {OperandRef::Kind::kParam, static_cast<uint16_t>(find_param(o.text)->id)};
      case OperandKind::kPath: {
        FieldId field = find_field(o.text)->id;
        if (field != FieldId::kBody)
          return {OperandRef::Kind::kField, static_cast<uint16_t>(field)};
        std::vector<PathStep>& steps = rule_.paths.emplace_back();
        for (const PathSegment& s : o.segments) {
          steps.push_back({s.key, s.index.value_or(0), s.index.has_value(), s.every});
        }
        return {OperandRef::Kind::kBodyPath, static_cast<uint16_t>(rule_.paths.size() - 1)};
      }
    }
    return {};
  }

  OperandRef user_list(std::string_view name) {
    auto it = std::find(rule_.lists.begin(), rule_.lists.end(), name);
    if (it == rule_.lists.end()) it = rule_.lists.emplace(it, name);
    return {OperandRef::Kind::kUserList, static_cast<uint16_t>(it - rule_.lists.begin())};
  }

  template <typename T>
  static void sort_unique(std::vector<T>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }

  const Module& module_;
  const std::map<std::string, ExprId, std::less<>>& defs_;
  CompiledRule& rule_;
};

}  // namespace

RuleSet lower(const Module& module, Diagnostics& diagnostics) {
  RuleSet set;
  std::map<std::string, ExprId, std::less<>> defs;
  for (const Statement& s : module.statements) {
    if (s.kind == StatementKind::kDef) {
      defs.emplace(s.name, s.body);
      continue;
    }
    CompiledRule rule;
    rule.name = s.name;
    if (!RuleLowering(module, defs, rule).lower(s.body)) {
      diagnostics.report(Code::kTooLarge, s.name_range,
                         fmt::format("rule {} has more than {} tests and operators once its "
                                     "definitions are expanded",
                                     quote(s.name), kMaxRuleNodes),
                         "simplify it or split it into several rules");
      continue;
    }
    rule.canonical = print_canonical(rule, Placeholders::kNo);
    rule.shape = print_canonical(rule, Placeholders::kYes);
    set.rules.push_back(std::move(rule));
  }
  return set;
}

}  // namespace fmn::dsl
