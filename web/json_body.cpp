#include "web/json_body.h"

#include <rapidjson/error/en.h>

namespace fmn::web {

Result<rapidjson::Document> parse_json_object(std::string_view body) {
  rapidjson::Document document;
  document.Parse(body.data(), body.size());
  if (document.HasParseError()) {
    return Error{ErrorCode::kMalformedJson,
                 std::string("the body is not JSON: ") +
                     rapidjson::GetParseError_En(document.GetParseError())};
  }
  if (!document.IsObject())
    return Error{ErrorCode::kMalformedJson, "the body must be a JSON object"};
  return document;
}

Result<std::optional<std::string>> string_member(const rapidjson::Value& object, const char* key) {
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd()) return std::optional<std::string>();
  if (!it->value.IsString())
    return Error{ErrorCode::kMalformedJson, std::string(key) + " must be a string"};
  return std::optional<std::string>(
      std::string(it->value.GetString(), it->value.GetStringLength()));
}

Result<std::optional<bool>> bool_member(const rapidjson::Value& object, const char* key) {
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd()) return std::optional<bool>();
  if (!it->value.IsBool())
    return Error{ErrorCode::kMalformedJson, std::string(key) + " must be true or false"};
  return std::optional<bool>(it->value.GetBool());
}

}  // namespace fmn::web
