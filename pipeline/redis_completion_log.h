// A CompletionLog in Redis: one key per finished message id, `<prefix><msg_id>`, with a TTL
// (longer than any backlog a queue keeps), written with SET ... EX in one pipelined round trip
// per settled group and read with EXISTS. It survives fmn's restarts and crashes, and Redis's
// own as far as its persistence goes (docs/operations.md). A lost connection is retried once
// per call; errors are counted and answered as "not recorded" (completion_log.h).
// One thread at a time (the source's).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "bus/completion_log.h"
#include "core/result.h"

struct redisContext;

namespace fmn::pipeline {

class RedisCompletionLog : public bus::CompletionLog {
 public:
  // Connects and checks that the server answers; kIo when it does not.
  static Result<std::unique_ptr<RedisCompletionLog>> connect(
      const std::string& host, int port, std::string prefix,
      std::chrono::seconds ttl = std::chrono::hours(24 * 7));
  ~RedisCompletionLog() override;

  bool contains(std::string_view msg_id) override;
  bool record(std::span<const std::string> msg_ids) override;
  uint64_t errors() const { return errors_.load(std::memory_order_relaxed); }

 private:
  RedisCompletionLog(std::string host, int port, std::string prefix, std::chrono::seconds ttl)
      : host_(std::move(host)), port_(port), prefix_(std::move(prefix)), ttl_(ttl) {}
  bool reconnect();
  // Sends the commands (argv form) pipelined; the integer replies, or false on any error.
  bool run(const std::vector<std::vector<std::string>>& commands, std::vector<long long>& out);

  std::string host_;
  int port_;
  std::string prefix_;
  std::chrono::seconds ttl_;
  redisContext* context_ = nullptr;
  std::atomic<uint64_t> errors_{0};
};

}  // namespace fmn::pipeline
