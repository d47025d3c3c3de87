#include "dsl/explain.h"

#include <fmt/format.h>

#include "dsl/canonical.h"
#include "dsl/literal_text.h"
#include "dsl/value.h"

namespace fmn::dsl {
namespace {

constexpr size_t kMaxShownItems = 8;
constexpr size_t kMaxShownBytes = 80;

std::string shown_string(std::string_view s) {
  if (s.size() <= kMaxShownBytes) return quote(s);
  size_t cut = kMaxShownBytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return quote(s.substr(0, cut)) + "...";
}

std::string shown(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kMissing:
      return "missing";
    case Value::Kind::kString:
      return shown_string(v.string);
    case Value::Kind::kNumber:
      return format_number(v.number);
    case Value::Kind::kBool:
      return v.boolean ? "true" : "false";
    case Value::Kind::kJsonObject:
      return "{...}";
    case Value::Kind::kConstList:
      return "[...]";
    case Value::Kind::kStrings: {
      std::string out = "[";
      for (size_t i = 0; i < v.strings.size() && i < kMaxShownItems; ++i) {
        out += (i ? ", " : "") + shown_string(v.strings[i]);
      }
      if (v.strings.size() > kMaxShownItems) {
        out += fmt::format(", ... {} in all", v.strings.size());
      }
      return out + "]";
    }
    case Value::Kind::kJsonArray:
      return fmt::format("[{} items]", v.json->Size());
  }
  return {};
}

class Explainer {
 public:
  Explainer(const Context& ctx, std::vector<ExplainLine>& out) : ctx_(ctx), out_(out) {}

  bool node(size_t i, int depth, bool needed) {
    const Node& n = ctx_.rule.nodes[i];
    size_t line = out_.size();
    out_.push_back({depth, false, needed, {}, {}});
    bool result = false;
    switch (n.kind) {
      case NodeKind::kTrue:
      case NodeKind::kFalse:
        out_[line].text = n.kind == NodeKind::kTrue ? "true" : "false";
        result = n.kind == NodeKind::kTrue;
        break;
      case NodeKind::kNot:
        out_[line].text = "not";
        result = !node(i + 1, depth + 1, needed);
        break;
      case NodeKind::kAnd:
      case NodeKind::kOr: {
        bool is_and = n.kind == NodeKind::kAnd;
        out_[line].text = is_and ? "and" : "or";
        result = is_and;
        bool decided = false;
        for (size_t j = i + 1; j < i + n.size; j += ctx_.rule.nodes[j].size) {
          bool child = node(j, depth + 1, needed && !decided);
          if (!decided && child != is_and) {
            result = child;
            decided = true;
          }
        }
        break;
      }
      case NodeKind::kAtom: {
        const Atom& atom = ctx_.rule.atoms[n.atom];
        out_[line].text = print_atom(ctx_.rule, atom);
        out_[line].values = values(atom);
        result = test_atom(ctx_, atom);
        break;
      }
    }
    out_[line].result = result;
    return result;
  }

 private:
  // The values the test read, except constants, which its text already shows, and the elements
  // `any`/`all` read from the body (as many as the message has).
  std::string values(const Atom& atom) const {
    std::string out;
    std::vector<OperandRef> refs;
    if (atom.quantifier == Quantifier::kNone || atom.lhs.kind != OperandRef::Kind::kBodyPath) {
      refs.push_back(atom.lhs);
    }
    if (atom.kind == Atom::Kind::kCompare) refs.push_back(atom.rhs);
    for (OperandRef ref : refs) {
      if (ref.kind == OperandRef::Kind::kConstant) continue;
      out += fmt::format("{}{} = {}", out.empty() ? "" : ", ", print_operand(ctx_.rule, ref),
                         shown(resolve(ctx_, ref)));
    }
    return out;
  }

  const Context& ctx_;
  std::vector<ExplainLine>& out_;
};

}  // namespace

std::vector<ExplainLine> explain(const CompiledRule& rule, const Message& message,
                                 const ParamsView& params) {
  std::vector<ExplainLine> lines;
  Context ctx{rule, message, params};
  Explainer(ctx, lines).node(0, 0, true);
  return lines;
}

std::string render_explanation(const CompiledRule& rule, const std::vector<ExplainLine>& lines) {
  std::string out = fmt::format("rule {}: {}\n", quote(rule.name),
                                !lines.empty() && lines[0].result ? "match" : "no match");
  // Values line up in one column, unless a test's text is too long for that to help.
  constexpr size_t kMaxColumn = 60;
  size_t width = 0;
  for (const ExplainLine& l : lines) {
    size_t w = 2 * l.depth + l.text.size();
    if (w <= kMaxColumn) width = std::max(width, w);
  }
  for (const ExplainLine& l : lines) {
    std::string text = std::string(2 * l.depth, ' ') + l.text;
    std::string result = l.result ? "true" : "false";
    if (!l.needed) result = fmt::format("({})", result);
    out += fmt::format("  {:<7} {:<{}}", result, text, l.values.empty() ? 0 : width);
    if (!l.values.empty()) out += "   " + l.values;
    out += '\n';
  }
  return out;
}

}  // namespace fmn::dsl
