// Leaf tests: which runtime helper computes each kind of atom.
#include <optional>

#include "dsl/codegen/lowering.h"

namespace fmn::codegen {
namespace {

using dsl::Constant;
using dsl::FieldId;
using dsl::Op;
using dsl::OperandRef;
using dsl::ValueType;

bool is_field(OperandRef r) { return r.kind == OperandRef::Kind::kField; }
bool is_param(OperandRef r) { return r.kind == OperandRef::Kind::kParam; }

ValueType field_type(OperandRef r) { return dsl::field_info(static_cast<FieldId>(r.index)).type; }
ValueType param_type(OperandRef r) {
  return dsl::param_info(static_cast<dsl::ParamId>(r.index)).type;
}

bool is_list_field(OperandRef r) { return is_field(r) && field_type(r) == ValueType::kList; }
bool is_string_field(OperandRef r) { return is_field(r) && field_type(r) == ValueType::kString; }
bool is_list_param(OperandRef r) { return is_param(r) && param_type(r) == ValueType::kList; }
bool is_me(OperandRef r) {
  return is_param(r) && r.index == static_cast<uint16_t>(dsl::ParamId::kMe);
}
bool is_topic(OperandRef r) {
  return is_field(r) && r.index == static_cast<uint16_t>(FieldId::kTopic);
}

// `in` between a list field and a list parameter, or a parameter and a field, either order.
std::optional<HelperCall> membership(OperandRef l, OperandRef r) {
  if (is_list_field(l) && is_list_param(r)) return HelperCall{Helper::kListsMeet, l.index, r.index};
  if (is_list_param(l) && is_list_field(r)) return HelperCall{Helper::kListsMeet, r.index, l.index};
  if (is_me(l) && is_list_field(r)) return HelperCall{Helper::kMeInList, r.index, 0};
  if (is_string_field(l) && is_list_param(r)) {
    return HelperCall{Helper::kScalarInParam, l.index, r.index};
  }
  return std::nullopt;
}

std::optional<HelperCall> topic_test(const dsl::CompiledRule& rule, const dsl::Atom& atom) {
  if (!is_topic(atom.lhs) || atom.rhs.kind != OperandRef::Kind::kConstant) return std::nullopt;
  uint32_t c = atom.rhs.index;
  Constant::Kind kind = rule.constants[c].kind;
  bool string_or_list = kind == Constant::Kind::kString || kind == Constant::Kind::kList;
  switch (atom.op) {
    case Op::kGlob:
      return HelperCall{Helper::kTopicGlob, c, 0};
    case Op::kEq:
      if (kind == Constant::Kind::kString) return HelperCall{Helper::kTopicEq, c, 0};
      break;
    case Op::kStartsWith:
      if (string_or_list) return HelperCall{Helper::kTopicStarts, c, 0};
      break;
    case Op::kEndsWith:
      if (string_or_list) return HelperCall{Helper::kTopicEnds, c, 0};
      break;
    case Op::kContains:
      if (string_or_list) return HelperCall{Helper::kTopicContains, c, 0};
      break;
    default:
      break;
  }
  return std::nullopt;
}

}  // namespace

HelperCall choose_helper(const dsl::CompiledRule& rule, uint32_t atom_index) {
  const dsl::Atom& atom = rule.atoms[atom_index];
  // `any`/`all` go through test_atom: a loop over elements is no shortcut's business.
  if (atom.kind == dsl::Atom::Kind::kCompare && atom.quantifier == dsl::Quantifier::kNone) {
    std::optional<HelperCall> call;
    if (atom.op == Op::kIn) call = membership(atom.lhs, atom.rhs);
    if (!call) call = topic_test(rule, atom);
    if (call) return *call;
  }
  return HelperCall{Helper::kAtom, atom_index, 0};
}

}  // namespace fmn::codegen
