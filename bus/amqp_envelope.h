// A fedora-messaging delivery turned into the fedmsg envelope the parser reads.
//
// fedora-messaging publishes on AMQP: the routing key is the topic, the `message_id` property
// the id, the `sent-at` header (ISO 8601) the time, and the body is the message itself (what
// fedmsg called `msg`). Headers such as `fedora_messaging_user_<name>` and
// `fedora_messaging_severity` travel along in the envelope's `headers` object, where the meta
// extraction reads them. A delivery with a body that is not JSON in UTF-8, or a
// `content_encoding` other than UTF-8, is poison: it can never be processed, so the caller
// rejects it without requeueing. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/message.h"
#include "core/result.h"

namespace fmn::bus {

// An AMQP table value, as far as fedora-messaging uses them.
using AmqpHeaderValue = std::variant<bool, int64_t, double, std::string>;

struct AmqpDelivery {
  std::string routing_key;
  std::string message_id;            // empty when the property is absent
  std::string content_encoding;      // empty when absent (fedora-messaging: "utf-8")
  std::optional<int64_t> timestamp;  // the AMQP `timestamp` property, seconds
  std::vector<std::pair<std::string, AmqpHeaderValue>> headers;
  std::string_view body;
};

// The envelope as JSON text ({"topic", "msg_id", "timestamp", "headers", "msg"}), or
// kMalformedJson / kBadEnvelope saying why the delivery is poison.
Result<std::string> fedmsg_envelope(const AmqpDelivery& delivery);

// The other way, for publishing: a parsed fedmsg message as fedora-messaging would send it.
// Routing key = topic, message_id = msg_id, the body is `msg` (written into `body`, which the
// result's body views), headers fedora_messaging_schema ("base.message"), sent-at (from the
// timestamp, else now), fedora_messaging_severity (the message's own, else INFO) and one
// fedora_messaging_user_/rpm_/container_/module_/flatpak_<name> per entry of the meta lists.
// REQUIRES: `m` parsed and its meta extracted.
AmqpDelivery fedora_messaging_of(const Message& m, std::string& body);

// ISO 8601 in UTC with microseconds, as fedora-messaging writes sent-at.
std::string format_iso8601(double seconds);

// Seconds since the epoch for an ISO 8601 date-time with an optional fraction and offset
// ("2024-05-01T12:00:00.5+02:00", "...Z"); no offset means UTC. nullopt when malformed.
std::optional<double> parse_iso8601(std::string_view text);

}  // namespace fmn::bus
