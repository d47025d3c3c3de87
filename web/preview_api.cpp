#include "web/preview_api.h"

#include <algorithm>

#include "dsl/interpreter.h"
#include "web/check_api.h"
#include "web/json_body.h"

namespace fmn::web {
namespace {

constexpr size_t kDefaultLimit = 50;
constexpr size_t kMaxLimit = 500;

void write_message(JsonWriter& w, const sinks::RecentMessage& r) {
  const Message& m = *r.message;
  m.complete_meta(kDisplayMetaFields);  // the pipeline's messages get it only once needed
  w.StartObject();
  w.Key("msg_id");
  write_string(w, m.msg_id);
  w.Key("time");
  w.Double(m.timestamp ? *m.timestamp
                       : std::chrono::duration<double>(r.received.time_since_epoch()).count());
  w.Key("topic");
  write_string(w, m.topic);
  w.Key("summary");
  write_string(w, m.meta.subtitle.value_or(""));
  w.Key("link");
  write_string(w, m.meta.link.value_or(""));
  w.EndObject();
}

}  // namespace

PreviewMatches match_recent(const dsl::CompiledRule& rule, const dsl::UserParams& params,
                            const std::vector<sinks::RecentMessage>& messages, size_t max_listed) {
  PreviewMatches out;
  out.scanned = messages.size();
  for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
    if (!dsl::evaluate(rule, *it->message, params)) continue;
    if (++out.matched <= max_listed) out.newest.push_back(&*it);
  }
  return out;
}

HttpResponse preview_rule(dsl::RuleCompiler& compiler, const sinks::RecentMessages& recent,
                          const dsl::UserParams& params, const HttpRequest& request,
                          std::chrono::system_clock::time_point now) {
  auto body = parse_json_object(request.body);
  if (!body) return json_error(400, body.error().message);
  auto source = string_member(*body, "source");
  if (!source) return json_error(400, source.error().message);
  if (!source->has_value()) return json_error(400, "source is missing");
  size_t limit = kDefaultLimit;
  if (body->HasMember("limit")) {
    const rapidjson::Value& value = (*body)["limit"];
    if (!value.IsUint() || value.GetUint() > kMaxLimit) {
      return json_error(400,
                        "limit: expected a whole number from 0 to " + std::to_string(kMaxLimit));
    }
    limit = value.GetUint();
  }
  const auto checked = compiler.compile(**source);
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  write_check_result(w, check_for_user(*checked, dsl::list_entries(params)));
  if (checked->rule != nullptr) {
    const std::vector<sinks::RecentMessage> messages = recent.snapshot(now);
    const PreviewMatches found = match_recent(*checked->rule, params, messages, limit);
    w.Key("scanned");
    w.Uint64(found.scanned);
    w.Key("matched");
    w.Uint64(found.matched);
    w.Key("messages");
    w.StartArray();
    for (const sinks::RecentMessage* r : found.newest) write_message(w, *r);
    w.EndArray();
  }
  w.EndObject();
  return {200, "application/json", buffer.GetString(), {}};
}

}  // namespace fmn::web
