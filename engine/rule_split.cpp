#include "engine/rule_split.h"

#include "dsl/canonical.h"

namespace fmn::engine {
namespace {

bool is_user_value(dsl::OperandRef ref, bool lists_only) {
  if (ref.kind == dsl::OperandRef::Kind::kUserList) return true;
  return ref.kind == dsl::OperandRef::Kind::kParam &&
         !(lists_only && static_cast<dsl::ParamId>(ref.index) == dsl::ParamId::kMe);
}

// `rule` with its root `and` keeping only `children` (atoms, constants and paths unchanged, so
// the indices in the kept nodes stay valid).
std::shared_ptr<const dsl::CompiledRule> with_children(const dsl::CompiledRule& rule,
                                                       const std::vector<size_t>& children) {
  auto out = std::make_shared<dsl::CompiledRule>();
  out->name = rule.name;
  out->atoms = rule.atoms;
  out->constants = rule.constants;
  out->paths = rule.paths;
  out->lists = rule.lists;
  out->nodes.push_back(dsl::Node{dsl::NodeKind::kAnd, 1, 0});
  for (size_t c : children) {
    out->nodes.insert(out->nodes.end(), rule.nodes.begin() + c,
                      rule.nodes.begin() + c + rule.nodes[c].size);
  }
  out->nodes[0].size = static_cast<uint16_t>(out->nodes.size());
  out->canonical = dsl::print_canonical(*out, dsl::Placeholders::kNo);
  out->shape = dsl::print_canonical(*out, dsl::Placeholders::kYes);
  return out;
}

}  // namespace

bool reads_params(const dsl::CompiledRule& rule, size_t node, bool lists_only) {
  for (size_t i = node; i < node + rule.nodes[node].size; ++i) {
    if (rule.nodes[i].kind != dsl::NodeKind::kAtom) continue;
    const dsl::Atom& a = rule.atoms[rule.nodes[i].atom];
    if (is_user_value(a.lhs, lists_only)) return true;
    if (a.kind == dsl::Atom::Kind::kCompare && is_user_value(a.rhs, lists_only)) return true;
  }
  return false;
}

SplitRule split_rule(const std::shared_ptr<const dsl::CompiledRule>& rule) {
  const dsl::CompiledRule& r = *rule;
  if (r.nodes.empty() || !reads_params(r, 0)) return {rule, nullptr};
  if (r.nodes[0].kind != dsl::NodeKind::kAnd) return {nullptr, rule};
  std::vector<size_t> guard, residual;
  for (size_t j = 1; j < r.nodes[0].size; j += r.nodes[j].size) {
    (reads_params(r, j) ? residual : guard).push_back(j);
  }
  if (guard.empty() || residual.empty()) return {nullptr, rule};
  return {with_children(r, guard), with_children(r, residual)};
}

}  // namespace fmn::engine
