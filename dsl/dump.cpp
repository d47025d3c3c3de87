#include "dsl/dump.h"

#include <fmt/format.h>

#include "dsl/canonical.h"
#include "dsl/literal_text.h"

namespace fmn::dsl {
namespace {

std::string_view glob_kind(Glob::Kind k) {
  switch (k) {
    case Glob::Kind::kExact:
      return "exact";
    case Glob::Kind::kPrefix:
      return "prefix";
    case Glob::Kind::kSuffix:
      return "suffix";
    case Glob::Kind::kInfix:
      return "infix";
    case Glob::Kind::kGeneral:
      return "general";
  }
  return "";
}

std::string_view constant_kind(const Constant& c) {
  switch (c.kind) {
    case Constant::Kind::kString:
      return "string";
    case Constant::Kind::kNumber:
      return "number";
    case Constant::Kind::kBool:
      return "boolean";
    case Constant::Kind::kList:
      return "list";
    case Constant::Kind::kGlobs:
      return "glob";
    case Constant::Kind::kRegex:
      return "regex";
  }
  return "";
}

void tree(const CompiledRule& rule, size_t i, int depth, std::string& out) {
  const Node& n = rule.nodes[i];
  std::string indent(4 + 2 * depth, ' ');
  switch (n.kind) {
    case NodeKind::kTrue:
      out += indent + "true\n";
      return;
    case NodeKind::kFalse:
      out += indent + "false\n";
      return;
    case NodeKind::kAtom: {
      const Atom& a = rule.atoms[n.atom];
      out +=
          fmt::format("{}atom {}: {}\n", indent, n.atom, print_atom(rule, a, Placeholders::kYes));
      return;
    }
    case NodeKind::kNot:
      out += indent + "not\n";
      break;
    case NodeKind::kAnd:
      out += indent + "and\n";
      break;
    case NodeKind::kOr:
      out += indent + "or\n";
      break;
  }
  for (size_t j = i + 1; j < i + n.size; j += rule.nodes[j].size) tree(rule, j, depth + 1, out);
}

}  // namespace

std::string dump_rule(const CompiledRule& rule) {
  std::string out = fmt::format("rule {}\n  canonical: {}\n  shape:     {}\n", quote(rule.name),
                                rule.canonical, rule.shape);
  out += fmt::format("  size:      {} nodes, {} atoms\n", rule.nodes.size(), rule.atoms.size());
  for (size_t i = 0; i < rule.constants.size(); ++i) {
    const Constant& c = rule.constants[i];
    OperandRef ref{OperandRef::Kind::kConstant, static_cast<uint16_t>(i)};
    std::string detail;
    if (c.kind == Constant::Kind::kGlobs) {
      for (const Glob& g : c.globs)
        detail += (detail.empty() ? "" : ", ") + std::string(glob_kind(g.kind()));
      detail = " (" + detail + ")";
    }
    out += fmt::format("  ?{} = {} {}{}\n", i, constant_kind(c), print_operand(rule, ref), detail);
  }
  out += "  tree:\n";
  tree(rule, 0, 0, out);
  return out;
}

}  // namespace fmn::dsl
