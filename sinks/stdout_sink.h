// A Sink printing one line per notification to a stream: the demo's and the operator's view.
// Line: "<user> (<kind> <address>) <- [<rule>] <topic>: <subtitle or title>". Control
// characters are replaced by spaces so a hostile message cannot forge extra lines.
#pragma once

#include <cstdio>

#include "sinks/sink.h"

namespace fmn::sinks {

class StdoutSink : public Sink {
 public:
  explicit StdoutSink(std::FILE* out = stdout) : out_(out) {}
  std::string_view name() const override { return "stdout"; }
  void deliver(std::span<const Notification> batch) override;

 private:
  std::FILE* out_;
};

}  // namespace fmn::sinks
