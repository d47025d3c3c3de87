// ChildProcess: a server or tool the tests start, owned like a unique_ptr.
//
// The child runs with stdin from /dev/null and stdout+stderr appended to a log file, so its own
// error text can go into a test failure. Started as root with `run_as` set, it runs as that user
// (PostgreSQL refuses root). It receives SIGKILL when the thread that spawned it ends (the
// kernel's parent-death signal: spawn from a thread that lives as long as the test, e.g. the
// test's own), so a test killed by a timeout leaves no server behind; the destructor kills and
// reaps it. Not thread-safe; move-only.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "tests/support/status.h"

namespace fmn::test {

using Duration = std::chrono::milliseconds;

struct SpawnOptions {
  std::vector<std::string> argv{};  // argv[0] is an absolute path or found on PATH
  std::filesystem::path log{};      // stdout and stderr are appended here
  std::string run_as{};             // user name; only honoured when running as root
  std::filesystem::path cwd{};      // empty: inherit
};

// The text of a log file for an error message: its last 16 KiB, or a note that it is missing.
std::string read_log(const std::filesystem::path& log);

class ChildProcess {
 public:
  static Result<ChildProcess> spawn(SpawnOptions options);

  // Runs to completion within `timeout`; an error unless it exits with status 0. The error
  // message holds the command line and the log's text.
  static Status run(SpawnOptions options, Duration timeout);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  bool running();

  // Waits until `ready()` holds. Fails, naming `what` and quoting the log, if the child exits
  // first or `timeout` passes (the child is then killed).
  Status wait_ready(const std::string& what, const std::function<bool()>& ready, Duration timeout);

  // Sends `signal`, waits up to `grace` for the exit, then sends SIGKILL. Returns the wait
  // status (as from waitpid), or nullopt if the child had already been reaped.
  std::optional<int> stop(int signal, Duration grace);

  // SIGKILL now, and reap: a crash as far as the server is concerned.
  void kill_now();

  std::string log_text() const { return read_log(options_.log); }
  std::string command_line() const;

 private:
  ChildProcess(pid_t pid, SpawnOptions options) : pid_(pid), options_(std::move(options)) {}
  // Reaps the child if it has exited, within `timeout` (zero: do not block).
  bool reap(Duration timeout);

  pid_t pid_ = -1;
  int wait_status_ = 0;
  SpawnOptions options_;
};

// "exited with status 1" / "was killed by signal 9".
std::string describe_wait_status(int wait_status);

}  // namespace fmn::test
