#include "web/rules_api.h"

#include <algorithm>

#include "core/query_string.h"
#include "prefs/dsl_rule_validator.h"
#include "web/check_api.h"
#include "web/destinations_api.h"
#include "web/json_body.h"

namespace fmn::web {
namespace {

void write_rule(JsonWriter& w, const prefs::Rule& rule) {
  w.StartObject();
  w.Key("name");
  write_string(w, rule.name);
  w.Key("source");
  write_string(w, rule.source.str());
  w.Key("enabled");
  w.Bool(rule.enabled);
  w.Key("deliveries");
  w.StartArray();
  for (const prefs::Delivery& d : rule.deliveries) {
    w.StartObject();
    w.Key("destination");
    write_string(w, d.destination);
    w.Key("every_seconds");
    w.Uint(d.digest.every_seconds);
    w.Key("count");
    w.Uint(d.digest.count);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

HttpResponse list(const prefs::User& user, std::string_view sse_url) {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("user");
  write_string(w, user.name);
  w.Key("rules");
  w.StartArray();
  for (const prefs::Rule& rule : user.rules) write_rule(w, rule);
  w.EndArray();
  w.Key("destinations");
  w.StartArray();
  for (const prefs::Destination& d : user.destinations) write_destination(w, d, sse_url);
  w.EndArray();
  w.EndObject();
  return {200, "application/json", buffer.GetString(), {}};
}

HttpResponse one_rule(int status, const prefs::Rule& rule) {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  write_rule(w, rule);
  return {status, "application/json", buffer.GetString(), {}};
}

// Reads "deliveries": [{"destination": name, "every_seconds"?: n, "count"?: n}].
Result<std::vector<prefs::Delivery>> read_deliveries(const rapidjson::Value& array) {
  if (!array.IsArray()) return Error{ErrorCode::kMalformedJson, "deliveries must be an array"};
  std::vector<prefs::Delivery> out;
  for (const auto& item : array.GetArray()) {
    if (!item.IsObject()) {
      return Error{ErrorCode::kMalformedJson, "each delivery must be an object"};
    }
    auto destination = string_member(item, "destination");
    if (!destination || !destination->has_value()) {
      return Error{ErrorCode::kMalformedJson, "each delivery needs a destination (a string)"};
    }
    prefs::Delivery d;
    d.destination = **destination;
    for (auto [key, field] : {std::pair{"every_seconds", &prefs::DigestPolicy::every_seconds},
                              std::pair{"count", &prefs::DigestPolicy::count}}) {
      const auto it = item.FindMember(key);
      if (it == item.MemberEnd()) continue;
      if (!it->value.IsUint()) {
        return Error{ErrorCode::kMalformedJson, std::string(key) + " must be a whole number"};
      }
      d.digest.*field = it->value.GetUint();
    }
    out.push_back(std::move(d));
  }
  return out;
}

// Applies the members of `body` to `rule`; an error response when one is malformed or the
// source does not compile.
std::optional<HttpResponse> apply(const rapidjson::Value& body, dsl::RuleCompiler& compiler,
                                  const prefs::User& user, prefs::Rule& rule) {
  auto name = string_member(body, "name");
  auto source = string_member(body, "source");
  auto enabled = bool_member(body, "enabled");
  for (const Error* e : {name ? nullptr : &name.error(), source ? nullptr : &source.error(),
                         enabled ? nullptr : &enabled.error()}) {
    if (e != nullptr) return json_error(400, e->message);
  }
  if (name->has_value()) rule.name = **name;
  if (enabled->has_value()) rule.enabled = **enabled;
  if (source->has_value()) {
    const UserRuleCheck check =
        check_for_user(*compiler.compile(**source), prefs::list_entries(user));
    if (!check.ok) {
      JsonBuffer buffer;
      JsonWriter w(buffer);
      w.StartObject();
      w.Key("error");
      w.String("the rule does not compile");
      write_check_result(w, check);
      w.EndObject();
      return HttpResponse{422, "application/json", buffer.GetString(), {}};
    }
    rule.source = std::string(**source);
  }
  const auto deliveries = body.FindMember("deliveries");
  if (deliveries != body.MemberEnd()) {
    auto read = read_deliveries(deliveries->value);
    if (!read) return json_error(400, read.error().message);
    rule.deliveries = std::move(read).value();
  }
  return std::nullopt;
}

// Stores `user`; nullopt when it was stored, else the answer saying why not.
std::optional<HttpResponse> save(prefs::PreferenceStore& store, const prefs::User& user) {
  prefs::Status stored = store.put_user(user);
  if (stored) return std::nullopt;
  if (stored.error().code == ErrorCode::kInvalidConfig) {
    return json_error(422, stored.error().message);
  }
  return json_error(503, "the preferences store is not available");
}

// POST /order {"names": [...]}: the rules in that order, each named exactly once.
HttpResponse reorder(prefs::PreferenceStore& store, prefs::User& user, std::string_view sse_url,
                     const HttpRequest& request) {
  auto body = parse_json_object(request.body);
  if (!body) return json_error(400, body.error().message);
  const auto names = body->FindMember("names");
  if (names == body->MemberEnd() || !names->value.IsArray()) {
    return json_error(400, "names must be an array of rule names");
  }
  std::vector<prefs::Rule> ordered;
  for (const auto& name : names->value.GetArray()) {
    if (!name.IsString()) return json_error(400, "names must be an array of rule names");
    const std::string_view wanted(name.GetString(), name.GetStringLength());
    auto it = std::find_if(user.rules.begin(), user.rules.end(),
                           [&](const prefs::Rule& r) { return r.name == wanted; });
    if (it == user.rules.end()) {
      return json_error(422, "names must list each of your rules once: " + std::string(wanted) +
                                 " is not one of them, or is listed twice");
    }
    ordered.push_back(std::move(*it));
    user.rules.erase(it);
  }
  if (!user.rules.empty()) {
    return json_error(
        422, "names must list each of your rules once: " + user.rules[0].name + " is missing");
  }
  user.rules = std::move(ordered);
  if (auto refused = save(store, user)) return *refused;
  return list(user, sse_url);
}

}  // namespace

HttpResponse rules_api(prefs::PreferenceStore& store, dsl::RuleCompiler& compiler,
                       std::string_view sse_url, std::string_view user_name, std::string_view rest,
                       const HttpRequest& request) {
  auto loaded = store.load_user(user_name);
  if (!loaded) return json_error(503, "the preferences store is not available");
  if (!loaded->has_value()) return json_error(404, "no preferences for this account");
  prefs::User& user = **loaded;
  const std::string_view method = request.method;

  if (rest.empty() || rest == "/") {
    if (method == "GET") return list(user, sse_url);
    if (method != "POST") return json_error(405, "method not allowed");
    auto body = parse_json_object(request.body);
    if (!body) return json_error(400, body.error().message);
    prefs::Rule rule;
    if (auto refused = apply(*body, compiler, user, rule)) return *refused;
    if (rule.name.empty() || rule.source.str().empty()) {
      return json_error(400, "a rule needs a name and a source");
    }
    if (user.find_rule(rule.name) != nullptr) {
      return json_error(409, "a rule with this name exists");
    }
    user.rules.push_back(rule);
    if (auto refused = save(store, user)) return *refused;
    return one_rule(201, rule);
  }

  // No rule answers POST at its own path: a rule named "order" keeps its GET, PUT and DELETE.
  if (rest == "/order" && method == "POST") return reorder(store, user, sse_url, request);

  // "/<name>" or "/<name>/<action>"
  std::string_view tail = rest.substr(1);
  const size_t slash = tail.find('/');
  const std::string name = url_decode(tail.substr(0, slash));
  const std::string_view action =
      slash == std::string_view::npos ? std::string_view() : tail.substr(slash + 1);
  prefs::Rule* rule = user.find_rule(name);
  if (rule == nullptr) return json_error(404, "no such rule");

  if (action.empty() && method == "GET") return one_rule(200, *rule);
  if (action.empty() && method == "DELETE") {
    std::erase_if(user.rules, [&](const prefs::Rule& r) { return r.name == name; });
    if (auto refused = save(store, user)) return *refused;
    return {204, "application/json", "", {}};
  }
  if (action.empty() && method == "PUT") {
    auto body = parse_json_object(request.body);
    if (!body) return json_error(400, body.error().message);
    prefs::Rule edited = *rule;
    if (auto refused = apply(*body, compiler, user, edited)) return *refused;
    if (edited.name != name && user.find_rule(edited.name) != nullptr) {
      return json_error(409, "a rule with this name exists");
    }
    *rule = edited;
    if (auto refused = save(store, user)) return *refused;
    return one_rule(200, edited);
  }
  if ((action == "enable" || action == "disable") && method == "POST") {
    rule->enabled = action == "enable";
    const prefs::Rule changed = *rule;
    if (auto refused = save(store, user)) return *refused;
    return one_rule(200, changed);
  }
  return json_error(405, "method not allowed");
}

}  // namespace fmn::web
