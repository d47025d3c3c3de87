// Reading the provider's JSON documents (discovery, JWKS, token answer, ID-token header and
// claims): each must be one object; members are read by type, a wrong type counting as absent.
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace fmn::oidc {

// An Error (kMalformedJson) naming `what` unless `text` is a JSON object.
Result<rapidjson::Document> parse_json_object(std::string_view text, std::string_view what);

std::optional<std::string> string_member(const rapidjson::Value& object, const char* name);
// Integral or floating-point numbers, truncated to whole seconds (NumericDate, RFC 7519 §2).
std::optional<int64_t> seconds_member(const rapidjson::Value& object, const char* name);

}  // namespace fmn::oidc
