#include "tests/support/irc_server.h"

#include <fstream>

namespace fmn::test {
namespace {

constexpr const char* kUser = "nobody";  // ngIRCd refuses to stay root

std::string config_text(int port) {
  return std::string("[Global]\n") + "Name = " + IrcServer::kServerName +
         "\n"
         "Info = fmn test server\n"
         "AdminInfo1 = fmn integration tests\n"
         "AdminInfo2 = loopback only\n"
         "AdminEMail = root@localhost\n"
         "Listen = " +
         kLoopback +
         "\n"
         "Ports = " +
         std::to_string(port) +
         "\n"
         "MotdPhrase = fmn test server\n"
         "[Limits]\n"
         "MaxConnectionsIP = 0\n"
         "MaxJoins = 0\n"
         "MaxNickLength = 30\n"
         "MaxPenaltyTime = 0\n"
         "[Options]\n"
         "DNS = no\n"
         "Ident = no\n"
         "PAM = no\n";
}

}  // namespace

Result<IrcServer> IrcServer::start(int port) {
  auto dir = TempDir::create("ngircd", kUser);
  if (!dir.ok()) return dir.error();
  if (port == 0) {
    auto free = pick_free_port();
    if (!free.ok()) return free.error();
    port = free.value();
  }
  const auto config = dir.value() / "ngircd.conf";
  {
    std::ofstream out(config);
    out << config_text(port);
    if (!out.flush()) return Error{ErrorCode::kIo, "cannot write " + config.string()};
  }
  ServerSpec spec{
      .name = "ngIRCd",
      .address = loopback_address(port),
      .spawn = {.argv = {"ngircd", "--nodaemon", "--config", config.string()},
                .log = dir.value() / "ngircd.log",
                .run_as = kUser},
      .ready = [port] { return port_accepts(port); },
  };
  auto process = ServerProcess::start(std::move(spec));
  if (!process.ok()) return process.error();
  return IrcServer(std::move(dir).value(), std::move(process).value(), port);
}

}  // namespace fmn::test
