// A message as it arrives, before parsing: the bytes and where they came from.
#pragma once

#include <cstdint>
#include <string>

namespace fmn::bus {

struct RawMessage {
  std::string topic;    // the transport's topic frame; empty for JSON-lines records
  std::string payload;  // the JSON envelope
  uint64_t origin = 0;  // line number in a file, or receive counter on a socket
};

}  // namespace fmn::bus
