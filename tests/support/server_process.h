// ServerProcess: a real server the tests talk to, with a clean shutdown, a restart on the same
// port and a crash, for fault-injection tests.
//
// start() spawns the server and waits (bounded) until its readiness probe passes; if the server
// exits first or never gets ready, the Error quotes the server's own output. A started server
// prints one "[real server] ..." line, so a test log shows which real servers a test used.
// Move-only; not thread-safe. The probe must not refer to the object that owns the process.
#pragma once

#include <csignal>
#include <functional>
#include <optional>
#include <string>

#include "tests/support/child_process.h"

namespace fmn::test {

struct ServerSpec {
  std::string name{};             // e.g. "redis-server", for messages
  std::string address{};          // e.g. "127.0.0.1:6380", for messages
  SpawnOptions spawn{};           // the same command line on every (re)start
  std::function<bool()> ready{};  // true once the server serves requests
  Duration ready_timeout = std::chrono::seconds(30);
  int stop_signal = SIGTERM;  // the server's clean-shutdown signal
};

class ServerProcess {
 public:
  static Result<ServerProcess> start(ServerSpec spec);

  // Clean shutdown (the spec's stop signal; SIGKILL after a grace period). An error if the
  // server was not running or exited with a failure status.
  Status stop();
  // Starts the server again on the same port and data. A server killed a moment ago may still
  // hold resources (PostgreSQL's shared memory, for one): a start that exits early is retried
  // until the ready timeout.
  Status restart();
  // SIGKILL: no shutdown work happens, as in a crash.
  void kill();

  bool running() { return child_.has_value() && child_->running(); }
  // What the server printed since the first start (the tail, if long).
  std::string log_text() const;

 private:
  explicit ServerProcess(ServerSpec spec) : spec_(std::move(spec)) {}
  Status launch();

  ServerSpec spec_;
  std::optional<ChildProcess> child_;
};

// Prints "[real server] <line>" on stdout; scripts/test collects these lines from the test log.
void announce_real_server(const std::string& line);

}  // namespace fmn::test
