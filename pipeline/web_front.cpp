#include "pipeline/web_front.h"

#include <fstream>
#include <sstream>

#include "core/log.h"
#include "prefs/confirmation.h"
#include "prefs/dsl_rule_validator.h"
#include "prefs/file_store.h"
#include "prefs/pg_store.h"

namespace fmn::pipeline {
namespace {

constexpr size_t kMinKeyBytes = 32;

Result<std::unique_ptr<prefs::PreferenceStore>> open_store(
    const ServiceConfig& config, const std::shared_ptr<dsl::RuleCompiler>& compiler) {
  if (!config.prefs_database.empty()) {
    auto pg = prefs::PgStore::open(config.prefs_database, prefs::dsl_rule_validator(compiler));
    if (!pg) return pg.error();
    return std::unique_ptr<prefs::PreferenceStore>(std::move(pg).value());
  }
  return std::unique_ptr<prefs::PreferenceStore>(
      std::make_unique<prefs::FileStore>(config.prefs_file, prefs::dsl_rule_validator(compiler)));
}

}  // namespace

Result<std::string> link_secret(const ServiceConfig& config) {
  if (config.secret_key_file.empty()) {
    log::warn("link_key_per_run",
              {{"effect", "unsubscribe links of this run stop working at its end"},
               {"hint", "set web.secret_key_file"}});
    return prefs::random_token(52);
  }
  std::ifstream in(config.secret_key_file, std::ios::binary);
  if (!in) {
    return Error{ErrorCode::kInvalidConfig,
                 "web.secret_key_file: cannot read " + config.secret_key_file};
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string key = text.str();
  const size_t first = key.find_first_not_of(" \t\r\n");
  const size_t last = key.find_last_not_of(" \t\r\n");
  key = first == std::string::npos ? std::string() : key.substr(first, last - first + 1);
  if (key.size() < kMinKeyBytes) {
    return Error{ErrorCode::kInvalidConfig,
                 "web.secret_key_file: " + config.secret_key_file + " holds fewer than " +
                     std::to_string(kMinKeyBytes) +
                     " bytes (make one with: openssl rand -hex 32 > FILE)"};
  }
  return key;
}

Result<std::unique_ptr<web::WebApp>> open_web_app(const ServiceConfig& config, std::string secret,
                                                  std::shared_ptr<dsl::RuleCompiler> compiler,
                                                  web::ConfirmationSender send,
                                                  metrics::Registry& registry) {
  auto store = open_store(config, compiler);
  if (!store) return store.error();
  web::HttpServerConfig server;
  split_host_port(config.web_listen, server.bind, server.port);
  web::WebAppConfig app;
  app.public_url = config.public_url;
  app.unsubscribe_secret = std::move(secret);
  app.demo_sign_in = config.web_demo;
  app.send_confirmation = std::move(send);
  auto started =
      web::WebApp::start(std::move(app), server, std::move(store).value(), std::move(compiler));
  if (!started) return started.error();
  const web::WebApp* web = started->get();
  const web::WebCounters& c = web->counters();
  auto counter = [&](const char* name, const char* help, const std::atomic<uint64_t>& value) {
    registry.counter_fn(name, help, [&value] { return static_cast<double>(value.load()); });
  };
  counter("fmn_web_requests_total", "Requests answered by the web app.", c.requests);
  counter("fmn_web_unauthenticated_total", "API requests refused for want of a session.",
          c.unauthenticated);
  counter("fmn_web_csrf_refused_total",
          "State-changing API requests refused for a missing or wrong CSRF token.", c.csrf_refused);
  counter("fmn_web_unsubscribe_refused_total",
          "Unsubscribe links refused: forged, altered or signed with another key.",
          c.unsubscribe_refused);
  counter("fmn_web_unsubscribes_total", "Deliveries stopped through unsubscribe links.",
          c.unsubscribes);
  if (config.web_demo) {
    log::warn("web_demo_sign_in",
              {{"listen", config.web_listen},
               {"effect", "anyone reaching it may sign in as any user (loopback listeners only)"}});
  }
  log::info("web_listening",
            {{"address", server.bind}, {"port", web->port()}, {"public_url", config.public_url}});
  return started;
}

}  // namespace fmn::pipeline
