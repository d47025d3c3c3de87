#include "dsl/checker_warnings.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "dsl/fields.h"
#include "dsl/literal_text.h"
#include "dsl/syntax_equal.h"

namespace fmn::dsl {
namespace {

bool is_field(const Operand& o, FieldId id) {
  const FieldInfo* f = o.kind == OperandKind::kPath ? find_field(o.text) : nullptr;
  return f && f->id == id && o.segments.empty();
}

bool is_body_path(const Operand& o) {
  return o.kind == OperandKind::kPath && o.text == "msg" && !o.segments.empty();
}

// The string literals a test compares with: the operand itself, or a list's items.
std::vector<const Operand*> strings_of(const Operand& o) {
  std::vector<const Operand*> out;
  if (o.kind == OperandKind::kString) out.push_back(&o);
  for (const Operand& item : o.items) {
    if (item.kind == OperandKind::kString) out.push_back(&item);
  }
  return out;
}

// `msg.comment.author` and `msg.comment.update_submitter`: parts of one object, which a
// message of the kind the rule is about has whole; requiring one is taken to vouch for the other.
bool same_object(const Operand& a, const Operand& b) {
  if (a.segments.size() != b.segments.size() || a.segments.size() < 2) return false;
  for (size_t i = 0; i + 1 < a.segments.size(); ++i) {
    const PathSegment& x = a.segments[i];
    const PathSegment& y = b.segments[i];
    if (x.index != y.index || x.key != y.key) return false;
  }
  return true;
}

class Warner {
 public:
  Warner(const SourceFile& file, const Module& module, Diagnostics& diagnostics)
      : file_(file), module_(module), diags_(diagnostics) {}

  void run() {
    for (const Statement& s : module_.statements) {
      if (s.kind == StatementKind::kRule) warn_rule(s);
      std::vector<const Operand*> guards;
      visit(s.body, guards);
    }
  }

 private:
  void warn_rule(const Statement& s) {
    if (s.name.empty()) {
      diags_.report(Code::kEmptyText, s.name_range, "this rule's name is empty",
                    "notifications name the rule that matched: give it a name that says what "
                    "it is for");
    }
    // `not` over a constant is still a constant; chains report their own constant children.
    ExprId id = s.body;
    bool negated = false;
    while (module_.at(id).kind == ExprKind::kNot) {
      negated = !negated;
      id = module_.at(id).children[0];
    }
    const Expr& e = module_.at(id);
    if (e.kind != ExprKind::kBool) return;
    bool value = e.value != negated;
    diags_.report(value ? Code::kAlwaysTrue : Code::kAlwaysFalse, module_.at(s.body).range,
                  value ? "this rule is always true: it matches every message on the bus"
                        : "this rule is always false: it never matches",
                  value ? "say which messages you want, e.g. `topic ~ \"*.bodhi.update.comment\"`"
                        : "remove the rule, or write the test you meant");
  }

  void visit(ExprId id, std::vector<const Operand*>& guards) {
    const Expr& e = module_.at(id);
    switch (e.kind) {
      case ExprKind::kAnd: {
        size_t before = guards.size();
        for (ExprId c : e.children) add_guards(module_.at(c), guards);
        for (ExprId c : e.children) visit(c, guards);
        guards.resize(before);
        return;
      }
      case ExprKind::kOr:
      case ExprKind::kNot:
        for (ExprId c : e.children) visit(c, guards);
        return;
      case ExprKind::kCompare:
        warn_compare(e, guards);
        return;
      default:
        return;
    }
  }

  // Tests in an `and` that are false when a body path is missing guard `!=` on that path.
  static void add_guards(const Expr& e, std::vector<const Operand*>& guards) {
    if (e.kind == ExprKind::kExists) guards.push_back(&e.lhs);
    if (e.kind != ExprKind::kCompare || case_sensitive(e.op) == Op::kNe) return;
    if (is_body_path(e.lhs)) guards.push_back(&e.lhs);
    if (is_body_path(e.rhs)) guards.push_back(&e.rhs);
  }

  void warn_compare(const Expr& e, const std::vector<const Operand*>& guards) {
    warn_empty(e);
    // The rest read the left side as one value. Under `any`/`all` it is a list (and without
    // elements even `!=` is false).
    if (e.quantifier != Quantifier::kNone) return;
    if (is_field(e.lhs, FieldId::kTopic)) warn_topic(e);
    if (is_field(e.lhs, FieldId::kCategory)) warn_category(e);
    if (case_sensitive(e.op) == Op::kNe) warn_not_equals(e, guards);
  }

  void warn_empty(const Expr& e) {
    if (e.rhs.kind != OperandKind::kString || !e.rhs.text.empty()) return;
    std::string_view op = op_spelling(e.op);
    Op base = case_sensitive(e.op);
    switch (base) {
      case Op::kGlob:
        return diags_.report(Code::kEmptyText, e.rhs.range,
                             "the empty pattern matches only an empty value",
                             "`*` matches anything; `topic ~ \"*.bodhi.*\"` matches a service");
      case Op::kStartsWith:
      case Op::kEndsWith:
      case Op::kContains:
      case Op::kMatches:
        return diags_.report(
            Code::kEmptyText, e.rhs.range,
            fmt::format("every string {} the empty string, so this test is always true "
                        "for a string",
                        base == Op::kStartsWith ? "starts with"
                        : base == Op::kEndsWith ? "ends with"
                                                : op),
            "write the text you are looking for, or `exists ...` to test for presence");
      default:
        return;
    }
  }

  void warn_topic(const Expr& e) {
    Op base = case_sensitive(e.op);
    if (base != Op::kGlob && base != Op::kEq && base != Op::kIn) return;
    for (const Operand* p : strings_of(e.rhs)) {
      const std::string& s = p->text;
      if (s.empty()) continue;  // W0006
      if (base == Op::kGlob && s.find_first_of("*?") != std::string::npos) continue;
      if (could_be_full_topic(s)) continue;
      diags_.report(Code::kTopicNeverMatches, p->range,
                    fmt::format("no topic is {}: topics are whole, like "
                                "\"org.fedoraproject.prod.bodhi.update.comment\"",
                                quote(s)),
                    fmt::format("to match the end of the topic write `topic ~ \"*.{}\"`", s));
    }
  }

  void warn_category(const Expr& e) {
    Op base = case_sensitive(e.op);
    if (base != Op::kEq && base != Op::kIn && base != Op::kGlob) return;
    bool any_case = ignores_case(e.op);
    for (const Operand* p : strings_of(e.rhs)) {
      const std::string& s = p->text;
      bool lower = std::none_of(s.begin(), s.end(), [&](char c) {
        return (!any_case && std::isupper(static_cast<unsigned char>(c))) || c == '.' || c == ' ';
      });
      if (lower) continue;
      std::string hint;
      if (s.find('.') != std::string::npos) {
        hint = fmt::format(
            "a category is one word; for a kind of message test the topic: "
            "`topic ~ \"*.{}.*\"`",
            s);
      } else {
        std::string fixed;
        for (char c : s) fixed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        hint = fmt::format("did you mean {}?", quote(fixed));
      }
      diags_.report(Code::kNeverTrueForField, p->range,
                    fmt::format("`category` is never {}: categories are lowercase service "
                                "names such as \"bodhi\" or \"buildsys\"",
                                quote(s)),
                    std::move(hint));
    }
  }

  void warn_not_equals(const Expr& e, const std::vector<const Operand*>& guards) {
    auto constant = [](const Operand& o) {
      return o.kind != OperandKind::kPath;  // a literal or a parameter
    };
    const Operand* path = is_body_path(e.lhs) && constant(e.rhs)   ? &e.lhs
                          : is_body_path(e.rhs) && constant(e.lhs) ? &e.rhs
                                                                   : nullptr;
    if (!path) return;
    for (const Operand* g : guards) {
      if (syntax_equal(*g, *path) || same_object(*g, *path)) return;
    }
    std::string text(file_.slice(path->range));
    diags_.report(
        Code::kNotEqualsMissing, e.range,
        fmt::format("`{}` is also true when the message has no `{}`", op_spelling(e.op), text),
        fmt::format("if it must be there, write `exists {} and {}`", text, file_.slice(e.range)));
  }

  const SourceFile& file_;
  const Module& module_;
  Diagnostics& diags_;
};

}  // namespace

// Every topic is `<org>.<domain>.<environment>.<service>...`
// (org.fedoraproject.prod.bodhi.update.comment), so text without a wildcard that lacks the
// environment part cannot be a whole topic.
bool could_be_full_topic(std::string_view s) {
  size_t first = s.find('.');
  size_t second = first == std::string_view::npos ? first : s.find('.', first + 1);
  size_t third = second == std::string_view::npos ? second : s.find('.', second + 1);
  if (third == std::string_view::npos) return false;
  std::string_view env = s.substr(second + 1, third - second - 1);
  return env == "prod" || env == "stg" || env == "stage" || env == "dev" || env == "test";
}

void warn_dead_tests(const SourceFile& file, const Module& module, Diagnostics& diagnostics) {
  Warner(file, module, diagnostics).run();
}

}  // namespace fmn::dsl
