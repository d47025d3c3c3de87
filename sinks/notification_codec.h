// Notifications as bytes, for durable pending digests: a compact JSON object holding what
// rendering needs (envelope: topic, msg_id, timestamp; meta; user, rule, destination). The
// message body is not kept: templates do not read it.
//
// Display texts (subtitle, link, agent) longer than a rendering shows (kMaxFieldBytes,
// renderer.h) are not kept whole, so a stored notification does not copy a message's long texts
// (the lists of usernames and packages are kept whole: events carry them whole).
// decode(encode(n)) still renders exactly like n; its message is marked `redelivered` (it was
// stored, so it may have been delivered before). Pure functions; thread-safe; decode never
// throws.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/notification.h"
#include "core/result.h"

namespace fmn::sinks {

void encode_notification(const Notification& n, std::string& out);
Result<Notification> decode_notification(std::string_view bytes);

// A batch, one record per notification, in a compact form that needs no JSON and no escaping
// (notification_codec.cpp describes it); a notification about the same message as the one
// before it keeps only its recipient (user, rule, address, kind, digest policy with its window),
// so a message matched for many users is written once and each further user costs a few dozen
// bytes. decode_notifications(encode) gives the batch back, sharing the messages; it also reads
// batches written in the older form (a JSON object per message).
void encode_notifications(std::span<const Notification> batch, std::string& out);
Result<std::vector<Notification>> decode_notifications(std::string_view bytes);

// The identity used to deliver a message at most once to a destination: kind, address and
// msg_id (or, for the rare message without one, its topic, timestamp and subtitle).
std::string delivery_id(const Notification& n);

}  // namespace fmn::sinks
