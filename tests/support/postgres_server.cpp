#include "tests/support/postgres_server.h"

#include <pqxx/pqxx>

#include "tests/support/loopback.h"

namespace fmn::test {
namespace {

constexpr const char* kBinDir = "/usr/lib/postgresql/15/bin";
constexpr const char* kUser = "postgres";

std::string keyword_connection(int port, const std::string& database) {
  return "host=" + std::string(kLoopback) + " port=" + std::to_string(port) + " user=" + kUser +
         " dbname=" + database + " connect_timeout=5";
}

// Readiness: the server accepts a session (not only the TCP connection, which it takes while
// still starting up).
bool accepts_sessions(const std::string& connection) {
  try {
    pqxx::connection probe{connection};
    return probe.is_open();
  } catch (const std::exception&) {
    return false;
  }
}

Status create_database(const std::string& admin_connection, const std::string& database) {
  try {
    pqxx::connection admin{admin_connection};
    pqxx::nontransaction tx{admin};
    // FILE_COPY: half the time of the default WAL_LOG strategy for a small template.
    tx.exec0("CREATE DATABASE " + tx.quote_name(database) + " STRATEGY = FILE_COPY");
    return ok_status();
  } catch (const std::exception& e) {
    return Error{ErrorCode::kIo, "postgres: CREATE DATABASE " + database + ": " + e.what()};
  }
}

}  // namespace

Result<PostgresServer> PostgresServer::start(const PostgresOptions& options) {
  auto dir = TempDir::create("postgres", kUser);
  if (!dir.ok()) return dir.error();
  int port = options.port;
  if (port == 0) {
    auto free = pick_free_port();
    if (!free.ok()) return free.error();
    port = free.value();
  }
  const std::string data = (dir.value() / "data").string();
  const std::string bin = kBinDir;
  auto initdb = ChildProcess::run({.argv = {bin + "/initdb", "-D", data, "-U", kUser, "-A", "trust",
                                            "-E", "UTF8", "--locale=C", "--no-sync"},
                                   .log = dir.value() / "initdb.log",
                                   .run_as = kUser},
                                  std::chrono::seconds(120));
  if (!initdb.ok())
    return Error{ErrorCode::kIo, "postgres: initdb failed: " + initdb.error().message};

  const std::string admin = keyword_connection(port, "postgres");
  ServerSpec spec{
      .name = "PostgreSQL 15",
      .address = loopback_address(port),
      .spawn = {.argv = {bin + "/postgres", "-D", data, "-p", std::to_string(port), "-h", kLoopback,
                         "-k", dir.value().path().string(), "-c", "fsync=off", "-c",
                         "full_page_writes=off"},
                .log = dir.value() / "postgres.log",
                .run_as = kUser},
      .ready = [admin] { return accepts_sessions(admin); },
      .ready_timeout = options.ready_timeout,
      .stop_signal = SIGINT,
  };
  auto process = ServerProcess::start(std::move(spec));
  if (!process.ok()) return process.error();
  if (auto created = create_database(admin, options.database); !created.ok()) {
    return Error{ErrorCode::kIo,
                 created.error().message + "; server output:\n" + process->log_text()};
  }
  return PostgresServer(std::move(dir).value(), std::move(process).value(), port, options.database);
}

std::string PostgresServer::connection_string() const {
  return keyword_connection(port_, database_);
}

std::string PostgresServer::uri() const {
  return "postgresql://" + std::string(kUser) + "@" + loopback_address(port_) + "/" + database_;
}

}  // namespace fmn::test
