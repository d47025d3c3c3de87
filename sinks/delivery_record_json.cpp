#include "sinks/delivery_record_json.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <utility>

namespace fmn::sinks {
namespace {

// The string members, in the order they are written.
constexpr std::array<std::pair<const char*, std::string DeliveryRecord::*>, 8> kStrings{{
    {"user", &DeliveryRecord::user},
    {"kind", &DeliveryRecord::kind},
    {"address", &DeliveryRecord::address},
    {"rule", &DeliveryRecord::rule},
    {"msg_id", &DeliveryRecord::msg_id},
    {"topic", &DeliveryRecord::topic},
    {"subtitle", &DeliveryRecord::subtitle},
    {"detail", &DeliveryRecord::detail},
}};

}  // namespace

std::string delivery_record_json(const DeliveryRecord& record) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("at_ms");
  w.Int64(record.at_ms);
  w.Key("status");
  const std::string_view status = delivery_status_name(record.status);
  w.String(status.data(), static_cast<rapidjson::SizeType>(status.size()));
  for (const auto& [name, member] : kStrings) {
    w.Key(name);
    const std::string& value = record.*member;
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  }
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

Result<DeliveryRecord> parse_delivery_record(std::string_view json) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError() || !d.IsObject()) {
    return Error{ErrorCode::kMalformedJson, "a delivery record is not a JSON object"};
  }
  DeliveryRecord record;
  const auto at = d.FindMember("at_ms");
  if (at != d.MemberEnd() && at->value.IsInt64()) record.at_ms = at->value.GetInt64();
  const auto status = d.FindMember("status");
  std::optional<DeliveryStatus> parsed;
  if (status != d.MemberEnd() && status->value.IsString()) {
    parsed = parse_delivery_status(
        std::string_view(status->value.GetString(), status->value.GetStringLength()));
  }
  if (!parsed) return Error{ErrorCode::kMalformedJson, "a delivery record has no known status"};
  record.status = *parsed;
  for (const auto& [name, member] : kStrings) {
    const auto m = d.FindMember(name);
    if (m != d.MemberEnd() && m->value.IsString()) {
      record.*member = std::string(m->value.GetString(), m->value.GetStringLength());
    }
  }
  return record;
}

}  // namespace fmn::sinks
