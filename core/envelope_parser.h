// Parses one fedmsg envelope (the JSON of a bus message or a JSON-lines record) into a Message.
//
// Liberal in what it accepts: only "topic" (a string) and "msg" (any JSON) are required; a
// record without a topic but with a caller-supplied one (the ZeroMQ topic frame) is fine.
// Optional fields of the wrong type are errors, not guesses; so is a topic longer than
// kMaxTopicBytes. Never throws; thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "core/message.h"
#include "core/result.h"

namespace fmn {

// The longest topic: AMQP's limit for a routing key, which fedora-messaging's topics are, and
// far above any fedmsg topic. A longer one is a bad envelope, not copied into every
// notification's history and feed.
inline constexpr size_t kMaxTopicBytes = 255;

struct ParseOptions {
  size_t max_bytes = 16 << 20;  // larger records are rejected as kTooLarge
  size_t max_depth = 64;        // deeper nesting is rejected as kMalformedJson
  // Texts up to this size are read by simdjson, larger ones (and any it refuses) by RapidJSON,
  // with the same result: simdjson is about twice as fast, but each thread keeps the capacity
  // of the largest text it read. 0: RapidJSON alone.
  size_t fast_reader_max_bytes = 256 << 10;
};

// Parses `json`. `topic_frame`, when non-empty, is the topic from the transport; it is used
// when the envelope has none. The meta is left empty: the meta extractor fills it.
Result<std::unique_ptr<Message>> parse_envelope(std::string_view json,
                                                std::string_view topic_frame = {},
                                                const ParseOptions& options = {});

// Parses `json`, one JSON value, into `m.doc`, in situ in a copy that `m.buffer` owns, with the
// checks parse_envelope() makes (size, UTF-8, control characters, nesting depth, nothing after
// the value), and sets `m.size_bytes`. The buffer keeps `extra` zeroed bytes after the copy: the
// result points at them, for the caller's own strings that the message's views will point at.
// For envelopes that arrive in parts (AMQP: properties, headers and a JSON body); `m` fresh.
Result<char*> parse_json_in_situ(Message& m, std::string_view json, size_t extra,
                                 const ParseOptions& options = {});

// A message made outside the bus, with an envelope (topic; msg_id and timestamp unless empty or
// absent), an empty body and an empty meta for the caller to fill: a stored notification
// rebuilt, a test notification.
Result<std::unique_ptr<Message>> bodyless_message(std::string_view topic, std::string_view msg_id,
                                                  std::optional<double> timestamp);

// Splits a topic into env and suffix ("<prefix>.<env>.<suffix>"). Envs are the fedmsg ones:
// prod, stg, stage, dev. A topic with no env component has an empty env and is its own suffix.
void split_topic(std::string_view topic, std::string_view& env, std::string_view& suffix);

}  // namespace fmn
