#include "web/web_app.h"

#include <algorithm>
#include <chrono>

#include "core/log.h"
#include "core/query_string.h"
#include "core/secret_equal.h"
#include "prefs/dsl_rule_validator.h"
#include "web/check_api.h"
#include "web/confirm_page.h"
#include "web/history_api.h"
#include "web/json_body.h"
#include "web/memory_pending_sign_ins.h"
#include "web/memory_rate_buckets.h"
#include "web/memory_session_store.h"
#include "web/oidc_sign_in.h"
#include "web/preview_api.h"
#include "web/redis_pending_sign_ins.h"
#include "web/redis_rate_buckets.h"
#include "web/redis_session_store.h"
#include "web/rule_templates.h"
#include "web/rules_api.h"
#include "web/sign_in.h"
#include "web/static_asset.h"
#include "web/unsubscribe_page.h"

namespace fmn::embedded {
std::string_view web_app_html();
std::string_view web_history_js();
std::string_view web_rule_editor_js();
std::string_view web_rule_editor_js_gz();
}  // namespace fmn::embedded

namespace fmn::web {
namespace {

constexpr std::string_view kScript = "text/javascript; charset=utf-8";

int64_t now_unix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<std::unique_ptr<WebApp>> WebApp::start(WebAppConfig config, HttpServerConfig server,
                                              std::unique_ptr<prefs::PreferenceStore> store,
                                              std::shared_ptr<dsl::RuleCompiler> compiler) {
  std::unique_ptr<WebApp> app(new WebApp(std::move(config), std::move(store), std::move(compiler)));
  WebApp* self = app.get();
  auto opened =
      HttpServer::open(std::move(server), [self](const HttpRequest& r) { return self->handle(r); });
  if (!opened) return opened.error();
  app->server_ = std::move(opened).value();
  app->loopback_ = app->server_->loopback();
  app->server_->serve();
  return app;
}

WebApp::WebApp(WebAppConfig config, std::unique_ptr<prefs::PreferenceStore> store,
               std::shared_ptr<dsl::RuleCompiler> compiler)
    : config_(std::move(config)),
      store_(std::move(store)),
      compiler_(std::move(compiler)),
      redis_(config_.redis ? std::make_shared<sinks::SharedRedisConnection>(*config_.redis)
                           : nullptr),
      rate_buckets_(redis_
                        ? std::shared_ptr<RateBuckets>(std::make_shared<RedisRateBuckets>(redis_))
                        : std::make_shared<MemoryRateBuckets>()),
      confirmation_limits_(config_.confirmation_limits, rate_buckets_),
      test_limits_(config_.test_limits, rate_buckets_) {
  if (redis_) {
    sessions_ = std::make_unique<RedisSessionStore>(redis_);
    pending_sign_ins_ = std::make_unique<RedisPendingSignIns>(redis_, config_.pending_sign_ins);
  } else {
    sessions_ = std::make_unique<MemorySessionStore>();
    pending_sign_ins_ = std::make_unique<MemoryPendingSignIns>(config_.pending_sign_ins);
  }
}

WebApp::~WebApp() {
  if (server_) server_->stop();
}

HttpResponse WebApp::handle(const HttpRequest& request) {
  counters_.requests.fetch_add(1, std::memory_order_relaxed);
  const std::string_view path = request.path;
  if (path.starts_with("/api/v1/")) return api(request, path.substr(7));
  if (path == "/unsubscribe") {
    std::lock_guard lock(store_mu_);
    HttpResponse response = unsubscribe_page(config_.unsubscribe_secret, *store_, request);
    if (response.status == 403) counters_.unsubscribe_refused.fetch_add(1);
    if (response.status == 200 && request.method == "POST") counters_.unsubscribes.fetch_add(1);
    return response;
  }
  if (path == "/confirm") {
    std::lock_guard lock(store_mu_);
    return confirm_page(*store_, request, now_unix());
  }
  if (config_.oidc && (path == "/oidc/login" || path == config_.oidc_callback_path)) {
    const OidcSignIn oidc{*config_.oidc, *pending_sign_ins_, *sessions_, config_.secure_cookies};
    if (path == config_.oidc_callback_path) {
      HttpResponse response = oidc_callback(oidc, request);
      if (response.status >= 400 && response.status < 500) counters_.oidc_refused.fetch_add(1);
      return response;
    }
    if (request.method != "GET") return text_page(405, "Method not allowed.");
    return oidc_login(oidc);
  }
  if (request.method == "GET" && path == "/history.js") {
    static const StaticAsset history = make_static_asset(kScript, embedded::web_history_js());
    return serve_asset(history, request);
  }
  if (request.method == "GET" && path == "/rule-editor.js") {
    static const StaticAsset editor = make_static_asset(kScript, embedded::web_rule_editor_js(),
                                                        embedded::web_rule_editor_js_gz());
    return serve_asset(editor, request);
  }
  if (request.method == "GET" && (path == "/" || path.starts_with("/settings/"))) {
    return html_page(200, std::string(embedded::web_app_html()));
  }
  return json_error(404, "not found");
}

prefs::AnswerOutcome WebApp::answer_confirmation(const prefs::ConfirmationReply& reply) {
  std::lock_guard lock(store_mu_);
  return prefs::apply_answer(*store_, reply, now_unix());
}

HttpResponse WebApp::api(const HttpRequest& request, std::string_view rest) {
  const std::string_view method = request.method;
  if (rest == "/session/demo" && method == "POST") {
    std::lock_guard lock(store_mu_);
    return demo_sign_in({config_.demo_sign_in, loopback_, config_.secure_cookies}, *sessions_,
                        *store_, request);
  }
  if (rest == "/session/options" && method == "GET") return sign_in_options();
  if (rest == "/templates" && method == "GET") return rule_templates_json();  // nobody's data
  const std::string_view id = request.cookie(kSessionCookie);
  Result<std::optional<Session>> found = sessions_->find(id);
  if (!found) return sessions_unavailable(found.error());
  const std::optional<Session>& session = *found;
  if (!session) {
    counters_.unauthenticated.fetch_add(1, std::memory_order_relaxed);
    return json_error(401, "sign in first");
  }
  if (method != "GET" && !secrets_equal(request.header("x-csrf-token"), session->csrf_token)) {
    counters_.csrf_refused.fetch_add(1, std::memory_order_relaxed);
    return json_error(403, "missing or wrong X-CSRF-Token");
  }
  if (rest == "/session") {
    if (method == "GET") return session_json(*session);
    if (method == "DELETE") return end_session(*sessions_, id, config_.secure_cookies);
    return json_error(405, "method not allowed");
  }
  if (rest == "/check") {
    if (method != "POST") return json_error(405, "method not allowed");
    prefs::User user;  // its lists: none for a user the store does not have yet
    {
      std::lock_guard lock(store_mu_);
      auto loaded = store_->load_user(session->user);
      if (!loaded) return json_error(500, "cannot read your preferences");
      if (loaded->has_value()) user = std::move(**loaded);
    }
    return check_rule(*compiler_, prefs::list_entries(user), request);
  }
  if (rest == "/preview") {
    if (method != "POST") return json_error(405, "method not allowed");
    return preview(session->user, request);
  }
  if (rest == "/history") {
    if (!config_.history) return json_error(503, "no delivery history is kept");
    return history_api(*config_.history, session->user, request);
  }
  if (rest == "/rules" || rest.starts_with("/rules/")) {
    std::lock_guard lock(store_mu_);
    return rules_api(*store_, *compiler_, config_.sse_public_url, session->user, rest.substr(6),
                     request);
  }
  if (rest == "/destinations" || rest.starts_with("/destinations/")) {
    std::lock_guard lock(store_mu_);
    return destinations_api(destinations_context(), session->user, rest.substr(13), request);
  }
  if (rest.starts_with("/users/")) return admin_read(*session, request, rest.substr(7));
  return json_error(404, "not found");
}

DestinationsContext WebApp::destinations_context() {
  return {*store_,      config_.send_confirmation, confirmation_limits_,   config_.send_test,
          test_limits_, config_.public_url,        config_.sse_public_url, now_unix()};
}

// Reuses the user's own GET handlers with the named user: a GET only reads, whoever it is for.
HttpResponse WebApp::admin_read(const Session& session, const HttpRequest& request,
                                std::string_view rest) {
  const bool admin =
      std::find(config_.admins.begin(), config_.admins.end(), session.user) != config_.admins.end();
  if (!admin || request.method != "GET") {
    counters_.admin_refused.fetch_add(1, std::memory_order_relaxed);
    log::warn("web_admin_refused", {{"user", session.user}, {"method", request.method}});
    return json_error(403, admin ? "admins may only read other users' preferences"
                                 : "only admins may read other users' preferences");
  }
  const size_t slash = rest.find('/');
  const std::string whose = url_decode(rest.substr(0, slash));
  const std::string_view what =
      slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  if (what != "rules" && what != "destinations" && what != "history") {
    return json_error(404, "not found");
  }
  counters_.admin_reads.fetch_add(1, std::memory_order_relaxed);
  log::info("web_admin_read", {{"admin", session.user}, {"user", whose}, {"what", what}});
  if (what == "history") {
    if (!config_.history) return json_error(503, "no delivery history is kept");
    return history_api(*config_.history, whose, request);
  }
  std::lock_guard lock(store_mu_);
  if (what == "rules") {
    return rules_api(*store_, *compiler_, config_.sse_public_url, whose, "", request);
  }
  return destinations_api(destinations_context(), whose, "", request);
}

// A preview runs with the user's stored parameters, read under the store's lock; the scan
// itself runs outside it.
HttpResponse WebApp::preview(const std::string& user, const HttpRequest& request) {
  if (!config_.recent) return json_error(503, "no recent messages are kept (recent.max_messages)");
  dsl::UserParams params;
  {
    std::lock_guard lock(store_mu_);
    auto loaded = store_->load_user(user);
    if (!loaded) return json_error(500, "cannot read your preferences");
    if (loaded->has_value()) {
      params = prefs::rule_params(**loaded);
    } else {
      params.me = user;
    }
  }
  return preview_rule(*compiler_, *config_.recent, params, request,
                      std::chrono::system_clock::now());
}

// The ways in the page offers before anyone is signed in.
HttpResponse WebApp::sign_in_options() const {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("demo");
  w.Bool(config_.demo_sign_in && loopback_);
  w.Key("oidc");
  w.Bool(config_.oidc != nullptr);
  w.EndObject();
  return {200, "application/json", buffer.GetString(), {}};
}

}  // namespace fmn::web
