// A fedora-messaging delivery turned into the parsed message the pipeline reads, and back.
//
// fedora-messaging publishes on AMQP: the routing key is the topic, the `message_id` property
// the id, the `sent-at` header (ISO 8601) the time, and the body is the message itself (what
// fedmsg called `msg`). Headers such as `fedora_messaging_user_<name>` and
// `fedora_messaging_severity` travel along in the message's `headers` object, where the meta
// extraction reads them. A delivery with a body that is not JSON in UTF-8, or a
// `content_encoding` other than UTF-8, is poison: it can never be processed, so the caller
// rejects it without requeueing. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/envelope_parser.h"
#include "core/message.h"
#include "core/result.h"

namespace fmn::bus {

// An AMQP table value, as far as fedora-messaging uses them.
using AmqpHeaderValue = std::variant<bool, int64_t, double, std::string_view>;

// A delivery's parts, viewing bytes someone else owns: the client library's frame buffers when
// consuming, an AmqpDeliveryText when publishing.
struct AmqpDelivery {
  std::string_view routing_key;
  std::string_view message_id;        // empty when the property is absent
  std::string_view content_encoding;  // empty when absent (fedora-messaging: "utf-8")
  std::optional<int64_t> timestamp;   // the AMQP `timestamp` property, seconds
  std::vector<std::pair<std::string_view, AmqpHeaderValue>> headers;
  std::string_view body;
};

// The delivery as a message: topic, msg_id, timestamp (sent-at, else the timestamp property),
// `headers` and the body as `msg`, laid out as parse_envelope() lays out a fedmsg envelope, the
// body parsed once, in situ, with the same checks. The message owns copies of every byte it
// views. The meta is left for the meta extractor. Errors, saying why the delivery is poison:
// kBadEnvelope (encoding), kMalformedJson, kTooLarge.
Result<std::shared_ptr<Message>> fedora_message(const AmqpDelivery& delivery,
                                                const ParseOptions& options = {});

// The bytes a published delivery's views point at.
struct AmqpDeliveryText {
  std::string body;
  std::deque<std::string> texts;  // header names and values; a deque keeps them in place
};

// The other way, for publishing: a parsed fedmsg message as fedora-messaging would send it.
// Routing key = topic, message_id = msg_id, the body is `msg`, headers fedora_messaging_schema
// ("base.message"), sent-at (from the timestamp, else now), fedora_messaging_severity (the
// message's own, else INFO) and one fedora_messaging_user_/rpm_/container_/module_/flatpak_<name>
// per entry of the meta lists. The result views `m` and `text`, which must outlive it.
// REQUIRES: `m` parsed and its meta extracted.
AmqpDelivery fedora_messaging_of(const Message& m, AmqpDeliveryText& text);

// ISO 8601 in UTC with microseconds, as fedora-messaging writes sent-at.
std::string format_iso8601(double seconds);

// Seconds since the epoch for an ISO 8601 date-time with an optional fraction and offset
// ("2024-05-01T12:00:00.5+02:00", "...Z"); no offset means UTC. nullopt when malformed.
std::optional<double> parse_iso8601(std::string_view text);

}  // namespace fmn::bus
