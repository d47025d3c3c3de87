// The web app: the page and the JSON API (/api/v1/, docs/web.md) through which users sign in
// and change their own preferences, and the links of notifications and confirmation requests
// (/unsubscribe, /confirm). With an OpenID Connect client, /oidc/login and the callback sign
// people in (oidc_sign_in.h).
//
// Every /api/v1/ request but the sign-in and the rule templates needs a session cookie (401
// without), and every one
// that is not a GET also needs the session's CSRF token in X-CSRF-Token (403 without), so a
// page on another site can neither read nor change anything. Handlers only ever see the
// session's user. The preference store is used by one request at a time (stores are not
// thread-safe); the rule checker is shared, and its cache makes repeated checks cheap.
// Refusals are counted (counters()) and never log secrets.
// Thread-safety: handle() may be called from any thread (the server's).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "dsl/rule_compiler.h"
#include "prefs/confirmation.h"
#include "prefs/preference_store.h"
#include "sinks/delivery_history.h"
#include "sinks/recent_messages.h"
#include "sinks/redis_connection.h"
#include "sinks/shared_redis_connection.h"
#include "web/confirmation_limits.h"
#include "web/destinations_api.h"
#include "web/http_server.h"
#include "web/oidc/oidc_client.h"
#include "web/pending_sign_ins.h"
#include "web/public_url.h"
#include "web/session_store.h"

namespace fmn::web {

struct WebAppConfig {
  std::string public_url{kDefaultPublicUrl};         // where links in notifications point
  std::string sse_public_url{kDefaultSsePublicUrl};  // where clients open SSE feeds
  std::string unsubscribe_secret;                    // HMAC key of unsubscribe links
  // Users who may read (only read) another user's rules, destinations and history:
  // GET /api/v1/users/<user>/rules|destinations|history. Each read is logged (web_admin_read:
  // admin, user, what) and counted; anyone else is answered 403, and so is any other method.
  std::vector<std::string> admins;
  bool demo_sign_in = false;  // POST /api/v1/session/demo; refused unless on loopback
  bool secure_cookies = true;
  // Sends new destinations their confirmation request (destinations_api.h); none: adding a
  // destination is answered 503.
  ConfirmationSender send_confirmation;
  ConfirmationLimitsConfig confirmation_limits;
  // Sends the test notifications users ask for; none: such requests are answered 503.
  NotificationSender send_test;
  TestNotificationLimitsConfig test_limits;
  // The deliveries users read as "What you got" (history_api.h); none: /api/v1/history is 503.
  std::shared_ptr<sinks::DeliveryHistory> history;
  // Sign-in with OpenID Connect; none: /oidc/login is 404 and the page offers no such button.
  std::shared_ptr<oidc::OidcClient> oidc;
  std::string oidc_callback_path = "/oidc/callback";  // the path of the client's redirect_uri
  PendingSignInsConfig pending_sign_ins;
  // Where sessions, pending sign-ins and the rate limits' buckets live: in Redis, shared by every
  // web instance using it (redis_session_store.h, redis_pending_sign_ins.h,
  // redis_rate_buckets.h); none: in this process's memory.
  std::optional<sinks::RedisConfig> redis;
  // The recent messages previews run over (preview_api.h); none: previews are answered 503.
  std::shared_ptr<const sinks::RecentMessages> recent;
};

struct WebCounters {
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> unauthenticated{0};      // API requests without a live session
  std::atomic<uint64_t> csrf_refused{0};         // state-changing requests without the token
  std::atomic<uint64_t> unsubscribe_refused{0};  // links whose signature did not match
  std::atomic<uint64_t> unsubscribes{0};         // deliveries stopped by a valid link
  std::atomic<uint64_t> oidc_refused{0};         // OpenID Connect callbacks answered 4xx
  std::atomic<uint64_t> admin_reads{0};          // another user's data read by an admin
  std::atomic<uint64_t> admin_refused{0};        // /api/v1/users/ requests refused (403)
};

class WebApp {
 public:
  // Starts serving on `server` (its address decides whether the demo sign-in may work).
  static Result<std::unique_ptr<WebApp>> start(WebAppConfig config, HttpServerConfig server,
                                               std::unique_ptr<prefs::PreferenceStore> store,
                                               std::shared_ptr<dsl::RuleCompiler> compiler);
  ~WebApp();

  HttpResponse handle(const HttpRequest& request);
  // Applies an answer to a confirmation request that reached a sink (the IRC bot's /msg, a
  // webhook's echoed challenge) through the same path as the /confirm page, under the store's
  // lock. Thread-safe.
  prefs::AnswerOutcome answer_confirmation(const prefs::ConfirmationReply& reply);
  int port() const { return server_->port(); }
  const WebCounters& counters() const { return counters_; }
  // Requests refused because the rate limits' buckets could not be read (confirmation_limits.h).
  uint64_t rate_limits_unavailable() const { return rate_buckets_->unavailable_total(); }
  const net::Listener& listener() const { return server_->listener(); }
  void stop() { server_->stop(); }

 private:
  WebApp(WebAppConfig config, std::unique_ptr<prefs::PreferenceStore> store,
         std::shared_ptr<dsl::RuleCompiler> compiler);
  HttpResponse api(const HttpRequest& request, std::string_view rest);
  HttpResponse sign_in_options() const;
  HttpResponse preview(const std::string& user, const HttpRequest& request);
  // /api/v1/users/<user>/<what>: an admin's read of another user's data.
  HttpResponse admin_read(const Session& session, const HttpRequest& request,
                          std::string_view rest);
  // The destinations API's context for this request.
  DestinationsContext destinations_context();

  const WebAppConfig config_;
  std::mutex store_mu_;  // one request at a time uses store_
  std::unique_ptr<prefs::PreferenceStore> store_;
  std::shared_ptr<dsl::RuleCompiler> compiler_;
  std::shared_ptr<sinks::SharedRedisConnection> redis_;  // with config_.redis only
  std::unique_ptr<SessionStore> sessions_;
  std::unique_ptr<PendingSignIns> pending_sign_ins_;
  std::shared_ptr<RateBuckets> rate_buckets_;
  ConfirmationLimits confirmation_limits_;
  TestNotificationLimits test_limits_;
  WebCounters counters_;
  bool loopback_ = false;
  std::unique_ptr<HttpServer> server_;  // last: stopped first, before what handlers use
};

}  // namespace fmn::web
