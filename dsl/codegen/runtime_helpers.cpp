#include "dsl/codegen/runtime_helpers.h"

#include <algorithm>

#include "dsl/value.h"

namespace fmn::codegen {
namespace {

using dsl::CompiledRule;
using dsl::ParamsView;

dsl::Value field(const Message* m, const ParamsView* p, const CompiledRule* r, uint32_t id) {
  return dsl::resolve(dsl::Context{*r, *m, *p},
                      dsl::OperandRef{dsl::OperandRef::Kind::kField, static_cast<uint16_t>(id)});
}

std::span<const dsl::InternedString> param_list(const ParamsView* p, uint32_t id) {
  return p->list(static_cast<dsl::ParamId>(id));
}

uint8_t atom(const Message* m, const ParamsView* p, const CompiledRule* r, uint32_t a, uint32_t) {
  return dsl::test_atom(dsl::Context{*r, *m, *p}, r->atoms[a]);
}

// Both lists sorted: one merge pass.
uint8_t lists_meet(const Message* m, const ParamsView* p, const CompiledRule* r, uint32_t f,
                   uint32_t param) {
  dsl::Value v = field(m, p, r, f);
  const dsl::StringsView& a = v.strings;
  std::span<const dsl::InternedString> b = param_list(p, param);
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    int c = (*i).compare(j->view());
    if (c == 0) return 1;
    if (c < 0) {
      ++i;
    } else {
      ++j;
    }
  }
  return 0;
}

uint8_t me_in_list(const Message* m, const ParamsView* p, const CompiledRule* r, uint32_t f,
                   uint32_t) {
  if (p->me.empty()) return 0;  // an empty $me is missing: `in` is false
  dsl::Value v = field(m, p, r, f);
  return std::binary_search(v.strings.begin(), v.strings.end(), p->me);
}

uint8_t scalar_in_param(const Message* m, const ParamsView* p, const CompiledRule* r, uint32_t f,
                        uint32_t param) {
  dsl::Value v = field(m, p, r, f);
  if (v.kind != dsl::Value::Kind::kString) return 0;
  std::span<const dsl::InternedString> list = param_list(p, param);
  return std::binary_search(list.begin(), list.end(), v.string, [](auto a, auto b) {
    return std::string_view(a) < std::string_view(b);
  });
}

uint8_t topic_glob(const Message* m, const ParamsView*, const CompiledRule* r, uint32_t c,
                   uint32_t) {
  for (const dsl::Glob& g : r->constants[c].globs) {
    if (g.matches(m->topic)) return 1;
  }
  return 0;
}

uint8_t topic_eq(const Message* m, const ParamsView*, const CompiledRule* r, uint32_t c, uint32_t) {
  return m->topic == r->constants[c].string;
}

// The topic (always a string) against a string constant, or any string of a list constant.
// A string constant may be "", but an empty string in a list counts as missing and is skipped.
template <typename Test>
uint8_t topic_any(const Message* m, const CompiledRule* r, uint32_t c, Test test) {
  const dsl::Constant& k = r->constants[c];
  if (k.kind == dsl::Constant::Kind::kString) return test(m->topic, k.string);
  for (const std::string& s : k.list.strings) {
    if (!s.empty() && test(m->topic, s)) return 1;
  }
  return 0;
}

uint8_t topic_starts(const Message* m, const ParamsView*, const CompiledRule* r, uint32_t c,
                     uint32_t) {
  return topic_any(m, r, c,
                   [](std::string_view t, std::string_view s) { return t.starts_with(s); });
}

uint8_t topic_ends(const Message* m, const ParamsView*, const CompiledRule* r, uint32_t c,
                   uint32_t) {
  return topic_any(m, r, c, [](std::string_view t, std::string_view s) { return t.ends_with(s); });
}

uint8_t topic_contains(const Message* m, const ParamsView*, const CompiledRule* r, uint32_t c,
                       uint32_t) {
  return topic_any(m, r, c,
                   [](std::string_view t, std::string_view s) { return t.find(s) != t.npos; });
}

struct Entry {
  const char* name;
  HelperFn fn;
};

constexpr Entry kHelpers[kHelperCount] = {
    {"fmn_rt_atom", &atom},
    {"fmn_rt_lists_meet", &lists_meet},
    {"fmn_rt_me_in_list", &me_in_list},
    {"fmn_rt_scalar_in_param", &scalar_in_param},
    {"fmn_rt_topic_glob", &topic_glob},
    {"fmn_rt_topic_eq", &topic_eq},
    {"fmn_rt_topic_starts", &topic_starts},
    {"fmn_rt_topic_ends", &topic_ends},
    {"fmn_rt_topic_contains", &topic_contains},
};

}  // namespace

const char* helper_name(Helper helper) { return kHelpers[static_cast<int>(helper)].name; }

HelperFn helper_function(Helper helper) { return kHelpers[static_cast<int>(helper)].fn; }

std::vector<RuntimeSymbol> runtime_symbols() {
  std::vector<RuntimeSymbol> out;
  for (const Entry& e : kHelpers) out.push_back({e.name, reinterpret_cast<const void*>(e.fn)});
  return out;
}

}  // namespace fmn::codegen
