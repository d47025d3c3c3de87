#include "tests/support/rabbitmq_server.h"

#include <amqp.h>
#include <amqp_tcp_socket.h>

#include <fstream>
#include <sstream>

#include "tests/support/child_process.h"

namespace fmn::test {

bool amqp_login_works(int port) {
  amqp_connection_state_t conn = amqp_new_connection();
  amqp_socket_t* socket = amqp_tcp_socket_new(conn);
  timeval timeout{1, 0};
  bool ok =
      socket != nullptr &&
      amqp_socket_open_noblock(socket, kLoopback, port, &timeout) == AMQP_STATUS_OK &&
      amqp_login(conn, "/", 0, 131072, 0, AMQP_SASL_METHOD_PLAIN, "guest", "guest").reply_type ==
          AMQP_RESPONSE_NORMAL;
  if (ok) amqp_connection_close(conn, AMQP_REPLY_SUCCESS);
  amqp_destroy_connection(conn);
  return ok;
}

Result<RabbitMqServer> RabbitMqServer::start(std::optional<RabbitMqTls> tls) {
  auto dir = TempDir::create("rabbitmq");
  if (!dir.ok()) return dir.error();
  const std::filesystem::path& d = dir.value().path();
  int ports[4] = {0, 0, 0, 0};  // AMQP, epmd, Erlang distribution, AMQPS
  for (int& p : ports) {
    auto port = pick_free_port();
    if (!port.ok()) return port.error();
    p = port.value();
  }
  const int port = ports[0];
  const std::string epmd_port = std::to_string(ports[1]);
  // A stale Erlang cookie or a world-readable one makes the CLI tools refuse to talk to the node.
  if (auto ok = write_file(d / ".erlang.cookie", "fmntest" + std::to_string(port)); !ok.ok()) {
    return ok.error();
  }
  std::filesystem::permissions(d / ".erlang.cookie", std::filesystem::perms::owner_read);
  std::string conf = "listeners.tcp.default = 127.0.0.1:" + std::to_string(port) +
                     "\nloopback_users = none\nlog.console = true\nlog.file = false\n";
  if (tls) {
    conf += "listeners.ssl.default = 127.0.0.1:" + std::to_string(ports[3]) +
            "\nssl_options.cacertfile = " + tls->ca_certificate.string() +
            "\nssl_options.certfile = " + tls->certificate.string() +
            "\nssl_options.keyfile = " + tls->key.string() +
            "\nssl_options.verify = verify_peer\nssl_options.fail_if_no_peer_cert = true\n";
  }
  if (auto ok = write_file(d / "rabbitmq.conf", conf); !ok.ok()) return ok.error();
  if (auto ok = write_file(d / "enabled_plugins", "[].\n"); !ok.ok()) return ok.error();

  ServerSpec epmd{
      .name = "epmd",
      .address = loopback_address(ports[1]),
      .spawn = {.argv = {"epmd", "-port", epmd_port, "-address", kLoopback}, .log = d / "epmd.log"},
      .ready = [p = ports[1]] { return port_accepts(p); },
  };
  auto epmd_process = ServerProcess::start(std::move(epmd));
  if (!epmd_process.ok()) return epmd_process.error();

  const std::string node = "fmntest" + std::to_string(port) + "@localhost";
  std::vector<std::string> environment = {
      "HOME=" + d.string(),
      "ERL_EPMD_PORT=" + epmd_port,
      "ERL_EPMD_ADDRESS=127.0.0.1",
      "RABBITMQ_NODENAME=" + node,
      "RABBITMQ_CONFIG_FILE=" + (d / "rabbitmq.conf").string(),
      "RABBITMQ_CONF_ENV_FILE=" + (d / "rabbitmq-env.conf").string(),
      "RABBITMQ_ENABLED_PLUGINS_FILE=" + (d / "enabled_plugins").string()};
  // RABBITMQ_ALLOW_INPUT makes the start script exec the Erlang VM (no signal-forwarding shell in
  // between), so a kill reaches the broker itself; -noinput keeps the shell off stdin.
  std::vector<std::string> argv = {"env"};
  argv.insert(argv.end(), environment.begin(), environment.end());
  argv.insert(argv.end(),
              {"RABBITMQ_NODE_IP_ADDRESS=127.0.0.1", "RABBITMQ_NODE_PORT=" + std::to_string(port),
               "RABBITMQ_DIST_PORT=" + std::to_string(ports[2]),
               "RABBITMQ_MNESIA_BASE=" + (d / "mnesia").string(),
               "RABBITMQ_LOG_BASE=" + (d / "log").string(),
               "RABBITMQ_ADVANCED_CONFIG_FILE=" + (d / "advanced.config").string(),
               "RABBITMQ_PLUGINS_EXPAND_DIR=" + (d / "plugins").string(),
               "RABBITMQ_PID_FILE=" + (d / "rabbitmq.pid").string(), "RABBITMQ_ALLOW_INPUT=1",
               "RABBITMQ_SERVER_START_ARGS=-noinput", "/usr/lib/rabbitmq/bin/rabbitmq-server"});
  ServerSpec broker{
      .name = "rabbitmq-server",
      .address = loopback_address(port),
      .spawn = {.argv = std::move(argv), .log = d / "rabbitmq.log"},
      .ready = [port] { return amqp_login_works(port); },
      .ready_timeout = std::chrono::seconds(90),
  };
  auto broker_process = ServerProcess::start(std::move(broker));
  if (!broker_process.ok()) return broker_process.error();
  return RabbitMqServer(std::move(dir).value(), std::move(epmd_process).value(),
                        std::move(broker_process).value(), port, ports[3], std::move(environment));
}

Result<uint64_t> RabbitMqServer::unacknowledged(const std::string& queue) {
  const std::filesystem::path out = dir() / "rabbitmqctl.out";
  std::filesystem::remove(out);
  std::vector<std::string> argv = {"env"};
  argv.insert(argv.end(), environment_.begin(), environment_.end());
  argv.insert(argv.end(), {"/usr/lib/rabbitmq/bin/rabbitmqctl", "list_queues", "--quiet",
                           "--no-table-headers", "name", "messages_unacknowledged"});
  if (auto ok = ChildProcess::run({.argv = std::move(argv), .log = out}, std::chrono::seconds(60));
      !ok) {
    return ok.error();
  }
  std::ifstream lines(out);
  std::string name;
  uint64_t count = 0;
  while (lines >> name >> count) {
    if (name == queue) return count;
  }
  return Error{ErrorCode::kNotFound, "rabbitmqctl lists no queue " + queue + ": " + read_log(out)};
}

}  // namespace fmn::test
