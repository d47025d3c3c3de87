#include "dsl/value.h"

#include <re2/re2.h>

#include <algorithm>
#include <optional>
#include <string>

#include "core/message_fields.h"
#include "dsl/fold_case.h"

namespace fmn::dsl {
namespace {

using Kind = Value::Kind;

Value string_value(std::string_view s) {
  Value v;
  if (!s.empty()) {
    v.kind = Kind::kString;
    v.string = s;
  }
  return v;
}

template <typename Number>
Value optional_number(const std::optional<Number>& n) {
  Value v;
  if (n) {
    v.kind = Kind::kNumber;
    v.number = static_cast<double>(*n);
  }
  return v;
}

Value strings_value(StringsView list) {
  Value v;
  v.kind = Kind::kStrings;
  v.strings = list;
  return v;
}

Value json_value(const JsonValue& j) {
  Value v;
  if (j.IsString()) {
    v.kind = Kind::kString;
    v.string = std::string_view(j.GetString(), j.GetStringLength());
  } else if (j.IsNumber()) {
    v.kind = Kind::kNumber;
    v.number = j.GetDouble();
  } else if (j.IsBool()) {
    v.kind = Kind::kBool;
    v.boolean = j.GetBool();
  } else if (j.IsArray()) {
    v.kind = Kind::kJsonArray;
    v.json = &j;
  } else if (j.IsObject()) {
    v.kind = Kind::kJsonObject;
    v.json = &j;
  }
  return v;  // null: missing
}

// The node one step leads to from `node`, or nullptr. An `every` step leads nowhere alone:
// each_at() expands it.
const JsonValue* step_into(const JsonValue& node, const PathStep& step) {
  if (step.every) return nullptr;
  if (step.is_index) {
    return node.IsArray() && step.index < node.Size() ? &node[step.index] : nullptr;
  }
  if (!node.IsObject()) return nullptr;
  for (auto m = node.MemberBegin(); m != node.MemberEnd(); ++m) {
    if (m->name.GetStringLength() == step.key.size() &&
        std::equal(step.key.begin(), step.key.end(), m->name.GetString())) {
      return &m->value;
    }
  }
  return nullptr;
}

// The JSON node a body path leads to, or nullptr.
const JsonValue* walk(const JsonValue* node, const std::vector<PathStep>& steps) {
  for (const PathStep& step : steps) {
    if (node == nullptr) return nullptr;
    node = step_into(*node, step);
  }
  return node;
}

// Calls f on the value of each node the path leads to from steps[from] on, an `every` step
// going into each element of an array (anything else, or nothing, has no elements), until f
// returns true. A path that ends past the message after its last `every` gives a missing value.
// Each node is visited at most once.
template <typename F>
bool each_at(const JsonValue* node, const std::vector<PathStep>& steps, size_t from, F& f) {
  for (size_t i = from; i < steps.size(); ++i) {
    if (steps[i].every) {
      if (node == nullptr || !node->IsArray()) return false;
      for (const JsonValue& item : node->GetArray()) {
        if (each_at(&item, steps, i + 1, f)) return true;
      }
      return false;
    }
    if (node != nullptr) node = step_into(*node, steps[i]);
  }
  return f(node ? json_value(*node) : Value{});
}

// A field's value, by the type of the member it reads (core/message_fields.def).
Value field_of(FieldId id, std::string_view s) {
  if (empty_is_missing(id)) return string_value(s);
  Value v;
  v.kind = Kind::kString;
  v.string = s;
  return v;
}
Value field_of(FieldId id, const std::string& s) { return field_of(id, std::string_view(s)); }
Value field_of(FieldId, const std::optional<std::string>& s) {
  return s ? string_value(*s) : Value{};
}
Value field_of(FieldId, const std::vector<std::string>& list) { return strings_value(list); }
Value field_of(FieldId, const std::optional<double>& n) { return optional_number(n); }
Value field_of(FieldId, const std::optional<int>& n) { return optional_number(n); }
Value field_of(FieldId, const JsonValue* body) { return body ? json_value(*body) : Value{}; }

Value field_value(const Message& m, FieldId id) {
  switch (id) {
#define FMN_ENVELOPE_FIELD(Id, member, name, doc) \
  case FieldId::k##Id:                            \
    return field_of(id, m.member);
#define FMN_META_FIELD(Id, member, doc) \
  case FieldId::k##Id:                  \
    return field_of(id, m.meta.member);
#define FMN_DEFERRED_META(Id, member)           \
  case FieldId::k##Id:                          \
    m.complete_meta(field_bit(FieldId::k##Id)); \
    return field_of(id, m.meta.member);
#define FMN_META_DISPLAY(Id, member, doc) FMN_DEFERRED_META(Id, member)
#define FMN_META_RULE_LIST(Id, member, header, doc) FMN_DEFERRED_META(Id, member)
#include "core/message_fields.def"
#undef FMN_DEFERRED_META
  }
  return {};
}

bool is_list(const Value& v) {
  return v.kind == Kind::kStrings || v.kind == Kind::kConstList || v.kind == Kind::kJsonArray;
}

// Calls f on each scalar a list holds (non-scalar array elements are skipped) until it
// returns true.
template <typename F>
bool any_element(const Value& list, F&& f) {
  switch (list.kind) {
    case Kind::kStrings:
      return std::any_of(list.strings.begin(), list.strings.end(),
                         [&](std::string_view s) { return f(string_value(s)); });
    case Kind::kConstList:
      for (const std::string& s : list.list->strings) {
        if (f(string_value(s))) return true;
      }
      for (double n : list.list->numbers) {
        Value v;
        v.kind = Kind::kNumber;
        v.number = n;
        if (f(v)) return true;
      }
      return false;
    case Kind::kJsonArray:
      for (const JsonValue& item : list.json->GetArray()) {
        if (f(json_value(item))) return true;
      }
      return false;
    default:
      return false;
  }
}

// A string test on a string, or on any string of a list.
template <typename F>
bool any_string(const Value& v, F&& f) {
  if (v.kind == Kind::kString) return f(v.string);
  return any_element(v, [&](const Value& e) { return e.kind == Kind::kString && f(e.string); });
}

bool equal(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Kind::kString:
      return a.string == b.string;
    case Kind::kNumber:
      return a.number == b.number;
    case Kind::kBool:
      return a.boolean == b.boolean;
    default:
      return false;  // missing equals nothing; lists and objects are not compared
  }
}

bool ordered(const Value& a, const Value& b, Op op) {
  int c;
  if (a.kind == Kind::kNumber && b.kind == Kind::kNumber) {
    c = a.number < b.number ? -1 : (a.number > b.number ? 1 : 0);
  } else if (a.kind == Kind::kString && b.kind == Kind::kString) {
    c = a.string.compare(b.string);
  } else {
    return false;
  }
  switch (op) {
    case Op::kLt:
      return c < 0;
    case Op::kLe:
      return c <= 0;
    case Op::kGt:
      return c > 0;
    case Op::kGe:
      return c >= 0;
    default:
      return false;
  }
}

bool list_contains(const Value& list, const Value& item) {
  switch (list.kind) {
    case Kind::kStrings:
      return item.kind == Kind::kString &&
             std::binary_search(list.strings.begin(), list.strings.end(), item.string);
    case Kind::kConstList:
      if (item.kind == Kind::kString) {
        return std::binary_search(list.list->strings.begin(), list.list->strings.end(),
                                  item.string);
      }
      return item.kind == Kind::kNumber &&
             std::binary_search(list.list->numbers.begin(), list.list->numbers.end(), item.number);
    default:
      return any_element(list, [&](const Value& e) { return equal(e, item); });
  }
}

// Membership for a scalar; a non-empty intersection for a list.
bool in(const Value& a, const Value& b) {
  if (!is_list(b)) return false;
  if (!is_list(a)) return list_contains(b, a);
  if (a.kind == Kind::kStrings && b.kind == Kind::kStrings) {
    // Both sorted. A few names against many (a message's packages against a maintainer's
    // thousand): binary searches; lists of like sizes: one merge pass.
    bool a_small = a.strings.size() <= b.strings.size();
    const StringsView& small = a_small ? a.strings : b.strings;
    const StringsView& large = a_small ? b.strings : a.strings;
    if (small.size() * 16 < large.size()) {
      return std::any_of(small.begin(), small.end(), [&](std::string_view s) {
        return std::binary_search(large.begin(), large.end(), s);
      });
    }
    auto i = a.strings.begin(), j = b.strings.begin();
    while (i != a.strings.end() && j != b.strings.end()) {
      int c = (*i).compare(*j);
      if (c == 0) return true;
      c < 0 ? ++i : ++j;
    }
    return false;
  }
  return any_element(a, [&](const Value& e) { return list_contains(b, e); });
}

// The `*` operators: the same tests as their case-sensitive ones, with strings compared by
// fold_case.h's rule (numbers and booleans as before).
bool equal_folded(const Value& a, const Value& b) {
  if (a.kind == Kind::kString && b.kind == Kind::kString) {
    return equal_ignoring_case(a.string, b.string);
  }
  return equal(a, b);
}

bool list_contains_folded(const Value& list, const Value& item) {
  if (item.kind != Kind::kString) return list_contains(list, item);
  auto same = [&](std::string_view s) { return equal_ignoring_case(s, item.string); };
  switch (list.kind) {
    case Kind::kStrings:
      return std::any_of(list.strings.begin(), list.strings.end(), same);
    case Kind::kConstList:
      return std::any_of(list.list->strings.begin(), list.list->strings.end(), same);
    default:
      return any_element(list, [&](const Value& e) { return equal_folded(e, item); });
  }
}

bool in_folded(const Value& a, const Value& b) {
  if (!is_list(b)) return false;
  if (!is_list(a)) return list_contains_folded(b, a);
  return any_element(a, [&](const Value& e) { return list_contains_folded(b, e); });
}

// The patterns of `~`/`~*`: the rule's literal, or the user's `$lists.NAME` compiled.
const std::vector<Glob>& globs_of(const Context& ctx, const Atom& atom) {
  if (atom.rhs.kind == OperandRef::Kind::kUserList) {
    return ctx.params.user_list_globs(ctx.rule.lists[atom.rhs.index], ignores_case(atom.op));
  }
  return ctx.rule.constants[atom.rhs.index].globs;
}

// `matches` a `$lists.NAME`: any of its regexes.
bool matches_any(const Context& ctx, const Atom& atom, const Value& a) {
  const ListPatterns::Regexes& regexes =
      ctx.params.user_list_regexes(ctx.rule.lists[atom.rhs.index]);
  return any_string(a, [&](std::string_view s) {
    return std::any_of(regexes.begin(), regexes.end(),
                       [&](const auto& re) { return RE2::PartialMatch(s, *re); });
  });
}

template <typename Test>
bool any_pair(const Value& a, const Value& b, Test test) {
  return any_string(a, [&](std::string_view s) {
    return any_string(b, [&](std::string_view t) { return test(s, t); });
  });
}

// `a` is present.
bool test_folded(const Context& ctx, const Atom& atom, const Value& a) {
  if (atom.op == Op::kGlobFold) {
    // The patterns were folded when the rule was lowered, or the list compiled.
    const std::vector<Glob>& globs = globs_of(ctx, atom);
    return any_string(a, [&](std::string_view s) {
      std::string folded = fold_case(s);
      return std::any_of(globs.begin(), globs.end(),
                         [&](const Glob& g) { return g.matches(folded); });
    });
  }
  Value b = resolve(ctx, atom.rhs);
  switch (atom.op) {
    case Op::kEqFold:
      return equal_folded(a, b);
    case Op::kNeFold:
      return !equal_folded(a, b);
    case Op::kInFold:
      return in_folded(a, b);
    case Op::kStartsWithFold:
      return any_pair(a, b, starts_with_ignoring_case);
    case Op::kEndsWithFold:
      return any_pair(a, b, ends_with_ignoring_case);
    case Op::kContainsFold:
      return any_pair(a, b, contains_ignoring_case);
    default:
      return false;
  }
}

}  // namespace

Value resolve(const Context& ctx, OperandRef ref) {
  switch (ref.kind) {
    case OperandRef::Kind::kField:
      return field_value(ctx.message, static_cast<FieldId>(ref.index));
    case OperandRef::Kind::kBodyPath: {
      const JsonValue* node = walk(ctx.message.body, ctx.rule.paths[ref.index]);
      return node ? json_value(*node) : Value{};
    }
    case OperandRef::Kind::kParam: {
      auto id = static_cast<ParamId>(ref.index);
      if (id == ParamId::kMe) return string_value(ctx.params.me);
      return strings_value(ctx.params.strings(id));
    }
    case OperandRef::Kind::kUserList:
      return strings_value(ctx.params.user_list(ctx.rule.lists[ref.index]));
    case OperandRef::Kind::kConstant: {
      const Constant& c = ctx.rule.constants[ref.index];
      Value v;
      switch (c.kind) {
        case Constant::Kind::kString:
          v.kind = Kind::kString;  // "" is a value here, not a missing one
          v.string = c.string;
          break;
        case Constant::Kind::kNumber:
          v.kind = Kind::kNumber;
          v.number = c.number;
          break;
        case Constant::Kind::kBool:
          v.kind = Kind::kBool;
          v.boolean = c.boolean;
          break;
        case Constant::Kind::kList:
          v.kind = Kind::kConstList;
          v.list = &c.list;
          break;
        case Constant::Kind::kGlobs:
        case Constant::Kind::kRegex:
          break;  // patterns are read by test_atom directly
      }
      return v;
    }
  }
  return {};
}

namespace {

// A comparison with `a` as its left side. Inlined into test_atom, every unquantified test's
// path, as it was before `any`/`all` called it too.
[[gnu::always_inline]] inline bool test_value(const Context& ctx, const Atom& atom,
                                              const Value& a) {
  if (a.kind == Kind::kMissing) return case_sensitive(atom.op) == Op::kNe;
  if (ignores_case(atom.op)) return test_folded(ctx, atom, a);
  switch (atom.op) {
    case Op::kGlob: {
      const std::vector<Glob>& globs = globs_of(ctx, atom);
      return any_string(a, [&](std::string_view s) {
        return std::any_of(globs.begin(), globs.end(), [&](const Glob& g) { return g.matches(s); });
      });
    }
    case Op::kMatches: {
      if (atom.rhs.kind == OperandRef::Kind::kUserList) return matches_any(ctx, atom, a);
      const RE2& re = *ctx.rule.constants[atom.rhs.index].regex;
      return any_string(a, [&](std::string_view s) { return RE2::PartialMatch(s, re); });
    }
    default:
      break;
  }
  Value b = resolve(ctx, atom.rhs);
  switch (atom.op) {
    case Op::kEq:
      return equal(a, b);
    case Op::kNe:
      return !equal(a, b);
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe:
      return ordered(a, b, atom.op);
    case Op::kIn:
      return in(a, b);
    case Op::kStartsWith:
      return any_string(a, [&](std::string_view s) {
        return any_string(b, [&](std::string_view t) { return s.starts_with(t); });
      });
    case Op::kEndsWith:
      return any_string(a, [&](std::string_view s) {
        return any_string(b, [&](std::string_view t) { return s.ends_with(t); });
      });
    case Op::kContains:
      return any_string(a, [&](std::string_view s) {
        return any_string(b, [&](std::string_view t) { return s.find(t) != s.npos; });
      });
    default:
      break;  // patterns above; the `*` operators in test_folded
  }
  return false;
}

// `any`: some element passes; `all`: there are elements and every one passes.
bool test_quantified(const Context& ctx, const Atom& atom) {
  bool all = atom.quantifier == Quantifier::kAll;
  bool seen = false;
  // Stops at the first element that decides: one that passes for `any`, one that fails for `all`.
  auto decides = [&](const Value& e) {
    seen = true;
    return test_value(ctx, atom, e) != all;
  };
  bool stopped = atom.lhs.kind == OperandRef::Kind::kBodyPath
                     ? each_at(ctx.message.body, ctx.rule.paths[atom.lhs.index], 0, decides)
                     : any_element(resolve(ctx, atom.lhs), decides);
  return all ? seen && !stopped : stopped;
}

}  // namespace

bool test_atom(const Context& ctx, const Atom& atom) {
  if (atom.kind == Atom::Kind::kExists) {
    if (atom.lhs.kind == OperandRef::Kind::kBodyPath) {
      return walk(ctx.message.body, ctx.rule.paths[atom.lhs.index]) != nullptr;
    }
    Value v = resolve(ctx, atom.lhs);
    return v.kind == Kind::kStrings ? !v.strings.empty() : v.kind != Kind::kMissing;
  }
  if (atom.quantifier != Quantifier::kNone) return test_quantified(ctx, atom);
  return test_value(ctx, atom, resolve(ctx, atom.lhs));
}

}  // namespace fmn::dsl
