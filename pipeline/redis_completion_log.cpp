#include "pipeline/redis_completion_log.h"

#include <hiredis/hiredis.h>

#include "core/log.h"

namespace fmn::pipeline {

Result<std::unique_ptr<RedisCompletionLog>> RedisCompletionLog::connect(const std::string& host,
                                                                        int port,
                                                                        std::string prefix,
                                                                        std::chrono::seconds ttl) {
  std::unique_ptr<RedisCompletionLog> log(
      new RedisCompletionLog(host, port, std::move(prefix), ttl));
  std::vector<long long> replies;
  if (!log->run({{"EXISTS", log->prefix_}}, replies)) {
    return Error{ErrorCode::kIo, "redis " + host + ":" + std::to_string(port) + " does not answer"};
  }
  return log;
}

RedisCompletionLog::~RedisCompletionLog() {
  if (context_ != nullptr) redisFree(context_);
}

bool RedisCompletionLog::reconnect() {
  if (context_ != nullptr) redisFree(context_);
  const timeval tv{2, 0};
  context_ = redisConnectWithTimeout(host_.c_str(), port_, tv);
  if (context_ == nullptr || context_->err != 0) {
    if (context_ != nullptr) redisFree(context_);
    context_ = nullptr;
    return false;
  }
  redisSetTimeout(context_, tv);
  return true;
}

bool RedisCompletionLog::run(const std::vector<std::vector<std::string>>& commands,
                             std::vector<long long>& out) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if ((context_ == nullptr || context_->err != 0) && !reconnect()) continue;
    for (const auto& argv : commands) {
      std::vector<const char*> args;
      std::vector<size_t> lengths;
      for (const std::string& a : argv) {
        args.push_back(a.data());
        lengths.push_back(a.size());
      }
      redisAppendCommandArgv(context_, static_cast<int>(args.size()), args.data(), lengths.data());
    }
    out.clear();
    bool ok = true;
    for (size_t i = 0; i < commands.size(); ++i) {
      void* raw = nullptr;
      if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
        ok = false;
        break;
      }
      auto* reply = static_cast<redisReply*>(raw);
      if (reply->type == REDIS_REPLY_ERROR) ok = false;
      out.push_back(reply->type == REDIS_REPLY_INTEGER ? reply->integer : 0);
      freeReplyObject(reply);
    }
    if (ok) return true;
  }
  errors_.fetch_add(1, std::memory_order_relaxed);
  log::warn("completion_log_unavailable", {{"redis", host_ + ":" + std::to_string(port_)}});
  return false;
}

bool RedisCompletionLog::contains(std::string_view msg_id) {
  std::vector<long long> replies;
  return run({{"EXISTS", prefix_ + std::string(msg_id)}}, replies) && !replies.empty() &&
         replies[0] == 1;
}

bool RedisCompletionLog::record(std::span<const std::string> msg_ids) {
  std::vector<std::vector<std::string>> commands;
  commands.reserve(msg_ids.size());
  const std::string ttl = std::to_string(ttl_.count());
  for (const std::string& id : msg_ids) commands.push_back({"SET", prefix_ + id, "1", "EX", ttl});
  std::vector<long long> replies;
  return run(commands, replies);
}

}  // namespace fmn::pipeline
