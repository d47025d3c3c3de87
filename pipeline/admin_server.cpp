#include "pipeline/admin_server.h"

#include "core/query_string.h"

namespace fmn::pipeline {

AdminServer::AdminServer(metrics::Registry& registry, std::vector<ReadinessCheck> checks,
                         net::ListenerLimits limits, DeadLetterActions dead_letters)
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
  config.max_body_bytes = 0;  // requests are GETs, and a POST with nothing to say
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

namespace {

// The answer of a dead-letter action.
void answer(web::HttpResponse& response, const Result<std::string>& text) {
  response.status = text ? 200 : 503;
  response.content_type = "text/plain; charset=utf-8";
  response.body = text ? text.value() : text.error().message + "\n";
}

}  // namespace

web::HttpResponse AdminServer::handle(const web::HttpRequest& request) const {
  web::HttpResponse response;
  response.content_type = "text/plain";
  if (request.path == "/dead-letters/replay" && dead_letters_.replay) {
    constexpr size_t kDefaultLimit = 1000;
    if (request.method != "POST") {
      response.status = 405;
      response.headers.emplace_back("Allow", "POST");
      response.body = "method not allowed\n";
    } else if (!request.header("origin").empty()) {
      response.status = 403;
      response.body = "not from a browser\n";
    } else {
      const auto limit = count_param(request.query, "limit", kDefaultLimit);
      if (!limit) {
        response.status = 400;
        response.body = "limit: expected a number\n";
      } else {
        answer(response, dead_letters_.replay(query_param(request.query, "user"), *limit));
      }
    }
  } else if (request.method != "GET") {
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
  } else if (request.path == "/dead-letters" && dead_letters_.list) {
    answer(response, dead_letters_.list(query_param(request.query, "user")));
  } else {
    response.status = 404;
    response.body = "not found\n";
  }
  return response;
}

}  // namespace fmn::pipeline
