#include "dsl/canonical.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include "dsl/literal_text.h"

namespace fmn::dsl {
namespace {

std::string constant_text(const Constant& c) {
  switch (c.kind) {
    case Constant::Kind::kString:
      return quote(c.string);
    case Constant::Kind::kNumber:
      return format_number(c.number);
    case Constant::Kind::kBool:
      return c.boolean ? "true" : "false";
    case Constant::Kind::kRegex:
      return quote(c.regex->pattern());
    case Constant::Kind::kGlobs: {
      if (c.globs.size() == 1) return quote(c.globs[0].pattern());
      std::string out = "[";
      for (const Glob& g : c.globs) out += (out.size() > 1 ? ", " : "") + quote(g.pattern());
      return out + "]";
    }
    case Constant::Kind::kList: {
      std::string out = "[";
      for (const std::string& s : c.list.strings) out += (out.size() > 1 ? ", " : "") + quote(s);
      for (double n : c.list.numbers) out += (out.size() > 1 ? ", " : "") + format_number(n);
      return out + "]";
    }
  }
  return {};
}

// Binding strength: or < and < not < a leaf test.
int precedence(NodeKind kind) {
  switch (kind) {
    case NodeKind::kOr:
      return 1;
    case NodeKind::kAnd:
      return 2;
    case NodeKind::kNot:
      return 3;
    default:
      return 4;
  }
}

class Printer {
 public:
  Printer(const CompiledRule& rule, Placeholders placeholders)
      : rule_(rule), placeholders_(placeholders) {}

  void node(size_t i, int outer, std::string& out) const {
    const Node& n = rule_.nodes[i];
    bool parens = precedence(n.kind) < outer;
    if (parens) out += '(';
    switch (n.kind) {
      case NodeKind::kTrue:
        out += "true";
        break;
      case NodeKind::kFalse:
        out += "false";
        break;
      case NodeKind::kAtom:
        out += atom(rule_.atoms[n.atom]);
        break;
      case NodeKind::kNot:
        out += "not ";
        node(i + 1, precedence(NodeKind::kNot), out);
        break;
      case NodeKind::kAnd:
      case NodeKind::kOr: {
        std::string_view sep = n.kind == NodeKind::kAnd ? " and " : " or ";
        // A child of the same operator (not produced by lowering) keeps its parentheses.
        for (size_t j = i + 1; j < i + n.size; j += rule_.nodes[j].size) {
          if (j > i + 1) out += sep;
          node(j, precedence(n.kind) + 1, out);
        }
        break;
      }
    }
    if (parens) out += ')';
  }

  std::string atom(const Atom& a) const {
    if (a.kind == Atom::Kind::kExists) return "exists " + operand(a.lhs);
    return fmt::format("{}{}{} {} {}", quantifier_spelling(a.quantifier),
                       a.quantifier == Quantifier::kNone ? "" : " ", operand(a.lhs),
                       op_spelling(a.op), operand(a.rhs));
  }

  std::string operand(OperandRef ref) const {
    switch (ref.kind) {
      case OperandRef::Kind::kField:
        return std::string(field_info(static_cast<FieldId>(ref.index)).name);
      case OperandRef::Kind::kParam:
        return fmt::format("${}", param_info(static_cast<ParamId>(ref.index)).name);
      case OperandRef::Kind::kUserList:
        if (placeholders_ == Placeholders::kYes) return fmt::format("$lists.#{}", ref.index);
        return fmt::format("$lists.{}", rule_.lists[ref.index]);
      case OperandRef::Kind::kBodyPath: {
        std::string out = "msg";
        for (const PathStep& s : rule_.paths[ref.index]) {
          append_path_step(out, s.key, s.is_index, s.index, s.every);
        }
        return out;
      }
      case OperandRef::Kind::kConstant:
        if (placeholders_ == Placeholders::kYes) return fmt::format("?{}", ref.index);
        return constant_text(rule_.constants[ref.index]);
    }
    return {};
  }

 private:
  const CompiledRule& rule_;
  Placeholders placeholders_;
};

}  // namespace

std::string print_canonical(const CompiledRule& rule, Placeholders placeholders) {
  std::string out;
  Printer(rule, placeholders).node(0, 0, out);
  return out;
}

std::string print_atom(const CompiledRule& rule, const Atom& atom, Placeholders placeholders) {
  return Printer(rule, placeholders).atom(atom);
}

std::string print_operand(const CompiledRule& rule, OperandRef ref, Placeholders placeholders) {
  return Printer(rule, placeholders).operand(ref);
}

}  // namespace fmn::dsl
