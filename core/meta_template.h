// A compiled text template of the meta table: literal text with {expression} holes
// ("{msg.comment.author} commented on {msg.comment.update_title}"); "{{" and "}}" are literal
// braces. Expressions are those of meta_expression.h.
//
// Rendering follows what a Python format() in fedmsg.meta did: a hole whose expression is missing
// makes the whole template missing (Python raised KeyError); JSON null renders "None".
// Compiled once, then rendered read-only on any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/meta_expression.h"

namespace fmn::meta {

class Template {
 public:
  // Errors cite the column in the template text.
  static Result<Template> compile(std::string_view text, const Scope& scope);

  // One string; list values in holes are joined by ", ". Missing when any hole is missing.
  std::optional<std::string> render(const EvalContext& ctx) const;

  // For list fields: one string per combination of list items (a hole yielding a list or a JSON
  // array expands), skipping missing and null items. Appends to `out`.
  void render_each(const EvalContext& ctx, std::vector<std::string>& out) const;

 private:
  struct Segment {
    std::string text;                // literal text before the hole
    std::optional<Expression> hole;  // absent for the trailing literal
  };
  void expand(const std::vector<Value>& values, size_t at, std::string& prefix,
              std::vector<std::string>& out) const;

  std::vector<Segment> segments_;
};

// A named, derived value of the table ($name in expressions): the first choice whose condition
// holds and whose template renders. Lets a service say once what several templates share.
struct Variable {
  struct Choice {
    std::optional<Condition> when;
    Template value;
  };
  std::vector<Choice> choices;
};

// Missing when no choice applies.
Value eval_variable(const Variable& var, const EvalContext& ctx);

}  // namespace fmn::meta
