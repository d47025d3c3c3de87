#include "sinks/redis_connection.h"

#include <hiredis/hiredis.h>

namespace fmn::sinks {

Result<std::unique_ptr<RedisConnection>> RedisConnection::open(const RedisConfig& config) {
  std::unique_ptr<RedisConnection> c(new RedisConnection(config.host, config.port, config.timeout));
  auto ok = c->reconnect();
  if (!ok) return ok.error();
  auto ping = c->command({"PING"});
  if (!ping) return ping.error();
  return c;
}

RedisConnection::~RedisConnection() {
  if (context_ != nullptr) redisFree(context_);
}

std::string RedisConnection::describe() const {
  return "redis " + host_ + ":" + std::to_string(port_);
}

Result<bool> RedisConnection::reconnect() {
  if (context_ != nullptr) redisFree(context_);
  const auto ms = timeout_.count();
  const timeval tv{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
  context_ = redisConnectWithTimeout(host_.c_str(), port_, tv);
  if (context_ == nullptr || context_->err != 0) {
    std::string why = context_ != nullptr ? context_->errstr : "out of memory";
    if (context_ != nullptr) redisFree(context_);
    context_ = nullptr;
    return Error{ErrorCode::kIo, describe() + ": " + why};
  }
  redisSetTimeout(context_, tv);
  return true;
}

Result<RedisReply> RedisConnection::command(const std::vector<std::string_view>& argv) {
  std::vector<const char*> args;
  std::vector<size_t> lengths;
  for (std::string_view a : argv) {
    args.push_back(a.data());
    lengths.push_back(a.size());
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (context_ == nullptr || context_->err != 0) {
      auto ok = reconnect();
      if (!ok) return ok.error();
    }
    auto* r = static_cast<redisReply*>(
        redisCommandArgv(context_, static_cast<int>(args.size()), args.data(), lengths.data()));
    if (r == nullptr) continue;  // connection lost: reconnect and try once more
    RedisReply reply;
    std::string error;
    switch (r->type) {
      case REDIS_REPLY_INTEGER:
        reply.integer = r->integer;
        break;
      case REDIS_REPLY_NIL:
        reply.nil = true;
        break;
      case REDIS_REPLY_ERROR:
        error.assign(r->str, r->len);
        break;
      case REDIS_REPLY_ARRAY:
        for (size_t i = 0; i < r->elements; ++i) {
          const redisReply* e = r->element[i];
          if (e->type == REDIS_REPLY_STRING) reply.elements.emplace_back(e->str, e->len);
        }
        break;
      default:
        break;  // status replies carry nothing the callers need
    }
    freeReplyObject(r);
    if (!error.empty()) return Error{ErrorCode::kIo, "redis: " + error};
    return reply;
  }
  return Error{ErrorCode::kIo,
               "redis: " + std::string(context_ ? context_->errstr : "no connection")};
}

}  // namespace fmn::sinks
