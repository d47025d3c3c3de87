// Request bodies in JSON: parsed with RapidJSON into a Document whose root must be an object,
// and typed reads of its members that say what was wrong, for a 400 answer. Thread-compatible.
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/json_writer.h"
#include "core/result.h"

namespace fmn::web {

// The body as a JSON object, or a message saying why it is not one.
Result<rapidjson::Document> parse_json_object(std::string_view body);

// Member `key` of `object` as a string / bool: nullopt when absent, an error when of another type.
Result<std::optional<std::string>> string_member(const rapidjson::Value& object, const char* key);
Result<std::optional<bool>> bool_member(const rapidjson::Value& object, const char* key);

// Writes `text` as a JSON string.
inline void write_string(JsonWriter& w, std::string_view text) {
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

}  // namespace fmn::web
