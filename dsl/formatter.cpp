#include "dsl/formatter.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <vector>

#include "dsl/literal_text.h"

namespace fmn::dsl {
namespace {

int precedence(ExprKind kind) {
  switch (kind) {
    case ExprKind::kOr:
      return 1;
    case ExprKind::kAnd:
      return 2;
    case ExprKind::kNot:
      return 3;
    default:
      return 4;
  }
}

bool is_chain(const Expr& e) { return e.kind == ExprKind::kAnd || e.kind == ExprKind::kOr; }

std::string operand_text(const Operand& o) {
  switch (o.kind) {
    case OperandKind::kString:
      return quote(o.text);
    case OperandKind::kNumber:
      return o.text.empty() ? format_number(o.number) : o.text;  // a name: `warning`
    case OperandKind::kBool:
      return o.boolean ? "true" : "false";
    case OperandKind::kParam:
      return "$" + o.text;
    case OperandKind::kList: {
      std::string out = "[";
      for (const Operand& item : o.items) out += (out.size() > 1 ? ", " : "") + operand_text(item);
      return out + "]";
    }
    case OperandKind::kPath: {
      std::string out = o.text;
      for (const PathSegment& s : o.segments) {
        append_path_step(out, s.key, s.index.has_value(), s.index.value_or(0), s.every);
      }
      return out;
    }
  }
  return {};
}

// A comparison up to its right side: `any msg.builds[*].nvr startswith`.
std::string compare_head(const Expr& e) {
  std::string_view q = quantifier_spelling(e.quantifier);
  return fmt::format("{}{}{} {}", q, q.empty() ? "" : " ", operand_text(e.lhs), op_spelling(e.op));
}

std::string flat(const Module& m, ExprId id, int outer) {
  const Expr& e = m.at(id);
  std::string out;
  switch (e.kind) {
    case ExprKind::kBool:
      return e.value ? "true" : "false";
    case ExprKind::kName:
      return operand_text(e.lhs);
    case ExprKind::kExists:
      return "exists " + operand_text(e.lhs);
    case ExprKind::kCompare:
      return compare_head(e) + " " + operand_text(e.rhs);
    case ExprKind::kNot:
      out = "not " + flat(m, e.children[0], precedence(ExprKind::kNot));
      break;
    case ExprKind::kAnd:
    case ExprKind::kOr:
      for (ExprId child : e.children) {
        if (!out.empty()) out += e.kind == ExprKind::kAnd ? " and " : " or ";
        out += flat(m, child, precedence(e.kind) + 1);
      }
      break;
  }
  return precedence(e.kind) < outer ? "(" + out + ")" : out;
}

// One element of a sequence broken over lines: where it is, and how to print it.
struct Element {
  SourceRange range;
  std::function<void(int indent)> emit;
};

class Formatter {
 public:
  Formatter(const SourceFile& file, const Module& module) : file_(file), m_(module) {}

  std::string run() {
    uint32_t previous_end = 0;  // where the last statement (and its end-of-line comment) ended
    for (size_t i = 0; i < m_.statements.size(); ++i) {
      const Statement& s = m_.statements[i];
      own_line_comments(previous_end, s.range.begin, 0, i > 0);
      uint32_t end = end_of_line_comment_end(s.range.end);
      statement(s, end);
      previous_end = end;
    }
    own_line_comments(previous_end, static_cast<uint32_t>(file_.text().size()), 0,
                      !m_.statements.empty());
    std::string out;
    for (const std::string& l : lines_) out += l + "\n";
    return out;
  }

 private:
  uint32_t line_of(uint32_t offset) const { return file_.position(offset).line; }

  std::vector<SourceRange> comments_in(uint32_t begin, uint32_t end) const {
    std::vector<SourceRange> out;
    for (SourceRange c : m_.comments) {
      if (c.begin >= begin && c.begin < end) out.push_back(c);
    }
    return out;
  }

  // Where a comment on the same line as `end` ends, or `end` if there is none.
  uint32_t end_of_line_comment_end(uint32_t end) const {
    for (SourceRange c : comments_in(end, static_cast<uint32_t>(file_.text().size()))) {
      return line_of(c.begin) == line_of(end == 0 ? 0 : end - 1) ? c.end : end;
    }
    return end;
  }

  void line(int indent, std::string text) { lines_.push_back(std::string(indent, ' ') + text); }

  void trailing(SourceRange c) { lines_.back() += "  " + std::string(file_.slice(c)); }

  // Whether [begin, end) holds an empty line.
  bool blank_line_between(uint32_t begin, uint32_t end) const {
    std::string_view gap = std::string_view(file_.text()).substr(begin, end - begin);
    for (size_t nl = gap.find('\n'); nl != gap.npos; nl = gap.find('\n', nl + 1)) {
      size_t next = gap.find_first_not_of(" \t\r", nl + 1);
      if (next != gap.npos && gap[next] == '\n') return true;
    }
    return false;
  }

  // The comments in [begin, end), each on its own line; a blank line kept before each group.
  void own_line_comments(uint32_t begin, uint32_t end, int indent, bool separate) {
    uint32_t cursor = begin;
    for (SourceRange c : comments_in(begin, end)) {
      if (separate && blank_line_between(cursor, c.begin)) line(0, "");
      line(indent, std::string(file_.slice(c)));
      cursor = c.end;
      separate = true;
    }
    if (separate && cursor < end && blank_line_between(cursor, end)) line(0, "");
  }

  void statement(const Statement& s, uint32_t end) {
    std::string head = s.kind == StatementKind::kRule ? fmt::format("rule {} =", quote(s.name))
                                                      : fmt::format("def {} =", s.name);
    std::string one = head + " " + flat(m_, s.body, 0);
    std::vector<SourceRange> inside = comments_in(s.range.begin, s.range.end);
    if (inside.empty() && one.size() <= kFormatWidth) {
      line(0, one);
      if (end > s.range.end) trailing(comments_in(s.range.end, end)[0]);
      return;
    }
    line(0, head);
    const Expr& body = m_.at(s.body);
    if (is_chain(body)) {
      chain(body, 4, s.name_range.end, end);
    } else {
      sequence({{body.range, [&](int indent) { block(s.body, indent, "", 0); }}}, 4,
               s.name_range.end, end);
    }
  }

  // Elements one per line at `indent`; the comments in [begin, end) between them go on their
  // own lines before the next element, or at the end of the line they follow.
  void sequence(const std::vector<Element>& elements, int indent, uint32_t begin, uint32_t end) {
    uint32_t cursor = begin;
    for (size_t k = 0; k <= elements.size(); ++k) {
      uint32_t next = k < elements.size() ? elements[k].range.begin : end;
      for (SourceRange c : comments_in(cursor, next)) {
        if (k > 0 && line_of(c.begin) == line_of(elements[k - 1].range.end - 1)) {
          trailing(c);
        } else {
          line(indent, std::string(file_.slice(c)));
        }
      }
      if (k == elements.size()) break;
      elements[k].emit(indent);
      cursor = elements[k].range.end;
    }
  }

  void chain(const Expr& e, int indent, uint32_t begin, uint32_t end) {
    std::vector<Element> elements;
    for (size_t k = 0; k < e.children.size(); ++k) {
      std::string prefix = k == 0 ? "" : (e.kind == ExprKind::kAnd ? "and " : "or ");
      ExprId child = e.children[k];
      int outer = precedence(e.kind) + 1;
      elements.push_back({m_.at(child).range,
                          [this, child, prefix, outer](int i) { block(child, i, prefix, outer); }});
    }
    sequence(elements, indent, begin, end);
  }

  // `id` starting a line at `indent` after `prefix`, inside an operator binding `outer`
  // tightly; broken over lines if it must be.
  void block(ExprId id, int indent, const std::string& prefix, int outer) {
    const Expr& e = m_.at(id);
    std::string one = prefix + flat(m_, id, outer);
    std::vector<SourceRange> inside = comments_in(e.range.begin, e.range.end);
    bool fits = indent + one.size() <= kFormatWidth;
    if (fits && inside.empty()) return line(indent, one);
    const Expr* inner = &e;
    std::string open = prefix;
    if (e.kind == ExprKind::kNot && is_chain(m_.at(e.children[0]))) {
      inner = &m_.at(e.children[0]);
      open += "not ";
    }
    if (is_chain(*inner)) {
      line(indent, open + "(");
      chain(*inner, indent + 4, inner->range.begin, inner->range.end);
      return line(indent, ")");
    }
    if (e.kind == ExprKind::kCompare && e.rhs.kind == OperandKind::kList && !e.rhs.items.empty()) {
      line(indent, prefix + compare_head(e) + " [");
      std::vector<Element> items;
      for (const Operand& item : e.rhs.items) {
        items.push_back({item.range, [this, &item](int i) { line(i, operand_text(item) + ","); }});
      }
      sequence(items, indent + 4, e.rhs.range.begin, e.rhs.range.end);
      return line(indent, "]");
    }
    // Cannot break: one line, its comments after it.
    line(indent, one);
    for (SourceRange c : inside) line(indent, std::string(file_.slice(c)));
  }

  const SourceFile& file_;
  const Module& m_;
  std::vector<std::string> lines_;
};

}  // namespace

std::string format_module(const SourceFile& file, const Module& module) {
  return Formatter(file, module).run();
}

std::string format_expr(const Module& module, ExprId id) { return flat(module, id, 0); }

}  // namespace fmn::dsl
