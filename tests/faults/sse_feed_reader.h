// SseFeedReader: a real client of one SSE feed that outlives the server's restarts, as a
// browser's EventSource would: curl reads the stream, and once it has exited (the server was
// killed or stopped) it is started again with `Last-Event-ID` set to the last event id it read,
// so the server resumes the feed from its backlog (Redis keeps it across restarts).
//
// read() returns the msg_id of each event that arrived since the last call, in order; an event
// whose data carries no msg_id (an `event: missed` notice, say) is returned as "(...)" text so a
// checker sees it as unexpected. Heartbeats are skipped. Move-only; not thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace fmn::faults {

class SseFeedReader {
 public:
  // `url`: the feed's address with its token, e.g. http://127.0.0.1:PORT/feeds/alice?token=T.
  static Result<SseFeedReader> create(std::string url);

  // The events curl wrote since the last call. When curl has exited and `reconnect` holds (the
  // server is up), starts it again resuming after the last event read.
  std::vector<std::string> read(bool reconnect);
  // Stops curl; a later read(true) connects again.
  void disconnect();

  size_t connections() const { return connections_; }

 private:
  SseFeedReader(std::string url, test::TempDir dir) : url_(std::move(url)), dir_(std::move(dir)) {}
  void parse(const std::string& text, std::vector<std::string>& out);

  std::string url_;
  test::TempDir dir_;
  std::optional<test::ChildProcess> curl_;
  std::string stream_;      // the current connection's output file
  size_t offset_ = 0;       // of the first byte not yet parsed into a whole event
  std::string last_id_;     // of the last event read
  size_t connections_ = 0;  // curl processes started
};

}  // namespace fmn::faults
