#include "tests/support/redis_server.h"

#include <hiredis/hiredis.h>

#include <memory>
#include <string_view>

namespace fmn::test {
namespace {

// Readiness: PING answers PONG (while loading its append-only file Redis answers LOADING).
bool answers_ping(int port) {
  const timeval timeout{1, 0};
  std::unique_ptr<redisContext, decltype(&redisFree)> c(
      redisConnectWithTimeout(kLoopback, port, timeout), &redisFree);
  if (!c || c->err) return false;
  std::unique_ptr<redisReply, decltype(&freeReplyObject)> reply(
      static_cast<redisReply*>(redisCommand(c.get(), "PING")), &freeReplyObject);
  return reply && reply->type == REDIS_REPLY_STATUS && std::string_view(reply->str) == "PONG";
}

}  // namespace

Result<RedisServer> RedisServer::start(const RedisOptions& options) {
  auto dir = TempDir::create("redis");
  if (!dir.ok()) return dir.error();
  int port = options.port;
  if (port == 0) {
    auto free = pick_free_port();
    if (!free.ok()) return free.error();
    port = free.value();
  }
  ServerSpec spec{
      .name = "redis-server",
      .address = loopback_address(port),
      .spawn = {.argv = {"redis-server", "--port", std::to_string(port), "--bind", kLoopback,
                         "--dir", dir.value().path().string(), "--save", "", "--appendonly",
                         options.appendonly ? "yes" : "no", "--daemonize", "no", "--logfile", ""},
                .log = dir.value() / "redis.log"},
      .ready = [port] { return answers_ping(port); },
      .ready_timeout = options.ready_timeout,
  };
  auto process = ServerProcess::start(std::move(spec));
  if (!process.ok()) return process.error();
  return RedisServer(std::move(dir).value(), std::move(process).value(), port);
}

}  // namespace fmn::test
