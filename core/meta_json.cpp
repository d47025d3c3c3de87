// meta_to_json() of core/meta_extractor.h: the line `fmn-rulec meta` prints.

#include "core/json_writer.h"
#include "core/meta_extractor.h"

namespace fmn {
namespace {

void write_string(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void write_optional(JsonWriter& w, const char* key, const std::optional<std::string>& v) {
  w.Key(key);
  if (v) {
    write_string(w, *v);
  } else {
    w.Null();
  }
}

void write_list(JsonWriter& w, const char* key, const std::vector<std::string>& items) {
  w.Key(key);
  w.StartArray();
  for (const std::string& item : items) write_string(w, item);
  w.EndArray();
}

}  // namespace

std::string meta_to_json(const Meta& meta) {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("category");
  if (meta.category.empty()) {
    w.Null();
  } else {
    write_string(w, meta.category);
  }
  write_list(w, "usernames", meta.usernames);
  write_list(w, "packages", meta.packages);
  write_optional(w, "agent", meta.agent);
  write_list(w, "objects", meta.objects);
  write_optional(w, "link", meta.link);
  write_optional(w, "subtitle", meta.subtitle);
  w.Key("title");
  write_string(w, meta.title);
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace fmn
