#include "web/oidc/json_object.h"

#include <cmath>

namespace fmn::oidc {

Result<rapidjson::Document> parse_json_object(std::string_view text, std::string_view what) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return Error{ErrorCode::kMalformedJson, std::string(what) + " is not a JSON object"};
  }
  return doc;
}

std::optional<std::string> string_member(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::optional<int64_t> seconds_member(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsNumber()) return std::nullopt;
  if (it->value.IsInt64()) return it->value.GetInt64();
  const double d = it->value.GetDouble();
  if (!std::isfinite(d) || std::fabs(d) > 9e15) return std::nullopt;
  return static_cast<int64_t>(d);
}

}  // namespace fmn::oidc
