#include "web/oidc_sign_in.h"

#include "core/log.h"
#include "core/query_string.h"
#include "web/sign_in.h"

namespace fmn::web {
namespace {

constexpr std::string_view kStartAgain = " <a href=\"/oidc/login\">Sign in again</a>.";

HttpResponse refused(int status, std::string_view why) {
  return text_page(status, std::string(why) + std::string(kStartAgain));
}

// A store of sign-ins or sessions out of reach (a shared Redis): the log line says which.
HttpResponse unavailable() {
  return text_page(503, "Signing in is unavailable. Please try again later.");
}

HttpResponse redirect(int status, std::string location) {
  HttpResponse response = html_page(status, "");
  response.headers.emplace_back("Location", std::move(location));
  return response;
}

}  // namespace

HttpResponse oidc_login(const OidcSignIn& oidc) {
  auto start = oidc.client.begin();
  if (!start) {
    log::warn("oidc_login_failed", {{"error", start.error().message}});
    return text_page(502, "The sign-in service cannot be reached. Please try again later.");
  }
  if (auto kept = oidc.pending.add(std::move(start->pending)); !kept) {
    log::warn("oidc_login_failed", {{"error", kept.error().message}});
    return unavailable();
  }
  return redirect(302, std::move(start->url));
}

HttpResponse oidc_callback(const OidcSignIn& oidc, const HttpRequest& request) {
  if (request.method != "GET") return text_page(405, "Method not allowed.");
  const std::string state = query_param(request.query, "state");
  const std::string code = query_param(request.query, "code");
  if (!query_param(request.query, "error").empty()) {
    (void)oidc.pending.take(state);  // used up whatever happens; a failure leaves it to expire
    log::warn("oidc_sign_in_refused", {{"reason", "the provider answered an error"},
                                       {"error", query_param(request.query, "error")}});
    return refused(400, "The sign-in was cancelled or refused at the provider.");
  }
  if (state.empty() || code.empty()) return refused(400, "This is not a sign-in answer.");
  Result<std::optional<oidc::PendingSignIn>> taken = oidc.pending.take(state);
  if (!taken) {
    log::warn("oidc_sign_in_failed", {{"error", taken.error().message}});
    return unavailable();
  }
  const std::optional<oidc::PendingSignIn>& pending = *taken;
  if (!pending) {
    log::warn("oidc_sign_in_refused", {{"reason", "no pending sign-in has this state"}});
    return refused(403, "This sign-in is unknown, already used or expired.");
  }
  auto who = oidc.client.finish({code, state, query_param(request.query, "iss")}, *pending);
  if (!who) {
    if (who.error().code == ErrorCode::kBadEnvelope) {
      return refused(403, "The sign-in was refused.");
    }
    return text_page(502, "The sign-in service failed. Please try again later.");
  }
  HttpResponse session = start_session(oidc.sessions, std::move(who->username), oidc.secure_cookie);
  if (session.status != 200) {
    return unavailable();
  }
  HttpResponse response = redirect(303, "/");
  for (auto& header : session.headers) response.headers.push_back(std::move(header));
  return response;
}

}  // namespace fmn::web
