// A Sink printing one line per notification to a stream: the demo's and the operator's view.
// Line: "<user> (<kind> <address>) <- [<rule>] <topic>: <subtitle or title>". Control
// characters are replaced by spaces so a hostile message cannot forge extra lines.
// A confirmation request prints "<user> (<kind> <address>) <- confirm at <link>", the link under
// `base_url` (the demo's way to follow it).
#pragma once

#include <cstdio>
#include <string>

#include "sinks/sink.h"

namespace fmn::sinks {

class StdoutSink : public Sink {
 public:
  explicit StdoutSink(std::FILE* out = stdout, std::string base_url = {})
      : out_(out), base_url_(std::move(base_url)) {}
  std::string_view name() const override { return "stdout"; }
  void deliver(std::span<const Notification> batch) override;
  void send_confirmation(const ConfirmationRequest& request) override;

 private:
  // "<user> (<kind> <address>)", made printable.
  static void append_recipient(std::string& line, std::string_view user, DestinationKind kind,
                               std::string_view address);

  std::FILE* out_;
  std::string base_url_;
};

}  // namespace fmn::sinks
