#include "pipeline/admin_server.h"

#include "core/query_string.h"

namespace fmn::pipeline {

AdminServer::AdminServer(metrics::Registry& registry, std::vector<ReadinessCheck> checks,
                         net::ListenerLimits limits, DeadLetterListing dead_letters)
    : registry_(registry),
      checks_(std::move(checks)),
      limits_(limits),
      dead_letters_(std::move(dead_letters)) {}

AdminServer::~AdminServer() { stop(); }

Result<bool> AdminServer::listen(const std::string& host, int port) {
  web::HttpServerConfig config;
  config.name = "admin";
  config.bind = host;
  config.port = port;
  config.threads = 1;
  config.max_body_bytes = 0;  // requests are GETs
  config.limits = limits_;
  auto opened = web::HttpServer::open(std::move(config),
                                      [this](const web::HttpRequest& r) { return handle(r); });
  if (!opened) {
    return Error{opened.error().code,
                 opened.error().message + " (is another fmn-pipeline using it? see admin.listen)"};
  }
  server_ = std::move(opened).value();
  server_->listener().register_metrics(registry_);
  return true;
}

void AdminServer::serve() { server_->serve(); }

void AdminServer::stop() {
  if (server_) server_->stop();
}

web::HttpResponse AdminServer::handle(const web::HttpRequest& request) const {
  web::HttpResponse response;
  response.content_type = "text/plain";
  if (request.method != "GET") {
    response.status = 405;
    response.headers.emplace_back("Allow", "GET");
    response.body = "method not allowed\n";
  } else if (request.path == "/metrics") {
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = registry_.render();
  } else if (request.path == "/healthz") {
    response.body = "ok\n";
  } else if (request.path == "/readyz") {
    bool all = true;
    for (const ReadinessCheck& c : checks_) {
      const bool ok = c.ready();
      all = all && ok;
      response.body += c.name + (ok ? ": ok\n" : ": not ready\n");
    }
    response.status = all ? 200 : 503;
    if (response.body.empty()) response.body = "ok\n";
  } else if (request.path == "/dead-letters" && dead_letters_) {
    auto listing = dead_letters_(query_param(request.query, "user"));
    response.status = listing ? 200 : 503;
    response.content_type = "text/plain; charset=utf-8";
    response.body = listing ? listing.value() : listing.error().message + "\n";
  } else {
    response.status = 404;
    response.body = "not found\n";
  }
  return response;
}

}  // namespace fmn::pipeline
