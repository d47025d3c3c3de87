#include "web/sign_in.h"

#include "core/log.h"
#include "web/json_body.h"

namespace fmn::web {
namespace {

std::string cookie(std::string_view value, bool secure, std::string_view extra) {
  std::string out(kSessionCookie);
  out += "=";
  out += value;
  out += "; Path=/; HttpOnly; SameSite=Strict";
  if (secure) out += "; Secure";
  out += extra;
  return out;
}

}  // namespace

HttpResponse sessions_unavailable(const Error& error) {
  log::warn("web_sessions_unavailable", {{"error", error.message}});
  return json_error(503, "sessions are unavailable; try again shortly");
}

HttpResponse session_json(const Session& session) {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("user");
  write_string(w, session.user);
  w.Key("csrf_token");
  write_string(w, session.csrf_token);
  w.EndObject();
  return {200, "application/json", buffer.GetString(), {}};
}

HttpResponse start_session(SessionStore& sessions, std::string user, bool secure_cookie) {
  log::info("web_sign_in", {{"user", user}});
  Result<NewSession> created = sessions.create(std::move(user));
  if (!created) return sessions_unavailable(created.error());
  HttpResponse response = session_json(created->session);
  response.headers.emplace_back("Set-Cookie", cookie(created->id, secure_cookie, ""));
  return response;
}

HttpResponse end_session(SessionStore& sessions, std::string_view id, bool secure_cookie) {
  if (auto removed = sessions.remove(id); !removed) return sessions_unavailable(removed.error());
  HttpResponse response{204, "application/json", "", {}};
  response.headers.emplace_back("Set-Cookie", cookie("", secure_cookie, "; Max-Age=0"));
  return response;
}

HttpResponse demo_sign_in(const DemoSignIn& demo, SessionStore& sessions,
                          prefs::PreferenceStore& store, const HttpRequest& request) {
  if (!demo.enabled) return json_error(403, "the demo sign-in is not enabled");
  if (!demo.loopback) {
    return json_error(403, "the demo sign-in is refused: the server listens beyond loopback");
  }
  if (!request.header("content-type").starts_with("application/json")) {
    return json_error(415, "send application/json");
  }
  auto body = parse_json_object(request.body);
  if (!body) return json_error(400, body.error().message);
  auto user = string_member(*body, "user");
  if (!user || !user->has_value()) return json_error(400, "user is missing");
  auto found = store.load_user(**user);
  if (!found) return json_error(503, "the preferences store is not available");
  if (!found->has_value()) return json_error(403, "no such demo user");
  return start_session(sessions, std::move(**user), demo.secure_cookie);
}

}  // namespace fmn::web
