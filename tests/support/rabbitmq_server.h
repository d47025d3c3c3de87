// RabbitMqServer: a private rabbitmq-server (Debian) for one test, AMQP on 127.0.0.1:<free
// port>, with its own node name, data directory (RABBITMQ_MNESIA_BASE), config file, Erlang
// cookie and epmd (on a private ERL_EPMD_PORT, run as a child so nothing outlives the test), so
// several can run at once beside a system broker. The guest user may log in over loopback.
//
// RabbitMQ takes seconds to boot: start() and restart() wait until an AMQP login succeeds. Data
// survives restart() and kill() (durable queues keep their persistent messages). The destructor
// kills both processes and removes the directory. Move-only; not thread-safe.
//
// With RabbitMqTls, the broker also listens for AMQPS on a second free port with the given
// certificate and key, and demands a client certificate issued by the given CA.
//
//   auto rabbit = RabbitMqServer::start();
//   ASSERT_TRUE(rabbit.ok()) << rabbit.error().message;
//   publish_to(rabbit->url());  // "amqp://guest:guest@127.0.0.1:<port>", vhost "/"
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tests/support/loopback.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace fmn::test {

struct RabbitMqTls {
  std::filesystem::path ca_certificate;  // client certificates must chain to it
  std::filesystem::path certificate, key;
};

class RabbitMqServer {
 public:
  static Result<RabbitMqServer> start(std::optional<RabbitMqTls> tls = std::nullopt);

  int port() const { return port_; }
  std::string url() const { return "amqp://guest:guest@" + loopback_address(port_); }
  // The AMQPS listener (only with RabbitMqTls), reached by the name `host` (it resolves to
  // 127.0.0.1; the certificate's name is checked against it).
  std::string amqps_url(const std::string& host = "localhost") const {
    return "amqps://guest:guest@" + host + ":" + std::to_string(tls_port_);
  }
  const std::filesystem::path& dir() const { return dir_.path(); }

  Status stop() { return broker_.stop(); }
  Status restart() { return broker_.restart(); }
  void kill() { broker_.kill(); }
  std::string log_text() const { return broker_.log_text(); }

  // The number of deliveries of `queue` sent to consumers and not yet acknowledged, as
  // `rabbitmqctl list_queues` reports it; an error when the queue is unknown or the tool fails.
  Result<uint64_t> unacknowledged(const std::string& queue);

 private:
  RabbitMqServer(TempDir dir, ServerProcess epmd, ServerProcess broker, int port, int tls_port,
                 std::vector<std::string> environment)
      : dir_(std::move(dir)),
        epmd_(std::move(epmd)),
        broker_(std::move(broker)),
        port_(port),
        tls_port_(tls_port),
        environment_(std::move(environment)) {}

  TempDir dir_;  // declared first: outlives the servers using it
  ServerProcess epmd_;
  ServerProcess broker_;
  int port_;
  int tls_port_;
  std::vector<std::string> environment_;  // what the broker and its CLI tools share
};

// True when an AMQP 0-9-1 login as guest to 127.0.0.1:`port` succeeds (the broker has booted).
bool amqp_login_works(int port);

}  // namespace fmn::test
