#include "core/envelope_writer.h"

#include "core/json_writer.h"

namespace fmn {
namespace {

void write_text(JsonWriter& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

}  // namespace

std::string write_envelope(const Message& m) {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  write_text(w, "topic", m.topic);
  if (!m.msg_id.empty()) write_text(w, "msg_id", m.msg_id);
  if (m.timestamp) {
    w.Key("timestamp");
    w.Double(*m.timestamp);
  }
  if (m.seq) {
    w.Key("i");
    w.Int64(*m.seq);
  }
  if (!m.username.empty()) write_text(w, "username", m.username);
  if (!m.crypto.empty()) write_text(w, "crypto", m.crypto);
  if (!m.signature.empty()) write_text(w, "signature", m.signature);
  if (!m.certificate.empty()) write_text(w, "certificate", m.certificate);
  if (m.headers != nullptr) {
    w.Key("headers");
    m.headers->Accept(w);
  }
  w.Key("msg");
  if (m.body != nullptr) {
    m.body->Accept(w);
  } else {
    w.Null();
  }
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace fmn
