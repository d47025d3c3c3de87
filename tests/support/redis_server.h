// RedisServer: a private redis-server for one test, on 127.0.0.1:<free port>, working directory
// in a fresh temp dir. No RDB snapshots; the append-only file is off unless asked for (a test of
// durability across restart or crash turns it on). The destructor kills the server and removes
// the directory. Move-only; not thread-safe.
//
//   auto redis = RedisServer::start();
//   ASSERT_TRUE(redis.ok()) << redis.error().message;
//   redisContext* c = redisConnect(redis->host().c_str(), redis->port());
#pragma once

#include <string>

#include "tests/support/loopback.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace fmn::test {

struct RedisOptions {
  int port = 0;             // 0: a free port
  bool appendonly = false;  // AOF on: acknowledged writes survive restart() and kill()
  Duration ready_timeout = std::chrono::seconds(30);
};

class RedisServer {
 public:
  static Result<RedisServer> start(const RedisOptions& options = {});

  std::string host() const { return kLoopback; }
  int port() const { return port_; }
  std::string url() const { return "redis://" + loopback_address(port_); }
  const std::filesystem::path& dir() const { return dir_.path(); }

  Status stop() { return process_.stop(); }
  Status restart() { return process_.restart(); }
  void kill() { process_.kill(); }
  std::string log_text() const { return process_.log_text(); }

 private:
  RedisServer(TempDir dir, ServerProcess process, int port)
      : dir_(std::move(dir)), process_(std::move(process)), port_(port) {}

  TempDir dir_;  // declared first: outlives the server using it
  ServerProcess process_;
  int port_;
};

}  // namespace fmn::test
