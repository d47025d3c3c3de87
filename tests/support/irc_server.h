// IrcServer: a private ngIRCd on 127.0.0.1:<free port> with a generated configuration: no PAM,
// no ident or DNS lookups, no per-client command penalties (the flood throttling that would
// slow tests down; flood control is the IRC sink's job), nicks up to 30 characters, no limit on
// connections per IP. As root, ngIRCd runs as "nobody". The destructor kills the server and
// removes the directory. Move-only; not thread-safe.
//
//   auto irc = IrcServer::start();
//   ASSERT_TRUE(irc.ok()) << irc.error().message;
//   auto alice = IrcTestClient::connect(irc->port(), "alice");
#pragma once

#include <string>

#include "tests/support/loopback.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace fmn::test {

class IrcServer {
 public:
  static Result<IrcServer> start(int port = 0);

  std::string host() const { return kLoopback; }
  int port() const { return port_; }
  // The name the server gives itself in replies (":irc.fmn.test 001 ...").
  static constexpr const char* kServerName = "irc.fmn.test";

  Status stop() { return process_.stop(); }
  Status restart() { return process_.restart(); }
  void kill() { process_.kill(); }
  std::string log_text() const { return process_.log_text(); }

 private:
  IrcServer(TempDir dir, ServerProcess process, int port)
      : dir_(std::move(dir)), process_(std::move(process)), port_(port) {}

  TempDir dir_;  // declared first: outlives the server using it
  ServerProcess process_;
  int port_;
};

}  // namespace fmn::test
