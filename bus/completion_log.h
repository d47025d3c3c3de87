// CompletionLog: the message ids a source has finished with, kept where a restart finds them
// (Redis in production), so a message the broker delivers again after a crash is recognised
// and not processed twice.
//
// A source records an id once the message has fully passed the pipeline, *before* telling the
// broker (acking): a crash between the two leaves a recorded id and a redelivery that is
// acknowledged without processing. Errors are not fatal: contains() then answers false (the
// message is processed again; the digest store's per-notification dedupe still keeps users
// from a second copy) and record() false (the ids will be processed again if redelivered).
// Implementations say their own thread-safety; a source calls them from its own thread.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace fmn::bus {

class CompletionLog {
 public:
  virtual ~CompletionLog() = default;
  virtual bool contains(std::string_view msg_id) = 0;
  virtual bool record(std::span<const std::string> msg_ids) = 0;
};

}  // namespace fmn::bus
