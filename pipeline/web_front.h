// The service's front door: the key that signs the links in notifications, and the web app
// (web/web_app.h) started beside the pipeline with its own preference store (the same file or
// database the pipeline follows, so an edit in the app reaches matching through the file
// watcher or the change feed).
#pragma once

#include <memory>
#include <string>

#include "core/metrics.h"
#include "core/result.h"
#include "dsl/rule_compiler.h"
#include "pipeline/service_config.h"
#include "web/web_app.h"

namespace fmn::pipeline {

// The key of secret_key_file (surrounding whitespace dropped; at least 32 bytes), or, without a
// file, a random key for this run (validate() allows that only for a loopback public_url).
// The key itself is never logged.
Result<std::string> link_secret(const ServiceConfig& config);

// The OpenID Connect client of the [oidc] section (discovery runs here), or null without an
// issuer. The client secret is read from oidc.client_secret_file; errors never quote it.
Result<std::shared_ptr<oidc::OidcClient>> open_oidc_client(const ServiceConfig& config,
                                                           metrics::Registry& registry);

// Starts the web app on config.web_listen and registers its counters.
// REQUIRES: !config.web_listen.empty(); validate(config) passed. `registry` outlives the app.
// `send` hands new destinations' confirmation requests to the sinks, `send_test` the test
// notifications users ask for; `history` is what users read as "What you got". Signs in with OpenID
// Connect when config.oidc_issuer is set (open_oidc_client()).
// `recent` (may be null) is what previews run over. With state.redis, sessions and pending
// sign-ins live in that Redis, so any number of web instances share them.
Result<std::unique_ptr<web::WebApp>> open_web_app(
    const ServiceConfig& config, std::string secret, std::shared_ptr<dsl::RuleCompiler> compiler,
    std::shared_ptr<const sinks::RecentMessages> recent, web::ConfirmationSender send,
    web::NotificationSender send_test, std::shared_ptr<sinks::DeliveryHistory> history,
    metrics::Registry& registry);

}  // namespace fmn::pipeline
