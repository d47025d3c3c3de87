// The only translation unit that sees PEGTL: actions build the Module, the control turns
// must<>/raise<> failures into diagnostics through error_messages.h and bounds nesting.
#include "dsl/grammar/parser.h"

#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "dsl/fields.h"
#include "dsl/grammar/error_messages.h"
#include "dsl/grammar/recovery.h"
#include "dsl/grammar/rules.h"
#include "dsl/limits.h"
#include "dsl/literal_text.h"
#include "dsl/syntax_hints.h"

namespace fmn::dsl {
namespace {

namespace pegtl = tao::pegtl;
namespace g = grammar;

// What the actions build one statement at a time; reset after a syntax error.
struct ParseState {
  ParseState(const char* text, Module& m) : base(text), module(m) {}

  const char* base;  // the file's first byte: offsets are relative to it
  Module& module;
  std::vector<Operand> operands;
  std::vector<size_t> list_marks;  // operands.size() where each open list began
  std::vector<ExprId> exprs;
  std::optional<Op> op;
  SourceRange op_range;
  Quantifier quantifier = Quantifier::kNone;
  std::string name;
  SourceRange name_range;
  uint32_t depth = 0;

  template <typename Input>
  SourceRange range(const Input& in) const {
    return {static_cast<uint32_t>(in.begin() - base), static_cast<uint32_t>(in.end() - base)};
  }
  template <typename Input>
  Operand& push_operand(OperandKind kind, const Input& in) {
    Operand& o = operands.emplace_back();
    o.kind = kind;
    o.range = range(in);
    return o;
  }
  template <typename Input>
  PathSegment& push_segment(const Input& in) {
    PathSegment& s = operands.back().segments.emplace_back();
    s.range = range(in);
    return s;
  }
  Operand pop_operand() {
    Operand o = std::move(operands.back());
    operands.pop_back();
    return o;
  }
  ExprId pop_expr() {
    ExprId e = exprs.back();
    exprs.pop_back();
    return e;
  }
  void clear() {
    operands.clear();
    list_marks.clear();
    exprs.clear();
    op.reset();
    quantifier = Quantifier::kNone;
    depth = 0;
  }
};

struct SyntaxError {
  g::ErrorMessage info;
  const char* at;
};

template <typename Rule>
inline constexpr bool kNests = std::is_same_v<Rule, g::nested> || std::is_same_v<Rule, g::negation>;

template <typename Rule>
struct Control : pegtl::normal<Rule> {
  template <typename Input, typename... States>
  [[noreturn]] static void raise(const Input& in, States&&...) {
    static_assert(g::kErrorMessage<Rule>.message != nullptr, "add the rule to error_messages.h");
    throw SyntaxError{g::kErrorMessage<Rule>, in.current()};
  }
  template <typename Input>
  static void start(const Input& in, ParseState& st) {
    if constexpr (kNests<Rule>) {
      if (++st.depth > kMaxNesting) {
        throw SyntaxError{
            {Code::kTooDeep, "nested too deeply", "split the test into definitions (`def`)"},
            in.current()};
      }
    }
  }
  template <typename Input>
  static void success(const Input&, ParseState& st) {
    if constexpr (kNests<Rule>) --st.depth;
  }
  template <typename Input>
  static void failure(const Input&, ParseState& st) {
    if constexpr (kNests<Rule>) --st.depth;
  }
};

template <typename Rule>
struct Action : pegtl::nothing<Rule> {};

template <>
struct Action<g::comment> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    SourceRange r = st.range(in);
    while (r.end > r.begin && (st.base[r.end - 1] == '\n' || st.base[r.end - 1] == '\r')) --r.end;
    // Backtracking may read a comment twice; keep the first.
    auto& comments = st.module.comments;
    if (comments.empty() || comments.back().begin < r.begin) comments.push_back(r);
  }
};

template <>
struct Action<g::string_lit> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    Operand& o = st.push_operand(OperandKind::kString, in);
    o.text = decode_string_literal(in.string_view());
  }
};

template <>
struct Action<g::number> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    Operand& o = st.push_operand(OperandKind::kNumber, in);
    if (std::from_chars(in.begin(), in.end(), o.number).ec != std::errc()) {
      throw SyntaxError{
          {Code::kTooLarge, "number out of range", "numbers are 64-bit floating point"},
          in.begin()};
    }
  }
};

template <>
struct Action<g::bool_lit> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.push_operand(OperandKind::kBool, in).boolean = in.string_view() == "true";
  }
};

template <>
struct Action<g::list_open> {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    st.list_marks.push_back(st.operands.size());
  }
};

template <>
struct Action<g::list_lit> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    Operand list;
    list.kind = OperandKind::kList;
    list.range = st.range(in);
    auto first = st.operands.begin() + static_cast<ptrdiff_t>(st.list_marks.back());
    list.items.assign(std::make_move_iterator(first), std::make_move_iterator(st.operands.end()));
    st.operands.erase(first, st.operands.end());
    st.list_marks.pop_back();
    st.operands.push_back(std::move(list));
  }
};

template <>
struct Action<g::param> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.push_operand(OperandKind::kParam, in).text = in.string_view().substr(1);
  }
};

template <>
struct Action<g::path_root> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.push_operand(OperandKind::kPath, in).text = in.string();
  }
};

template <>
struct Action<g::path_key> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.push_segment(in).key = in.string();
    st.operands.back().range.end = st.range(in).end;
  }
};

template <>
struct Action<g::index_key> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.push_segment(in).key = decode_string_literal(in.string_view());
  }
};

template <>
struct Action<g::index_number> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    uint64_t index = 0;
    auto [end, ec] = std::from_chars(in.begin(), in.end(), index);
    if (ec != std::errc() || index > UINT32_MAX) index = UINT32_MAX;  // out of any real array
    st.push_segment(in).index = static_cast<uint32_t>(index);
  }
};

template <>
struct Action<g::index_every> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.push_segment(in).every = true;
  }
};

template <>
struct Action<g::index_segment> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.operands.back().range.end = st.range(in).end;
  }
};

template <>
struct Action<g::cmp_op> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    std::string_view s = in.string_view();
    for (int i = 0; i < kOpCount; ++i) {
      if (op_spelling(static_cast<Op>(i)) == s) st.op = static_cast<Op>(i);
    }
    st.op_range = st.range(in);
  }
};

// `lhs op rhs`, from the operands and operator the actions collected.
Expr comparison(ParseState& st) {
  Expr e;
  e.kind = ExprKind::kCompare;
  e.op = *st.op;
  e.op_range = st.op_range;
  e.rhs = st.pop_operand();
  e.lhs = st.pop_operand();
  e.range = {e.lhs.range.begin, e.rhs.range.end};
  st.op.reset();
  // `severity >= warning`: the name stands for its number (and is kept for printing).
  if (e.lhs.kind == OperandKind::kPath && e.lhs.segments.empty() && e.lhs.text == "severity" &&
      e.rhs.kind == OperandKind::kPath && e.rhs.segments.empty()) {
    if (std::optional<double> level = severity_level(e.rhs.text)) {
      e.rhs.kind = OperandKind::kNumber;
      e.rhs.number = *level;
    }
  }
  return e;
}

template <>
struct Action<g::comparison> {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    Expr e;
    if (st.op) {
      e = comparison(st);
    } else {
      e.lhs = st.pop_operand();
      e.range = e.lhs.range;
      if (e.lhs.kind == OperandKind::kBool) {
        e.kind = ExprKind::kBool;
        e.value = e.lhs.boolean;
      } else {
        e.kind = ExprKind::kName;
      }
    }
    st.exprs.push_back(st.module.add(std::move(e)));
  }
};

template <>
struct Action<g::quantifier> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.quantifier = in.string_view() == "any" ? Quantifier::kAny : Quantifier::kAll;
  }
};

template <>
struct Action<g::quantified> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    Expr e = comparison(st);
    e.quantifier = st.quantifier;
    e.range.begin = st.range(in).begin;
    st.exprs.push_back(st.module.add(std::move(e)));
  }
};

template <>
struct Action<g::exists_test> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    Expr e;
    e.kind = ExprKind::kExists;
    e.range = st.range(in);
    e.lhs = st.pop_operand();
    st.exprs.push_back(st.module.add(std::move(e)));
  }
};

template <>
struct Action<g::negation> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    Expr e;
    e.kind = ExprKind::kNot;
    e.range = st.range(in);
    e.children.push_back(st.pop_expr());
    e.range.end = st.module.at(e.children[0]).range.end;
    st.exprs.push_back(st.module.add(std::move(e)));
  }
};

// `a and b` joins onto an existing chain of the same operator, keeping chains flat.
void combine(ParseState& st, ExprKind kind) {
  ExprId right = st.pop_expr();
  ExprId left = st.pop_expr();
  Expr e;
  e.kind = kind;
  e.range = {st.module.at(left).range.begin, st.module.at(right).range.end};
  for (ExprId id : {left, right}) {
    const Expr& child = st.module.at(id);
    if (child.kind == kind) {
      e.children.insert(e.children.end(), child.children.begin(), child.children.end());
    } else {
      e.children.push_back(id);
    }
  }
  st.exprs.push_back(st.module.add(std::move(e)));
}

template <>
struct Action<g::and_tail> {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    combine(st, ExprKind::kAnd);
  }
};

template <>
struct Action<g::or_tail> {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    combine(st, ExprKind::kOr);
  }
};

template <>
struct Action<g::def_name> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.name = in.string();
    st.name_range = st.range(in);
  }
};

template <>
struct Action<g::rule_name> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.name = decode_string_literal(in.string_view());
    st.name_range = st.range(in);
  }
};

template <typename Input>
void finish_statement(const Input& in, ParseState& st, StatementKind kind) {
  Statement s;
  s.kind = kind;
  s.name = std::move(st.name);
  s.name_range = st.name_range;
  s.body = st.pop_expr();
  s.range = {st.range(in).begin, st.module.at(s.body).range.end};
  st.module.statements.push_back(std::move(s));
}

template <>
struct Action<g::def_stmt> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    finish_statement(in, st, StatementKind::kDef);
  }
};

template <>
struct Action<g::rule_stmt> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    finish_statement(in, st, StatementKind::kRule);
  }
};

template <typename Rule>
uint32_t run(const SourceFile& file, uint32_t pos, ParseState& st) {
  const std::string& text = file.text();
  pegtl::memory_input<pegtl::tracking_mode::lazy> in(text.data() + pos, text.data() + text.size(),
                                                     file.name());
  pegtl::parse<Rule, Action, Control>(in, st);
  return static_cast<uint32_t>(in.current() - text.data());
}

}  // namespace

Module parse(const SourceFile& file, Diagnostics& diagnostics) {
  return parse_after(file, Module{}, 0, diagnostics);
}

Module parse_after(const SourceFile& file, Module module, uint32_t start,
                   Diagnostics& diagnostics) {
  diagnostics.bind(file);
  ParseState st{file.text().data(), module};
  uint32_t pos = run<g::ws>(file, start, st);
  while (pos < file.text().size()) {
    size_t exprs_before = module.exprs.size();
    size_t statements_before = module.statements.size();
    try {
      pos = run<g::statement_unit>(file, pos, st);
    } catch (const SyntaxError& e) {
      auto at = static_cast<uint32_t>(e.at - st.base);
      std::optional<SyntaxMessage> refined = refine_syntax_error(file.text(), at, e.info.code);
      SourceRange range = error_range(file.text(), at, e.info.code);
      std::string message = refined ? refined->message : std::string(e.info.message);
      // The statement before and the one after can both stop at the same mistake (junk after a
      // complete rule, in column 1, is also where the next statement was looked for): say it
      // once, as the first saw it.
      if (diagnostics.all().empty() || diagnostics.all().back().span != file.span(range)) {
        diagnostics.report(e.info.code, range, std::move(message),
                           refined ? refined->hint : e.info.hint);
      }
      module.exprs.resize(exprs_before);
      module.statements.resize(statements_before);
      st.clear();
      pos = resynchronise(file.text(), pos, at);
    }
    pos = run<g::ws>(file, pos, st);
  }
  return module;
}

}  // namespace fmn::dsl
