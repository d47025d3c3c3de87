#include "web/check_api.h"

#include <algorithm>

#include "core/diagnostic.h"
#include "web/json_body.h"

namespace fmn::web {

UserRuleCheck check_for_user(const dsl::StoredRuleResult& result,
                             std::span<const dsl::ListEntries> lists) {
  UserRuleCheck out{.diagnostics = dsl::diagnostics_for_user(result, lists)};
  out.ok = result.rule != nullptr &&
           std::none_of(out.diagnostics.begin(), out.diagnostics.end(),
                        [](const Diagnostic& d) { return d.severity == Severity::kError; });
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

HttpResponse check_rule(dsl::RuleCompiler& compiler, std::span<const dsl::ListEntries> lists,
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
  write_check_result(w, check_for_user(*result, lists));
  w.EndObject();
  return {200, "application/json", buffer.GetString(), {}};
}

}  // namespace fmn::web
