// Notifications as bytes, for durable pending digests: a compact JSON object holding what
// rendering needs (envelope: topic, msg_id, timestamp; meta; user, rule, destination). The
// message body is not kept: templates do not read it.
//
// decode(encode(n)) renders exactly like n. Pure functions; thread-safe; decode never throws.
#pragma once

#include <string>
#include <string_view>

#include "core/notification.h"
#include "core/result.h"

namespace fmn::sinks {

void encode_notification(const Notification& n, std::string& out);
Result<Notification> decode_notification(std::string_view bytes);

// The identity used to deliver a message at most once to a destination: kind, address and
// msg_id (or, for the rare message without one, its topic, timestamp and subtitle).
std::string delivery_id(const Notification& n);

}  // namespace fmn::sinks
