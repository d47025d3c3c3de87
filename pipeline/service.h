// Service: fmn-pipeline assembled from its configuration — source, parse (+meta), admission
// (sequence gaps, duplicates), match (rule engine over users' preferences), and one queue and
// thread per destination kind in front of its sink (email, IRC, SSE; stdout for the demo).
//
// run() returns when a replay ends or after request_stop(): the source stops, in-flight batches
// drain through the graph, sink queues are delivered, each sink delivers what it still holds
// for at most stop_grace_seconds (IRC: lines sent and confirmed, then QUIT), and durable state
// is flushed; the summary names what each sink left undelivered.
// request_reload() re-reads the preferences (SIGHUP); matching continues on the old rules until
// the new ones are published. Both are safe to call from a signal-handling thread.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <string>
#include <utility>
#include <vector>
#include "core/result.h"

#include "pipeline/service_config.h"

namespace fmn::pipeline {

struct ServiceSummary {
  uint64_t received = 0, parse_errors = 0, duplicates = 0, notifications = 0, unrouted = 0;
  uint64_t sequence_gaps = 0, missing = 0;
  double seconds = 0;
  // Per sink (destination kind): notifications still held when its stop grace period ended.
  std::vector<std::pair<std::string, uint64_t>> undelivered;
  // Per sink with an outbox: entries left there unconfirmed, delivered by the next start.
  std::vector<std::pair<std::string, uint64_t>> left_in_outbox;
};

class Service {
 public:
  // Builds every component; errors name what failed (a bad preferences file, a port in use).
  static Result<std::unique_ptr<Service>> create(const ServiceConfig& config);
  ~Service();

  ServiceSummary run();
  void request_stop();
  void request_reload();

  struct Impl;

 private:
  explicit Service(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fmn::pipeline
