// RabbitMqServer: a private rabbitmq-server (Debian) for one test, AMQP on 127.0.0.1:<free
// port>, with its own node name, data directory (RABBITMQ_MNESIA_BASE), config file, Erlang
// cookie and epmd (on a private ERL_EPMD_PORT, run as a child so nothing outlives the test), so
// several can run at once beside a system broker. The guest user may log in over loopback.
//
// RabbitMQ takes seconds to boot: start() and restart() wait until an AMQP login succeeds. Data
// survives restart() and kill() (durable queues keep their persistent messages). The destructor
// kills both processes and removes the directory. Move-only; not thread-safe.
//
//   auto rabbit = RabbitMqServer::start();
//   ASSERT_TRUE(rabbit.ok()) << rabbit.error().message;
//   publish_to(rabbit->url());  // "amqp://guest:guest@127.0.0.1:<port>", vhost "/"
#pragma once

#include <string>

#include "tests/support/loopback.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace fmn::test {

class RabbitMqServer {
 public:
  static Result<RabbitMqServer> start();

  int port() const { return port_; }
  std::string url() const { return "amqp://guest:guest@" + loopback_address(port_); }
  const std::filesystem::path& dir() const { return dir_.path(); }

  Status stop() { return broker_.stop(); }
  Status restart() { return broker_.restart(); }
  void kill() { broker_.kill(); }
  std::string log_text() const { return broker_.log_text(); }

 private:
  RabbitMqServer(TempDir dir, ServerProcess epmd, ServerProcess broker, int port)
      : dir_(std::move(dir)), epmd_(std::move(epmd)), broker_(std::move(broker)), port_(port) {}

  TempDir dir_;  // declared first: outlives the servers using it
  ServerProcess epmd_;
  ServerProcess broker_;
  int port_;
};

// True when an AMQP 0-9-1 login as guest to 127.0.0.1:`port` succeeds (the broker has booted).
bool amqp_login_works(int port);

}  // namespace fmn::test
