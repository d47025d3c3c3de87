#include "web/check_api.h"

#include "core/diagnostic.h"
#include "web/json_body.h"

namespace fmn::web {

UserRuleCheck check_for_user(const dsl::StoredRuleResult& result,
                             const std::vector<std::string>& list_names) {
  UserRuleCheck out{.diagnostics = dsl::diagnostics_for_user(result, list_names)};
  // Compiled, and no list it reads is unknown (each unknown one added an error).
  out.ok = result.rule != nullptr && out.diagnostics.size() == result.diagnostics.size();
  return out;
}

void write_check_result(JsonWriter& w, const UserRuleCheck& check) {
  w.Key("ok");
  w.Bool(check.ok);
  w.Key("diagnostics");
  w.StartArray();
  for (const Diagnostic& d : check.diagnostics) {
    const std::string object = render_json(d);
    w.RawValue(object.data(), object.size(), rapidjson::kObjectType);
  }
  w.EndArray();
}

HttpResponse check_rule(dsl::RuleCompiler& compiler, const std::vector<std::string>& list_names,
                        const HttpRequest& request) {
  auto body = parse_json_object(request.body);
  if (!body) return json_error(400, body.error().message);
  auto source = string_member(*body, "source");
  if (!source) return json_error(400, source.error().message);
  if (!source->has_value()) return json_error(400, "source is missing");
  const auto result = compiler.compile(**source);
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  write_check_result(w, check_for_user(*result, list_names));
  w.EndObject();
  return {200, "application/json", buffer.GetString(), {}};
}

}  // namespace fmn::web
