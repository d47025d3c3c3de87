#include "web/check_api.h"

#include "core/diagnostic.h"
#include "web/json_body.h"

namespace fmn::web {

void write_check_result(JsonWriter& w, const dsl::StoredRuleResult& result) {
  w.Key("ok");
  w.Bool(result.rule != nullptr);
  w.Key("diagnostics");
  w.StartArray();
  for (const Diagnostic& d : result.diagnostics) {
    const std::string object = render_json(d);
    w.RawValue(object.data(), object.size(), rapidjson::kObjectType);
  }
  w.EndArray();
}

HttpResponse check_rule(dsl::RuleCompiler& compiler, const HttpRequest& request) {
  auto body = parse_json_object(request.body);
  if (!body) return json_error(400, body.error().message);
  auto source = string_member(*body, "source");
  if (!source) return json_error(400, source.error().message);
  if (!source->has_value()) return json_error(400, "source is missing");
  const auto result = compiler.compile(**source);
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  write_check_result(w, *result);
  w.EndObject();
  return {200, "application/json", buffer.GetString(), {}};
}

}  // namespace fmn::web
