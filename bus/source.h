// Where messages come from: a ZeroMQ subscription, a JSON-lines file, stdin.
//
// A Source is used by one thread at a time (stop() aside). next_batch() blocks until at least one
// message is available or the source is finished.
#pragma once

#include <cstddef>
#include <vector>

#include "bus/raw_message.h"

namespace fmn::bus {

class Source {
 public:
  virtual ~Source() = default;

  // Appends up to `max` messages to `out`. Returns false once the source is exhausted (a file
  // at its end) or stopped; `out` may still have received messages in that call.
  virtual bool next_batch(std::vector<RawMessage>& out, size_t max) = 0;

  // From any thread: a next_batch() blocked waiting for input, or any later one, returns false
  // soon, without waiting for more input. The default suits sources that never wait.
  virtual void stop() {}
};

}  // namespace fmn::bus
