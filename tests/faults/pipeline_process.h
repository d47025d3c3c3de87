// PipelineProcess: the real fmn-pipeline binary, run by a fault-injection test as an operator
// would — configuration file, preferences file, SIGTERM to stop, SIGKILL to crash, start again
// with the same files — and watched through its Prometheus endpoint.
//
// The process gets its own temp dir (config, preferences, log) and admin port. It receives
// SIGKILL if the test's thread ends first (ChildProcess). Move-only; not thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace fmn::faults {

struct PipelineOptions {
  std::string prefs_toml;      // the preferences file's text (docs/preferences.md)
  std::string config_toml;     // extra configuration sections, e.g. "[email]\nsmtp_url = ..."
  std::string prefs_database;  // when set, the preferences are read from there, not the file
  std::string sse_listen;      // the SSE server's host:port; empty: no SSE server
};

class PipelineProcess {
 public:
  // Writes the files and starts the pipeline; ready when its admin port accepts connections.
  static Result<PipelineProcess> start(PipelineOptions options);

  // Starts it again with the same files (after kill() or terminate()).
  test::Status restart();
  // SIGKILL: a crash, no shutdown work.
  void kill();
  // SIGTERM, then waits for a clean exit (status 0) within `grace`.
  test::Status terminate(test::Duration grace = std::chrono::seconds(60));
  pid_t pid() const { return child_ ? child_->pid() : -1; }

  // One sample of the /metrics text: the metric `name` whose labels contain `labels` (e.g.
  // `sink="email"`); nullopt when absent or when the endpoint does not answer.
  std::optional<double> metric(std::string_view name, std::string_view labels = {}) const;
  // Polls metric() until `holds(value)`; the error quotes the metrics and the log.
  test::Status wait_metric(std::string_view name, std::string_view labels,
                           const std::function<bool(double)>& holds, test::Duration timeout) const;
  std::string metrics_text() const;
  // The body of GET `path` on the admin listener; an error when it does not answer 200.
  Result<std::string> admin_text(const std::string& path) const;
  // The body of POST `path` (no body) on the admin listener; an error when it does not answer
  // 200.
  Result<std::string> admin_post(const std::string& path) const;
  // The HTTP status of /readyz (0 when the endpoint does not answer).
  int readiness() const;
  std::string log_text() const { return test::read_log(dir_.path() / "pipeline.log"); }

 private:
  PipelineProcess(test::TempDir dir, int admin_port)
      : dir_(std::move(dir)), admin_port_(admin_port) {}
  test::Status launch();

  test::TempDir dir_;
  int admin_port_;
  std::optional<test::ChildProcess> child_;
};

}  // namespace fmn::faults
