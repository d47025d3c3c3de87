#include "pipeline/admin_server.h"

#include <httplib.h>
#include <sys/socket.h>

namespace fmn::pipeline {

AdminServer::AdminServer(const metrics::Registry& registry, std::vector<ReadinessCheck> checks,
                         AdminLimits limits, DeadLetterListing dead_letters)
    : registry_(registry),
      checks_(std::move(checks)),
      limits_(limits),
      dead_letters_(std::move(dead_letters)) {}

AdminServer::~AdminServer() { stop(); }

Result<bool> AdminServer::listen(const std::string& host, int port) {
  server_ = std::make_unique<httplib::Server>();
  server_->set_read_timeout(limits_.header_timeout);
  server_->set_keep_alive_timeout(
      std::chrono::duration_cast<std::chrono::seconds>(limits_.idle_timeout).count());
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(registry_.render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  server_->Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    std::string body;
    bool all = true;
    for (const ReadinessCheck& c : checks_) {
      bool ok = c.ready();
      all = all && ok;
      body += c.name + (ok ? ": ok\n" : ": not ready\n");
    }
    res.status = all ? 200 : 503;
    res.set_content(body.empty() ? "ok\n" : body, "text/plain");
  });
  if (dead_letters_) {
    server_->Get("/dead-letters", [this](const httplib::Request& req, httplib::Response& res) {
      auto listing = dead_letters_(req.get_param_value("user"));
      res.status = listing ? 200 : 503;
      res.set_content(listing ? listing.value() : listing.error().message + "\n",
                      "text/plain; charset=utf-8");
    });
  }
  // httplib's default options add SO_REUSEPORT, which lets two processes listen on one port.
  server_->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  port_ =
      port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (port_ < 0) {
    return Error{ErrorCode::kIo, "admin server cannot listen on " + host + ":" +
                                     std::to_string(port) +
                                     " (is another fmn-pipeline using it? see admin.listen)"};
  }
  return true;
}

void AdminServer::serve() {
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // httplib forgets a stop() that comes before its accept loop runs: wait for the loop.
  while (!server_->is_running()) std::this_thread::yield();
}

void AdminServer::stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace fmn::pipeline
