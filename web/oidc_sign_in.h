// Signing in with OpenID Connect (web/oidc/, docs/web.md "Configuring OpenID Connect"):
//
//   GET /oidc/login     draws a fresh state, nonce and verifier (OidcClient::begin()), keeps
//                       them server-side under the state (PendingSignIns) and redirects (302)
//                       the browser to the provider;
//   GET <callback>      takes the pending sign-in named by the `state` parameter (once), lets
//                       OidcClient::finish() exchange the code and verify the ID token, starts
//                       a session for the configured claim's user name (start_session()) and
//                       redirects (303) to the app.
//
// A callback is refused with a short page: 400 without code and state, or when the provider
// answered an error (the user cancelled); 403 when no pending sign-in has that state (unknown,
// used or expired) or finish() refuses it (the ID token, nonce, code...); 502 when the provider
// failed; 503 when the pending sign-ins or the sessions cannot be reached (a shared Redis). The app
// counts the 4xx. The page names no code, token or state; the reason is in OidcClient's log line.
// Thread-safe as OidcClient, PendingSignIns and SessionStore are.
#pragma once

#include "web/http_message.h"
#include "web/oidc/oidc_client.h"
#include "web/pending_sign_ins.h"
#include "web/session_store.h"

namespace fmn::web {

struct OidcSignIn {
  oidc::OidcClient& client;
  PendingSignIns& pending;
  SessionStore& sessions;
  bool secure_cookie = true;
};

HttpResponse oidc_login(const OidcSignIn& oidc);
HttpResponse oidc_callback(const OidcSignIn& oidc, const HttpRequest& request);

}  // namespace fmn::web
