// meta_to_json() of core/meta_extractor.h: the line `fmn-rulec meta` prints.

#include "core/json_writer.h"
#include "core/meta_extractor.h"

namespace fmn {
namespace {

// A meta field's value, by the type of its member (core/message_fields.def).
void write(JsonWriter& w, std::string_view s) {
  if (s.empty()) {
    w.Null();  // missing, as rules see it
  } else {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  }
}
void write(JsonWriter& w, const std::string& s) { write(w, std::string_view(s)); }
void write(JsonWriter& w, const std::optional<std::string>& v) {
  if (v) {
    w.String(v->data(), static_cast<rapidjson::SizeType>(v->size()));
  } else {
    w.Null();
  }
}
void write(JsonWriter& w, const std::vector<std::string>& items) {
  w.StartArray();
  for (const std::string& item : items) {
    w.String(item.data(), static_cast<rapidjson::SizeType>(item.size()));
  }
  w.EndArray();
}
void write(JsonWriter& w, const std::optional<int>& n) {
  if (n) {
    w.Int(*n);
  } else {
    w.Null();
  }
}

}  // namespace

std::string meta_to_json(const Meta& meta) {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
#define FMN_META_FIELD(Id, member, doc) \
  w.Key(#member);                       \
  write(w, meta.member);
#include "core/message_fields.def"
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace fmn
