// PostgresServer: a private PostgreSQL 15 cluster for one test.
//
// start() runs initdb in a fresh temp dir (trust auth, superuser "postgres"), starts the
// postmaster on 127.0.0.1:<free port> with its unix socket in the temp dir, and creates the
// test database. As root, initdb and postgres run as the "postgres" user, which owns the
// directory. fsync is off: commits still reach the kernel before they are acknowledged
// (synchronous_commit stays on), so a killed server keeps its committed data; a crashed machine
// would not. The destructor kills the server and removes the directory. Move-only; not
// thread-safe.
//
//   auto pg = PostgresServer::start();
//   ASSERT_TRUE(pg.ok()) << pg.error().message;
//   pqxx::connection db{pg->connection_string()};
#pragma once

#include <string>

#include "tests/support/loopback.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace fmn::test {

struct PostgresOptions {
  int port = 0;                       // 0: a free port
  std::string database = "fmn_test";  // created at start, owned by "postgres"
  Duration ready_timeout = std::chrono::seconds(60);
};

class PostgresServer {
 public:
  static Result<PostgresServer> start(const PostgresOptions& options = {});

  std::string host() const { return kLoopback; }
  int port() const { return port_; }
  const std::string& database() const { return database_; }
  // libpq keyword form: "host=127.0.0.1 port=N user=postgres dbname=fmn_test".
  std::string connection_string() const;
  // "postgresql://postgres@127.0.0.1:N/fmn_test".
  std::string uri() const;

  Status stop() { return process_.stop(); }  // fast shutdown (SIGINT)
  Status restart() { return process_.restart(); }
  void kill() { process_.kill(); }
  std::string log_text() const { return process_.log_text(); }

 private:
  PostgresServer(TempDir dir, ServerProcess process, int port, std::string database)
      : dir_(std::move(dir)),
        process_(std::move(process)),
        port_(port),
        database_(std::move(database)) {}

  TempDir dir_;  // declared first: outlives the server using it
  ServerProcess process_;
  int port_;
  std::string database_;
};

}  // namespace fmn::test
