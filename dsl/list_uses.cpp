#include "dsl/list_uses.h"

namespace fmn::dsl {

std::vector<ListUse> list_uses(const SourceFile& file, const Module& module, uint32_t from) {
  std::vector<ListUse> out;
  for (const Expr& e : module.exprs) {
    for (const Operand* o : {&e.lhs, &e.rhs}) {
      std::optional<std::string_view> name;
      if (o->kind != OperandKind::kParam || o->range.begin < from ||
          !(name = user_list_name(o->text)) || name->empty()) {
        continue;
      }
      ListUse& use = out.emplace_back();
      use.name = std::string(*name);
      use.where = file.span(o->range);
      if (o == &e.rhs && e.kind == ExprKind::kCompare) {
        use.pattern = pattern_kind(e.op);
        use.of_topic = e.lhs.kind == OperandKind::kPath && e.lhs.text == "topic" &&
                       e.lhs.segments.empty() && e.quantifier == Quantifier::kNone;
      }
    }
  }
  return out;
}

}  // namespace fmn::dsl
