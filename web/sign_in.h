// Signing in: every way in ends in start_session(), which issues the session cookie (random id,
// HttpOnly, SameSite=Strict, Secure) and answers {"user", "csrf_token"}; the page sends that
// token back in the X-CSRF-Token header of every state-changing request.
//
// The ways in: the demo sign-in below, and OpenID Connect, whose callback (web/oidc/) verifies
// the ID token and calls start_session() with the configured claim's value. The demo sign-in
// (POST /api/v1/session/demo {"user": "ralph"}) accepts any user present in the preferences,
// without a password: it is refused (403) unless it is enabled and the server listens on a
// loopback address only. It must be sent as application/json, which a cross-site form cannot.
#pragma once

#include <string>
#include <string_view>

#include "prefs/preference_store.h"
#include "web/http_message.h"
#include "web/session_store.h"

namespace fmn::web {

inline constexpr std::string_view kSessionCookie = "fmn_session";

HttpResponse start_session(SessionStore& sessions, std::string user, bool secure_cookie);

// 503 for a session store that failed (a shared store unreachable); logs why.
HttpResponse sessions_unavailable(const Error& error);

// {"user", "csrf_token"} of a live session.
HttpResponse session_json(const Session& session);

// Signs out: forgets the session and expires the cookie.
HttpResponse end_session(SessionStore& sessions, std::string_view id, bool secure_cookie);

struct DemoSignIn {
  bool enabled = false;
  bool loopback = false;  // the listener's address
  bool secure_cookie = true;
};
// REQUIRES: the caller gives the call exclusive use of `store`.
HttpResponse demo_sign_in(const DemoSignIn& demo, SessionStore& sessions,
                          prefs::PreferenceStore& store, const HttpRequest& request);

}  // namespace fmn::web
