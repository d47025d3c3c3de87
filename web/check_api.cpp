#include "web/check_api.h"

#include "dsl/diagnostic_codes.h"
#include "web/json_body.h"

namespace fmn::web {

UserRuleCheck check_for_user(const dsl::StoredRuleResult& result,
                             const std::vector<std::string>& list_names) {
  UserRuleCheck out{result.rule != nullptr, result.diagnostics};
  if (!result.lists.empty()) {
    for (dsl::RuleDiagnostic& d : dsl::unknown_lists(result, list_names)) {
      out.ok = false;
      out.diagnostics.push_back(std::move(d));
    }
  }
  return out;
}

void write_check_result(JsonWriter& w, const UserRuleCheck& check) {
  w.Key("ok");
  w.Bool(check.ok);
  w.Key("diagnostics");
  w.StartArray();
  for (const dsl::RuleDiagnostic& d : check.diagnostics) {
    const dsl::CodeInfo& info = dsl::code_info(d.code);
    w.StartObject();
    w.Key("line");
    w.Uint(d.line);
    w.Key("column");
    w.Uint(d.column);
    w.Key("end_line");
    w.Uint(d.end_line);
    w.Key("end_column");
    w.Uint(d.end_column);
    w.Key("severity");
    write_string(w, severity_name(info.severity));
    w.Key("code");
    write_string(w, info.id);
    w.Key("message");
    write_string(w, d.message);
    w.Key("hint");
    write_string(w, d.hint);
    w.EndObject();
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
