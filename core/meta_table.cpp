#include "core/meta_table.h"

#include <toml++/toml.h>

namespace fmn::meta {
namespace {

Error config_error(std::string what) { return {ErrorCode::kInvalidConfig, std::move(what)}; }

std::optional<std::string> check_pattern(std::string_view pattern) {
  if (pattern.empty()) return "empty topic pattern";
  size_t start = 0;
  while (true) {
    size_t dot = pattern.find('.', start);
    std::string_view part = pattern.substr(start, dot - start);
    bool last = dot == std::string_view::npos;
    if (part.empty()) return "empty part in topic pattern '" + std::string(pattern) + "'";
    if (part == "**" && !last) return "'**' must end the pattern '" + std::string(pattern) + "'";
    if (part != "*" && part != "**" && part.find('*') != std::string_view::npos) {
      return "'*' must be a whole part in '" + std::string(pattern) + "'";
    }
    if (last) return std::nullopt;
    start = dot + 1;
  }
}

// Reads a field's value: a string, a list of strings, or false.
std::optional<std::string> compile_field(const toml::node& node, Rule::FieldDef& def,
                                         const Scope& scope) {
  def.defined = true;
  std::vector<std::string_view> texts;
  if (auto b = node.as_boolean()) {
    if (b->get()) return "true is not a value; write a template or false";
    return std::nullopt;
  }
  if (auto s = node.as_string()) {
    texts.push_back(s->get());
  } else if (auto a = node.as_array()) {
    for (const toml::node& item : *a) {
      auto s = item.as_string();
      if (!s) return "expected a list of strings";
      texts.push_back(s->get());
    }
  } else {
    return "expected a string, a list of strings or false";
  }
  for (std::string_view text : texts) {
    auto t = Template::compile(text, scope);
    if (!t) return t.error().message;
    def.templates.push_back(std::move(t).value());
  }
  return std::nullopt;
}

std::optional<std::string> compile_maps(const toml::table& maps_node, Scope& scope) {
  for (const auto& [name, node] : maps_node) {
    auto table = node.as_table();
    if (!table) return "maps." + std::string(name.str()) + ": expected a table";
    StringMap& map = scope.maps[std::string(name.str())];
    for (const auto& [key, value] : *table) {
      auto s = value.as_string();
      if (!s)
        return "maps." + std::string(name.str()) + "." + std::string(key.str()) +
               ": expected a string";
      map.emplace(std::string(key.str()), s->get());
    }
  }
  return std::nullopt;
}

std::optional<std::string> compile_choice(const toml::node& node, const Scope& scope,
                                          Variable& var) {
  Variable::Choice choice;
  std::string_view value;
  if (auto s = node.as_string()) {
    value = s->get();
  } else if (auto t = node.as_table()) {
    for (const auto& [key, item] : *t) {
      if (key.str() != "when" && key.str() != "value") {
        return "unknown key '" + std::string(key.str()) + "'";
      }
    }
    auto v = (*t)["value"].as_string();
    if (!v) return std::string("value: expected a template");
    value = v->get();
    if (auto w = (*t)["when"]) {
      auto text = w.as_string();
      if (!text) return std::string("when: expected a string");
      auto c = Condition::compile(text->get(), scope);
      if (!c) return "when: " + c.error().message;
      choice.when = std::move(c).value();
    }
  } else {
    return std::string("expected a template or {when, value}");
  }
  auto t = Template::compile(value, scope);
  if (!t) return t.error().message;
  var.choices.push_back({std::move(choice.when), std::move(t).value()});
  return std::nullopt;
}

std::optional<std::string> compile_var(std::string_view name, const toml::node& node,
                                       Scope& scope) {
  std::string where = "vars." + std::string(name) + ": ";
  if (scope.vars.count(std::string(name))) return where + "defined twice";
  auto var = std::make_unique<Variable>();
  if (auto a = node.as_array()) {
    for (const toml::node& item : *a) {
      if (auto problem = compile_choice(item, scope, *var)) return where + *problem;
    }
  } else if (auto problem = compile_choice(node, scope, *var)) {
    return where + *problem;
  }
  scope.vars.emplace(std::string(name), std::move(var));
  return std::nullopt;
}

// A variable as found in a source file, before it is compiled.
struct PendingVar {
  const std::string* source;
  std::string_view name;
  const toml::node* node;
};

// A variable may use another once that one is compiled: passes repeat while they make progress,
// so definitions may come in any order and any file, and a cycle is reported as an unknown
// variable.
std::optional<std::string> compile_vars(std::vector<PendingVar> pending, Scope& scope) {
  while (!pending.empty()) {
    std::optional<std::string> first_problem;
    std::vector<PendingVar> failed;
    for (const PendingVar& var : pending) {
      if (auto problem = compile_var(var.name, *var.node, scope)) {
        if (!first_problem) first_problem = *var.source + ": " + *problem;
        failed.push_back(var);
      }
    }
    if (failed.size() == pending.size()) return first_problem;
    pending.swap(failed);
  }
  return std::nullopt;
}

std::optional<std::string> compile_rule(const toml::table& node, const Scope& scope, Rule& rule) {
  // The topic first, so errors in other keys can cite it (TOML tables iterate by key name).
  if (auto topic = node["topic"]) {
    if (auto s = topic.as_string()) {
      rule.topics.push_back(s->get());
    } else if (auto a = topic.as_array()) {
      for (const toml::node& item : *a) {
        auto s = item.as_string();
        if (!s) return "topic: expected strings";
        rule.topics.push_back(s->get());
      }
    } else {
      return "topic: expected a string or a list of strings";
    }
    for (const std::string& pattern : rule.topics) {
      if (auto problem = check_pattern(pattern)) return "topic: " + *problem;
    }
  }
  for (const auto& [key, value] : node) {
    std::string_view k = key.str();
    std::string where = std::string(k) + ": ";
    if (k == "topic") continue;
    if (k == "when") {
      auto s = value.as_string();
      if (!s) return where + "expected a string";
      auto c = Condition::compile(s->get(), scope);
      if (!c) return where + c.error().message;
      rule.when = std::move(c).value();
      continue;
    }
    size_t f = 0;
    while (f < kFieldCount && kFieldNames[f] != k) ++f;
    if (f == kFieldCount) return "unknown key '" + std::string(k) + "'";
    if (f >= kFirstListField && value.is_string()) return where + "expected a list of templates";
    if (auto problem = compile_field(value, rule.fields[f], scope)) return where + *problem;
  }
  if (rule.topics.empty()) return "missing topic";
  return std::nullopt;
}

}  // namespace

bool is_glob(std::string_view pattern) { return pattern.find('*') != std::string_view::npos; }

bool topic_matches(std::string_view pattern, std::string_view topic) {
  while (true) {
    size_t pdot = pattern.find('.'), tdot = topic.find('.');
    std::string_view part = pattern.substr(0, pdot);
    if (part == "**") return true;
    std::string_view tpart = topic.substr(0, tdot);
    if (part != "*" && part != tpart) return false;
    if (pdot == std::string_view::npos || tdot == std::string_view::npos) {
      // Both must end here, unless the pattern's rest is a lone '**' (zero parts).
      if (pdot == std::string_view::npos) return tdot == std::string_view::npos;
      return pattern.substr(pdot + 1) == "**";
    }
    pattern.remove_prefix(pdot + 1);
    topic.remove_prefix(tdot + 1);
  }
}

Result<std::unique_ptr<Table>> compile_table(std::span<const MetaTableSource> sources) {
  auto table = std::make_unique<Table>();
  std::vector<std::pair<const MetaTableSource*, toml::table>> parsed;
  for (const MetaTableSource& source : sources) {
    toml::table doc;
    try {
      doc = toml::parse(source.text, source.name);
    } catch (const toml::parse_error& e) {
      return config_error(source.name + ":" + std::to_string(e.source().begin.line) + ": " +
                          std::string(e.description()));
    }
    for (const auto& [key, node] : doc) {
      if (key.str() != "maps" && key.str() != "vars" && key.str() != "rule") {
        return config_error(source.name + ": unknown top-level key '" + std::string(key.str()) +
                            "'");
      }
    }
    // Maps first, from every source, so any rule may use any map.
    if (auto maps = doc["maps"].as_table()) {
      if (auto problem = compile_maps(*maps, table->scope)) {
        return config_error(source.name + ": " + *problem);
      }
    }
    parsed.emplace_back(&source, std::move(doc));
  }
  // Then variables, from every source, so any rule or variable may use any variable.
  std::vector<PendingVar> vars;
  for (const auto& [source, doc] : parsed) {
    if (auto defs = doc["vars"].as_table()) {
      for (const auto& [name, node] : *defs) vars.push_back({&source->name, name.str(), &node});
    }
  }
  if (auto problem = compile_vars(std::move(vars), table->scope)) return config_error(*problem);
  for (const auto& [source, doc] : parsed) {
    const toml::node_view<const toml::node> rules = doc["rule"];
    if (!rules) continue;
    auto array = rules.as_array();
    if (!array) return config_error(source->name + ": 'rule' must be an array of tables");
    size_t n = 0;
    for (const toml::node& node : *array) {
      ++n;
      Rule rule;
      rule.where = source->name + ": rule " + std::to_string(n);
      auto t = node.as_table();
      std::optional<std::string> problem =
          t ? compile_rule(*t, table->scope, rule) : std::optional<std::string>("not a table");
      if (problem) {
        std::string topic = rule.topics.empty() ? "" : " (" + rule.topics.front() + ")";
        return config_error(rule.where + topic + ": " + *problem);
      }
      table->rules.push_back(std::move(rule));
    }
  }
  return table;
}

}  // namespace fmn::meta
