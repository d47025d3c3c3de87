#include "dsl/interpreter.h"

#include "dsl/value.h"

namespace fmn::dsl {
namespace {

bool eval(const Context& ctx, size_t i) {
  const Node& n = ctx.rule.nodes[i];
  switch (n.kind) {
    case NodeKind::kTrue:
      return true;
    case NodeKind::kFalse:
      return false;
    case NodeKind::kAtom:
      return test_atom(ctx, ctx.rule.atoms[n.atom]);
    case NodeKind::kNot:
      return !eval(ctx, i + 1);
    case NodeKind::kAnd:
      for (size_t j = i + 1; j < i + n.size; j += ctx.rule.nodes[j].size) {
        if (!eval(ctx, j)) return false;
      }
      return true;
    case NodeKind::kOr:
      for (size_t j = i + 1; j < i + n.size; j += ctx.rule.nodes[j].size) {
        if (eval(ctx, j)) return true;
      }
      return false;
  }
  return false;
}

}  // namespace

bool evaluate(const CompiledRule& rule, const Message& message, const ParamsView& params) noexcept {
  return eval(Context{rule, message, params}, 0);
}

}  // namespace fmn::dsl
