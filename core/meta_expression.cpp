#include "core/meta_expression.h"

#include <cctype>
#include <charconv>

#include "core/meta_template.h"

namespace fmn::meta {

// Recursive descent over the expression text; errors carry the 1-based column.
class Parser {
 public:
  Parser(std::string_view text, const Scope& scope) : text_(text), scope_(scope) {}

  Result<Expression> expression_only() {
    Expression e;
    if (!expression(e)) return error();
    if (skip_space(); at_ < text_.size()) return fail("unexpected '" + rest() + "'"), error();
    return e;
  }

  Result<Condition> condition_only() {
    Condition c;
    do {
      std::vector<Condition::Test> all_of;
      do {
        Condition::Test test;
        if (!condition_test(test)) return error();
        all_of.push_back(std::move(test));
      } while (consume("&&"));
      c.any_of_.push_back(std::move(all_of));
    } while (consume("||"));
    if (skip_space(); at_ < text_.size()) return fail("unexpected '" + rest() + "'"), error();
    return c;
  }

 private:
  bool expression(Expression& e) {
    bool skip_falsy = false;
    do {
      Expression::Term term;
      term.skip_falsy = skip_falsy;
      if (!primary(term)) return false;
      e.alternatives_.push_back(std::move(term));
      if (consume("??")) {
        skip_falsy = false;
      } else if (consume("?:")) {
        skip_falsy = true;
      } else {
        break;
      }
    } while (true);
    if (!consume("|")) return true;
    do {
      HelperCall call;
      if (!helper(call)) return false;
      e.helpers_.push_back(std::move(call));
    } while (consume("|"));
    bool falsy = false;
    if (consume("??") || (falsy = consume("?:"))) {
      e.fallback_ = std::make_unique<Expression>();
      e.fallback_on_falsy_ = falsy;
      return expression(*e.fallback_);
    }
    return true;
  }

  bool condition_test(Condition::Test& test) {
    test.negate = consume("!");
    if (!expression(test.expr)) return false;
    if (consume("==")) {
      test.op = Condition::Test::Op::kEqual;
    } else if (consume("!=")) {
      test.op = Condition::Test::Op::kNotEqual;
    } else {
      return true;
    }
    return literal(test.rhs, /*keywords=*/true);
  }

  bool primary(Expression::Term& term) {
    skip_space();
    if (at_ < text_.size() && (text_[at_] == '\'' || text_[at_] == '-' || isdigit(text_[at_]))) {
      term.root = Expression::Root::kLiteral;
      return literal(term.literal, /*keywords=*/false);
    }
    if (at_ < text_.size() && text_[at_] == '$') {
      ++at_;
      std::string name(identifier());
      auto it = scope_.vars.find(name);
      if (it == scope_.vars.end()) return fail("no variable named '$" + name + "' (yet)");
      term.root = Expression::Root::kVariable;
      term.variable = it->second.get();
      return true;
    }
    std::string_view name = identifier();
    static constexpr std::pair<std::string_view, Expression::Root> kRoots[] = {
        {"msg", Expression::Root::kMsg},           {"topic", Expression::Root::kTopic},
        {"title", Expression::Root::kTitle},       {"env", Expression::Root::kEnv},
        {"category", Expression::Root::kCategory}, {"username", Expression::Root::kUsername},
        {"msg_id", Expression::Root::kMsgId}};
    bool found = false;
    for (const auto& [root_name, root] : kRoots) {
      if (name == root_name) term.root = root, found = true;
    }
    if (!found) {
      return fail(name.empty() ? "expected a path or a literal"
                               : "unknown root '" + std::string(name) +
                                     "' (msg, topic, title, env, category, username, msg_id)");
    }
    while (at_ < text_.size()) {
      Expression::Step step;
      if (text_[at_] == '.' && at_ + 1 < text_.size() && text_[at_ + 1] == '*') {
        at_ += 2;
        step.kind = Expression::Step::Kind::kEach;
      } else if (text_[at_] == '.') {
        ++at_;
        step.kind = Expression::Step::Kind::kKey;
        if (at_ < text_.size() && text_[at_] == '\'') {
          Literal quoted;
          if (!literal(quoted, false)) return false;
          step.key = quoted.text;
        } else {
          step.key = std::string(key());
          if (step.key.empty()) return fail("expected a key after '.'");
        }
      } else if (text_.substr(at_).starts_with("[*]")) {
        at_ += 3;
        step.kind = Expression::Step::Kind::kEach;
      } else if (text_[at_] == '[' && at_ + 1 < text_.size() &&
                 (std::isalpha(static_cast<unsigned char>(text_[at_ + 1])) ||
                  text_[at_ + 1] == '_')) {
        ++at_;
        step.kind = Expression::Step::Kind::kFilter;
        step.key = std::string(key());
        Literal value;
        if (!consume("==") || !literal(value, false) || value.kind != Literal::Kind::kText ||
            !consume("]")) {
          return fail("expected [key=='text']");
        }
        step.equals = value.text;
      } else if (text_[at_] == '[') {
        ++at_;
        Literal index;
        if (!literal(index, false) || index.kind != Literal::Kind::kNumber || !consume("]")) {
          return fail("expected [integer] or [*]");
        }
        step.kind = Expression::Step::Kind::kIndex;
        step.index = index.number;
      } else {
        break;
      }
      term.has_each |= step.kind == Expression::Step::Kind::kEach ||
                       step.kind == Expression::Step::Kind::kFilter;
      term.steps.push_back(std::move(step));
    }
    if (term.root != Expression::Root::kMsg && !term.steps.empty()) {
      return fail("only msg has members");
    }
    return true;
  }

  bool helper(HelperCall& call) {
    skip_space();
    size_t start = at_;
    std::string name(identifier());
    call.spec = find_helper(name);
    if (!call.spec) return at_ = start, fail("unknown helper '" + name + "'");
    if (consume("(")) {
      if (!consume(")")) {
        do {
          Literal arg;
          if (!literal(arg, false)) return false;
          call.args.push_back(std::move(arg));
        } while (consume(","));
        if (!consume(")")) return fail("expected ',' or ')'");
      }
    }
    const std::string_view kinds = call.spec->arg_kinds;
    if (call.args.size() < call.spec->min_args || call.args.size() > kinds.size()) {
      return at_ = start, fail("wrong number of arguments to " + name);
    }
    for (size_t i = 0; i < call.args.size(); ++i) {
      bool want_number = kinds[i] == 'n';
      if (want_number != (call.args[i].kind == Literal::Kind::kNumber)) {
        return at_ = start, fail(name + ": argument " + std::to_string(i + 1) + " should be " +
                                 (want_number ? "an integer" : "'text'"));
      }
    }
    if (call.spec->name == "map") {
      auto it = scope_.maps.find(call.args[0].text);
      if (it == scope_.maps.end())
        return at_ = start, fail("no map named '" + call.args[0].text + "'");
      call.map = &it->second;
    }
    return true;
  }

  bool literal(Literal& out, bool keywords) {
    skip_space();
    if (at_ < text_.size() && text_[at_] == '\'') {
      out.kind = Literal::Kind::kText;
      for (++at_; at_ < text_.size() && text_[at_] != '\''; ++at_) {
        if (text_[at_] == '\\' && at_ + 1 < text_.size()) ++at_;
        out.text += text_[at_];
      }
      if (at_ >= text_.size()) return fail("unterminated 'text'");
      ++at_;
      return true;
    }
    size_t start = at_;
    if (at_ < text_.size() && text_[at_] == '-') ++at_;
    while (at_ < text_.size() && isdigit(text_[at_])) ++at_;
    if (at_ > start) {
      out.kind = Literal::Kind::kNumber;
      out.text = std::string(text_.substr(start, at_ - start));
      auto [ptr, ec] = std::from_chars(text_.data() + start, text_.data() + at_, out.number);
      if (ec != std::errc() || ptr != text_.data() + at_) return at_ = start, fail("bad integer");
      return true;
    }
    if (keywords) {
      std::string_view word = identifier();
      out.text = std::string(word);
      if (word == "true") return out.kind = Literal::Kind::kTrue, true;
      if (word == "false") return out.kind = Literal::Kind::kFalse, true;
      if (word == "null") return out.kind = Literal::Kind::kNull, true;
      at_ = start;
    }
    return fail("expected a literal");
  }

  static bool isdigit(char c) { return c >= '0' && c <= '9'; }
  static bool is_ident(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

  std::string_view identifier() {
    skip_space();
    size_t start = at_;
    while (at_ < text_.size() && is_ident(text_[at_])) ++at_;
    return text_.substr(start, at_ - start);
  }

  std::string_view key() {
    size_t start = at_;
    while (at_ < text_.size() && (is_ident(text_[at_]) || text_[at_] == '-')) ++at_;
    return text_.substr(start, at_ - start);
  }

  void skip_space() {
    while (at_ < text_.size() && text_[at_] == ' ') ++at_;
  }

  bool consume(std::string_view token) {
    skip_space();
    if (!text_.substr(at_).starts_with(token)) return false;
    // '|' must not eat the first half of '||'.
    if (token == "|" && text_.substr(at_).starts_with("||")) return false;
    at_ += token.size();
    return true;
  }

  std::string rest() const { return std::string(text_.substr(at_)); }

  bool fail(std::string what) {
    if (error_.empty()) error_ = "column " + std::to_string(at_ + 1) + ": " + std::move(what);
    return false;
  }
  Error error() const { return {ErrorCode::kInvalidConfig, error_}; }

  std::string_view text_;
  const Scope& scope_;
  size_t at_ = 0;
  std::string error_;
};

namespace {

const JsonValue* step_into(const JsonValue* v, const Expression::Step& step) {
  if (step.kind == Expression::Step::Kind::kKey) {
    if (!v->IsObject()) return nullptr;
    auto it = v->FindMember(
        rapidjson::StringRef(step.key.data(), static_cast<rapidjson::SizeType>(step.key.size())));
    return it == v->MemberEnd() ? nullptr : &it->value;
  }
  if (!v->IsArray()) return nullptr;
  int64_t size = v->Size(), i = step.index < 0 ? step.index + size : step.index;
  return i < 0 || i >= size ? nullptr : &(*v)[static_cast<rapidjson::SizeType>(i)];
}

// A path with wildcards: walks a frontier of nodes, yielding a list.
Value walk_each(const JsonValue* body, const std::vector<Expression::Step>& steps) {
  std::vector<const JsonValue*> frontier{body}, next;
  for (const Expression::Step& step : steps) {
    next.clear();
    for (const JsonValue* v : frontier) {
      if (step.kind == Expression::Step::Kind::kFilter) {
        if (!v->IsArray()) continue;
        for (const JsonValue& item : v->GetArray()) {
          if (!item.IsObject()) continue;
          auto it = item.FindMember(step.key.c_str());
          if (it != item.MemberEnd() && it->value.IsString() &&
              std::string_view(it->value.GetString(), it->value.GetStringLength()) == step.equals) {
            next.push_back(&item);
          }
        }
      } else if (step.kind != Expression::Step::Kind::kEach) {
        if (const JsonValue* child = step_into(v, step)) next.push_back(child);
      } else if (v->IsArray()) {
        for (const JsonValue& item : v->GetArray()) next.push_back(&item);
      } else if (v->IsObject()) {
        for (const auto& member : v->GetObject()) next.push_back(&member.value);
      }
    }
    // A member or index that is not there makes the path missing (so `??` moves on); a
    // wildcard or filter over nothing is an empty list.
    if (next.empty() && (step.kind == Expression::Step::Kind::kKey ||
                         step.kind == Expression::Step::Kind::kIndex)) {
      return Value::missing();
    }
    frontier.swap(next);
  }
  std::vector<Value> items;
  items.reserve(frontier.size());
  for (const JsonValue* v : frontier) items.push_back(Value::of_json(v));
  return Value::of_list(std::move(items));
}

Value eval_term(const Expression::Term& term, const EvalContext& ctx) {
  const Message& m = ctx.message;
  Value v;
  switch (term.root) {
    case Expression::Root::kMsg:
      if (term.has_each) {
        v = walk_each(m.body, term.steps);
      } else {
        const JsonValue* p = m.body;
        for (size_t i = 0; p && i < term.steps.size(); ++i) p = step_into(p, term.steps[i]);
        if (p) v = Value::of_json(p);
      }
      break;
    case Expression::Root::kTopic:
      v = Value::of_view(m.topic);
      break;
    case Expression::Root::kTitle:
      v = Value::of_view(m.topic_suffix);
      break;
    case Expression::Root::kEnv:
      v = Value::of_view(m.topic_env);
      break;
    case Expression::Root::kCategory:
      v = Value::of_view(category_of(m.topic_suffix));
      break;
    case Expression::Root::kUsername:
      if (!m.username.empty()) v = Value::of_view(m.username);
      break;
    case Expression::Root::kMsgId:
      if (!m.msg_id.empty()) v = Value::of_view(m.msg_id);
      break;
    case Expression::Root::kLiteral:
      v = Value::of_view(term.literal.text);
      break;
    case Expression::Root::kVariable:
      v = eval_variable(*term.variable, ctx);
      break;
  }
  return v;
}

bool equals(const Value& v, const Literal& lit) {
  switch (lit.kind) {
    case Literal::Kind::kNull:
      return v.is_null();
    case Literal::Kind::kTrue:
    case Literal::Kind::kFalse: {
      bool want = lit.kind == Literal::Kind::kTrue;
      if (v.kind == Value::Kind::kBool) return v.flag == want;
      return v.kind == Value::Kind::kJson && v.json->IsBool() && v.json->GetBool() == want;
    }
    case Literal::Kind::kNumber:
      if (v.kind == Value::Kind::kJson && v.json->IsNumber()) {
        return v.json->GetDouble() == static_cast<double>(lit.number);
      }
      return v.is_text() && v.str() == lit.text;
    case Literal::Kind::kText:
      return v.is_text() && v.str() == lit.text;
  }
  return false;
}

}  // namespace

Result<Expression> Expression::compile(std::string_view text, const Scope& scope) {
  return Parser(text, scope).expression_only();
}

Value Expression::eval(const EvalContext& ctx) const {
  Value v;
  for (size_t i = 0; i < alternatives_.size(); ++i) {
    v = eval_term(alternatives_[i], ctx);
    if (i + 1 == alternatives_.size()) break;
    bool skip = alternatives_[i + 1].skip_falsy ? !v.truthy() : v.is_missing() || v.is_null();
    if (!skip) break;
  }
  for (const HelperCall& call : helpers_) v = apply_helper(call, v, ctx);
  if (fallback_ && (fallback_on_falsy_ ? !v.truthy() : v.is_missing() || v.is_null())) {
    return fallback_->eval(ctx);
  }
  return v;
}

Result<Condition> Condition::compile(std::string_view text, const Scope& scope) {
  return Parser(text, scope).condition_only();
}

bool Condition::eval(const EvalContext& ctx) const {
  for (const std::vector<Test>& all_of : any_of_) {
    bool all = true;
    for (const Test& test : all_of) {
      Value v = test.expr.eval(ctx);
      bool holds = test.op == Test::Op::kTruthy  ? v.truthy()
                   : test.op == Test::Op::kEqual ? equals(v, test.rhs)
                                                 : !equals(v, test.rhs);
      if (holds == test.negate) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

std::string_view category_of(std::string_view topic_suffix) {
  return topic_suffix.substr(0, topic_suffix.find('.'));
}

}  // namespace fmn::meta
