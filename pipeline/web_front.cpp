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

// The text of a file holding a secret, surrounding whitespace dropped. Errors name `key` and
// the file, never its content.
Result<std::string> read_secret_file(std::string_view key, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::kInvalidConfig, std::string(key) + ": cannot read " + path};
  std::ostringstream text;
  text << in.rdbuf();
  std::string secret = text.str();
  const size_t first = secret.find_first_not_of(" \t\r\n");
  const size_t last = secret.find_last_not_of(" \t\r\n");
  return first == std::string::npos ? std::string() : secret.substr(first, last - first + 1);
}

}  // namespace

Result<std::string> link_secret(const ServiceConfig& config) {
  if (config.secret_key_file.empty()) {
    log::warn("link_key_per_run",
              {{"effect", "unsubscribe links of this run stop working at its end"},
               {"hint", "set web.secret_key_file"}});
    return prefs::random_token(52);
  }
  auto key = read_secret_file("web.secret_key_file", config.secret_key_file);
  if (!key) return key.error();
  if (key->size() < kMinKeyBytes) {
    return Error{ErrorCode::kInvalidConfig,
                 "web.secret_key_file: " + config.secret_key_file + " holds fewer than " +
                     std::to_string(kMinKeyBytes) +
                     " bytes (make one with: openssl rand -hex 32 > FILE)"};
  }
  return key;
}

Result<std::shared_ptr<oidc::OidcClient>> open_oidc_client(const ServiceConfig& config,
                                                           metrics::Registry& registry) {
  if (config.oidc_issuer.empty()) return std::shared_ptr<oidc::OidcClient>();
  auto secret = read_secret_file("oidc.client_secret_file", config.oidc_client_secret_file);
  if (!secret) return secret.error();
  if (secret->empty()) {
    return Error{ErrorCode::kInvalidConfig,
                 "oidc.client_secret_file: " + config.oidc_client_secret_file + " is empty"};
  }
  std::string base = config.public_url;
  while (base.ends_with('/')) base.pop_back();
  oidc::OidcConfig oidc;
  oidc.issuer = config.oidc_issuer;
  oidc.client_id = config.oidc_client_id;
  oidc.client_secret = std::move(secret).value();
  oidc.redirect_uri = base + config.oidc_redirect_path;
  oidc.username_claim = config.oidc_username_claim;
  oidc.scopes = config.oidc_scopes;
  auto client = oidc::OidcClient::create(std::move(oidc), oidc::make_curl_http_client(),
                                         SystemClock::instance(), &registry);
  if (!client) return Error{client.error().code, "oidc: " + client.error().message};
  return std::shared_ptr<oidc::OidcClient>(std::move(client).value());
}

Result<std::unique_ptr<web::WebApp>> open_web_app(
    const ServiceConfig& config, std::string secret, std::shared_ptr<dsl::RuleCompiler> compiler,
    std::shared_ptr<const sinks::RecentMessages> recent, web::ConfirmationSender send,
    web::NotificationSender send_test, std::shared_ptr<sinks::DeliveryHistory> history,
    metrics::Registry& registry) {
  auto store = open_store(config, compiler);
  if (!store) return store.error();
  auto oidc = open_oidc_client(config, registry);
  if (!oidc) return oidc.error();
  web::HttpServerConfig server;
  split_host_port(config.web_listen, server.bind, server.port);
  server.limits.max_connections = config.web_max_connections;
  server.limits.max_connections_per_ip = config.web_max_connections_per_ip;
  server.limits.header_timeout = milliseconds(config.web_header_timeout_seconds);
  server.limits.idle_timeout = milliseconds(config.web_idle_timeout_seconds);
  web::WebAppConfig app;
  app.public_url = config.public_url;
  app.sse_public_url = config.sink(DestinationKind::kSse).text("public_url");
  app.unsubscribe_secret = std::move(secret);
  app.demo_sign_in = config.web_demo;
  app.admins = config.web_admins;
  app.send_confirmation = std::move(send);
  app.send_test = std::move(send_test);
  app.history = std::move(history);
  app.oidc = std::move(oidc).value();
  app.oidc_callback_path = config.oidc_redirect_path;
  app.recent = std::move(recent);
  if (!config.redis.empty()) {
    sinks::RedisConfig redis;
    split_host_port(config.redis, redis.host, redis.port);
    app.redis = std::move(redis);
  }
  auto started =
      web::WebApp::start(std::move(app), server, std::move(store).value(), std::move(compiler));
  if (!started) return started.error();
  const web::WebApp* web = started->get();
  web->listener().register_metrics(registry);
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
  counter("fmn_web_oidc_refused_total",
          "OpenID Connect callbacks refused: unknown, used or expired state, or a refused sign-in.",
          c.oidc_refused);
  counter("fmn_web_admin_reads_total", "Other users' data read by admins (each read is logged).",
          c.admin_reads);
  counter("fmn_web_admin_refused_total",
          "Requests for other users' data refused: not an admin, or not a read.", c.admin_refused);
  registry.counter_fn(
      "fmn_web_rate_limits_unavailable_total",
      "Confirmation and test-notification requests refused because the rate limits' buckets "
      "(in Redis) could not be read: the limits fail closed.",
      [web] { return static_cast<double>(web->rate_limits_unavailable()); });
  if (config.web_demo) {
    log::warn("web_demo_sign_in",
              {{"listen", config.web_listen},
               {"effect", "anyone reaching it may sign in as any user (loopback listeners only)"}});
  }
  log::info("web_listening", {{"address", server.bind},
                              {"port", web->port()},
                              {"public_url", config.public_url},
                              {"sessions", config.redis.empty() ? "memory" : "redis"},
                              {"rate_limits", config.redis.empty() ? "memory" : "redis"}});
  return started;
}

}  // namespace fmn::pipeline
