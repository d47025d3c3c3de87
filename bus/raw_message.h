// A message as it arrives: the bytes and where they came from, or, from a source that parses as
// it receives (AMQP, whose envelope arrives in parts), the parsed message.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/message.h"

namespace fmn::bus {

struct RawMessage {
  std::string topic;    // the transport's topic frame; empty for JSON-lines records
  std::string payload;  // the JSON envelope
  uint64_t origin = 0;  // line number in a file, or receive counter on a socket
  // Set by a source that parsed the message itself (topic and payload are then empty); the
  // parse stage only extracts its meta.
  std::shared_ptr<Message> parsed;
};

}  // namespace fmn::bus
