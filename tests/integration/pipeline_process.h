// The real fmn-pipeline and fmn-replay binaries, driven by the service's integration tests.
//
// PipelineProcess starts fmn-pipeline with its admin endpoint on a free loopback port (read back
// from its start-up log) and no SSE server, so every notification goes to standard output, and
// reads what it printed: notification lines, its summary, its /metrics. Move-only; not
// thread-safe; spawn from the test's own thread (children die with the thread that spawned them).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "tests/support/child_process.h"

namespace fmn::test {

// The summary fmn-pipeline prints when it exits.
struct PipelineSummary {
  uint64_t received = 0, notifications = 0, unrouted = 0, sequence_gaps = 0;
};

// Printed notification lines of an fmn-pipeline output ("user (kind address) <- [rule] topic:
// subtitle"), in order; and its exit summary (nullopt if there is none yet).
std::vector<std::string> notification_lines(const std::string& output);
std::optional<PipelineSummary> parse_summary(const std::string& output);

class PipelineProcess {
 public:
  // `flags` come after --admin-listen 127.0.0.1:0, and after --sse-listen "" and --progress 0
  // unless they set those. Returns once /metrics answers.
  static Result<PipelineProcess> start(const std::string& name, std::vector<std::string> flags,
                                       Duration timeout);

  int admin_port() const { return admin_port_; }
  ChildProcess& process() { return process_; }

  // GET path on the admin endpoint: status and body (status 0 when unreachable).
  std::pair<int, std::string> get(const std::string& path) const;
  // The value of the first sample of `series` ("fmn_messages_received_total" or with labels,
  // `fmn_delivered_total{sink="stdout"}`) in /metrics; nullopt if absent or unreachable.
  std::optional<double> metric(const std::string& series) const;
  // Waits until metric(series) >= value; an error quoting the log after `timeout`.
  Status wait_metric(const std::string& series, double value, Duration timeout);

  // Everything the process printed, stdout and stderr interleaved (the whole file).
  std::string output() const;
  std::vector<std::string> notifications() const { return notification_lines(output()); }
  // The exit summary; nullopt until it is printed.
  std::optional<PipelineSummary> summary() const { return parse_summary(output()); }

 private:
  PipelineProcess(ChildProcess process, std::filesystem::path log, int port)
      : process_(std::move(process)), log_(std::move(log)), admin_port_(port) {}

  ChildProcess process_;
  std::filesystem::path log_;
  int admin_port_ = 0;
};

// Runs fmn-pipeline to completion (a replay) with `flags` and no HTTP endpoints (nor progress
// lines, unless `flags` ask for them); its output, or
// an error quoting it if it fails.
Result<std::string> run_pipeline(const std::string& name, std::vector<std::string> flags,
                                 Duration timeout);

// fmn-replay playing the recorded corpus (corpus/fedmsg-real.jsonl, 380 messages) onto
// `endpoint` once `subscribers` subscriptions are active; extra flags (--rate...) after.
Result<ChildProcess> start_replay(const std::string& name, const std::string& endpoint,
                                  size_t subscribers, std::vector<std::string> flags = {});

// Waits for a child to exit by itself; its wait status, or an error quoting its log.
Result<int> wait_exit(ChildProcess& child, Duration timeout);

inline const std::string kCorpusFile = std::string(FMN_CORPUS_DIR) + "/fedmsg-real.jsonl";
inline constexpr size_t kCorpusMessages = 380;

}  // namespace fmn::test
