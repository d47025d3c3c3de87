// One DeliveryRecord as a JSON object, the form it has in Redis and in GET /api/v1/history:
//   {"at_ms":…, "user":…, "kind":…, "address":…, "rule":…, "msg_id":…, "topic":…,
//    "subtitle":…, "status":"sent"|"pending_digest"|"failed"|"dead_lettered"|"muted", "detail":…}
// Parsing accepts any object with those members (missing strings empty); anything else is
// kMalformedJson.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "sinks/delivery_history.h"

namespace fmn::sinks {

std::string delivery_record_json(const DeliveryRecord& record);
Result<DeliveryRecord> parse_delivery_record(std::string_view json);

}  // namespace fmn::sinks
