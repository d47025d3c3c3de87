#include "engine/index_keys.h"

#include "dsl/glob.h"
#include "dsl/strings_view.h"

namespace fmn::engine {
namespace {

using dsl::Constant;
using dsl::FieldId;
using dsl::Op;
using dsl::OperandRef;
using dsl::ValueType;
using Keys = std::optional<std::vector<IndexKey>>;

const Keys kUnindexable = std::nullopt;

struct Operand {
  enum class Kind : uint8_t { kOther, kStringField, kListField, kMe, kListParam, kString, kList };
  Kind kind = Kind::kOther;
  FieldId field = FieldId::kTopic;
  std::string_view string;  // kString, kMe
  dsl::StringsView list;    // kListParam, kList
};

Operand classify(const dsl::CompiledRule& rule, const dsl::ParamsView& params, OperandRef ref) {
  Operand o;
  switch (ref.kind) {
    case OperandRef::Kind::kField: {
      const dsl::FieldInfo& f = dsl::field_info(static_cast<FieldId>(ref.index));
      o.field = f.id;
      if (f.type == ValueType::kString) o.kind = Operand::Kind::kStringField;
      if (f.type == ValueType::kList) o.kind = Operand::Kind::kListField;
      break;
    }
    case OperandRef::Kind::kParam: {
      auto id = static_cast<dsl::ParamId>(ref.index);
      if (id == dsl::ParamId::kMe) {
        o.kind = Operand::Kind::kMe;
        o.string = params.me;
      } else {
        o.kind = Operand::Kind::kListParam;
        o.list = params.strings(id);
      }
      break;
    }
    case OperandRef::Kind::kUserList:  // keyed like the list parameters
      o.kind = Operand::Kind::kListParam;
      o.list = params.user_list(rule.lists[ref.index]);
      break;
    case OperandRef::Kind::kConstant: {
      const Constant& c = rule.constants[ref.index];
      if (c.kind == Constant::Kind::kString) {
        o.kind = Operand::Kind::kString;
        o.string = c.string;
      } else if (c.kind == Constant::Kind::kList) {
        o.kind = Operand::Kind::kList;
        o.list = c.list.strings;
      }
      break;
    }
    case OperandRef::Kind::kBodyPath:
      break;
  }
  return o;
}

std::vector<IndexKey> field_keys(FieldId field, dsl::StringsView values) {
  std::vector<IndexKey> keys;
  keys.reserve(values.size());
  for (std::string_view v : values) keys.push_back({IndexKey::Kind::kField, field, std::string(v)});
  return keys;
}

// `$me` standing for a value: an empty $me is missing, and the test is false.
Keys me_key(FieldId field, std::string_view me) {
  if (me.empty()) return std::vector<IndexKey>{};
  return std::vector<IndexKey>{{IndexKey::Kind::kField, field, std::string(me)}};
}

bool is_topic(const Operand& o) {
  return o.kind == Operand::Kind::kStringField && o.field == FieldId::kTopic;
}

// `==` and `in` between a field and values.
Keys membership_keys(const Operand& a, const Operand& b, Op op) {
  using K = Operand::Kind;
  bool field_a = a.kind == K::kStringField || a.kind == K::kListField;
  if (op == Op::kEq) {
    const Operand& f = field_a ? a : b;
    const Operand& v = field_a ? b : a;
    if (f.kind != K::kStringField) return kUnindexable;
    if (v.kind == K::kString)
      return field_keys(f.field, std::vector<std::string>{std::string(v.string)});
    if (v.kind == K::kMe) return me_key(f.field, v.string);
    return kUnindexable;
  }
  // op == kIn: `a in b`; lists meet in either order.
  if (field_a && (b.kind == K::kList || b.kind == K::kListParam)) {
    return field_keys(a.field, b.list);
  }
  if (b.kind == K::kListField) {
    if (a.kind == K::kListParam || a.kind == K::kList) return field_keys(b.field, a.list);
    if (a.kind == K::kMe) return me_key(b.field, a.string);
    if (a.kind == K::kString)
      return field_keys(b.field, std::vector<std::string>{std::string(a.string)});
  }
  return kUnindexable;
}

bool has_wildcard(const std::string& s) { return s.find_first_of("*?") != std::string::npos; }

// `topic startswith/endswith ...`, as the glob "x*" / "*x" (when x has no wildcard itself).
Keys affix_keys(const dsl::CompiledRule& rule, const dsl::Atom& atom) {
  const Constant& c = rule.constants[atom.rhs.index];
  std::vector<std::string> values;
  if (c.kind == Constant::Kind::kString) {
    if (c.string.empty()) return kUnindexable;  // every topic starts with ""
    values.push_back(c.string);
  } else if (c.kind == Constant::Kind::kList) {
    for (const std::string& s : c.list.strings) {
      if (!s.empty()) values.push_back(s);  // "" in a list is missing: never matches
    }
  } else {
    return kUnindexable;
  }
  std::vector<IndexKey> keys;
  for (const std::string& v : values) {
    if (has_wildcard(v)) return kUnindexable;
    keys.push_back({IndexKey::Kind::kTopicGlob, FieldId::kTopic,
                    atom.op == Op::kStartsWith ? v + "*" : "*" + v});
  }
  return keys;
}

// `any L == v` is `v in L`, and `any L in R` is `L in R`. `all` gives no keys.
Keys quantified_keys(const Operand& a, const Operand& b, const dsl::Atom& atom) {
  if (atom.quantifier != dsl::Quantifier::kAny) return kUnindexable;
  if (atom.op == Op::kEq) return membership_keys(b, a, Op::kIn);
  if (atom.op == Op::kIn) return membership_keys(a, b, Op::kIn);
  return kUnindexable;
}

Keys atom_keys(const dsl::CompiledRule& rule, const dsl::ParamsView& params,
               const dsl::Atom& atom) {
  if (atom.kind != dsl::Atom::Kind::kCompare) return kUnindexable;
  Operand a = classify(rule, params, atom.lhs);
  if (atom.quantifier != dsl::Quantifier::kNone) {
    return quantified_keys(a, classify(rule, params, atom.rhs), atom);
  }
  switch (atom.op) {
    case Op::kEq:
    case Op::kIn:
      return membership_keys(a, classify(rule, params, atom.rhs), atom.op);
    case Op::kGlob: {
      if (!is_topic(a)) return kUnindexable;
      // A `$lists.NAME` of globs keys the user's own patterns, as a literal list keys its own.
      const std::vector<dsl::Glob>& globs =
          atom.rhs.kind == OperandRef::Kind::kUserList
              ? params.user_list_globs(rule.lists[atom.rhs.index], false)
              : rule.constants[atom.rhs.index].globs;
      std::vector<IndexKey> keys;
      for (const dsl::Glob& g : globs) {
        if (g.kind() == dsl::Glob::Kind::kExact) {
          keys.push_back({IndexKey::Kind::kField, FieldId::kTopic, g.literal()});
        } else {
          keys.push_back({IndexKey::Kind::kTopicGlob, FieldId::kTopic, g.pattern()});
        }
      }
      return keys;
    }
    case Op::kStartsWith:
    case Op::kEndsWith:
      if (!is_topic(a) || atom.rhs.kind != OperandRef::Kind::kConstant) return kUnindexable;
      return affix_keys(rule, atom);
    default:
      return kUnindexable;
  }
}

double cost(const std::vector<IndexKey>& keys) {
  double c = 0;
  for (const IndexKey& k : keys) c += key_cost(k);
  return c;
}

Keys node_keys(const dsl::CompiledRule& rule, const dsl::ParamsView& params, size_t i) {
  const dsl::Node& n = rule.nodes[i];
  switch (n.kind) {
    case dsl::NodeKind::kTrue:
    case dsl::NodeKind::kNot:
      return kUnindexable;
    case dsl::NodeKind::kFalse:
      return std::vector<IndexKey>{};
    case dsl::NodeKind::kAtom:
      return atom_keys(rule, params, rule.atoms[n.atom]);
    case dsl::NodeKind::kAnd: {
      Keys best;
      double best_cost = 0;
      for (size_t j = i + 1; j < i + n.size; j += rule.nodes[j].size) {
        Keys k = node_keys(rule, params, j);
        if (!k) continue;
        double c = cost(*k);
        if (!best || c < best_cost) {
          best = std::move(k);
          best_cost = c;
        }
        if (best_cost == 0) break;  // never matches: nothing cheaper
      }
      return best;
    }
    case dsl::NodeKind::kOr: {
      std::vector<IndexKey> all;
      for (size_t j = i + 1; j < i + n.size; j += rule.nodes[j].size) {
        Keys k = node_keys(rule, params, j);
        if (!k) return kUnindexable;
        all.insert(all.end(), std::make_move_iterator(k->begin()),
                   std::make_move_iterator(k->end()));
      }
      return all;
    }
  }
  return kUnindexable;
}

bool is_membership(const dsl::CompiledRule& rule, const dsl::Atom& atom) {
  static const dsl::ParamsView kAnyParams;  // operand kinds do not depend on the values
  if (atom.kind != dsl::Atom::Kind::kCompare || (atom.op != Op::kEq && atom.op != Op::kIn) ||
      atom.quantifier != dsl::Quantifier::kNone) {
    return false;
  }
  return membership_keys(classify(rule, kAnyParams, atom.lhs), classify(rule, kAnyParams, atom.rhs),
                         atom.op)
      .has_value();
}

}  // namespace

bool keys_prove(const dsl::CompiledRule& rule) {
  size_t i = 0;
  while (i < rule.nodes.size() && rule.nodes[i].kind == dsl::NodeKind::kAnd &&
         rule.nodes[i].size == 1 + rule.nodes[i + 1].size) {
    ++i;  // an `and` of one child is that child
  }
  if (i >= rule.nodes.size()) return false;
  const dsl::Node& n = rule.nodes[i];
  if (n.kind == dsl::NodeKind::kAtom) return is_membership(rule, rule.atoms[n.atom]);
  if (n.kind != dsl::NodeKind::kOr) return false;
  for (size_t j = i + 1; j < i + n.size; j += rule.nodes[j].size) {
    if (rule.nodes[j].kind != dsl::NodeKind::kAtom ||
        !is_membership(rule, rule.atoms[rule.nodes[j].atom])) {
      return false;
    }
  }
  return true;
}

double key_cost(const IndexKey& key) {
  if (key.kind == IndexKey::Kind::kTopicGlob) return 50;
  switch (key.field) {
    case FieldId::kCategory:
    case FieldId::kUsername:
      return 30;
    case FieldId::kEnv:
      return 1000;
    default:
      return 1;
  }
}

std::optional<std::vector<IndexKey>> rule_keys(const dsl::CompiledRule& rule,
                                               const dsl::ParamsView& params) {
  return node_keys(rule, params, 0);
}

}  // namespace fmn::engine
