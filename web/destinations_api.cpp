#include "web/destinations_api.h"

#include "core/query_string.h"
#include "prefs/confirmation.h"
#include "web/json_body.h"
#include "web/test_notification.h"

namespace fmn::web {
namespace {

HttpResponse destination_answer(int status, const prefs::Destination& d) {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  write_destination(w, d);
  return {status, "application/json", buffer.GetString(), {}};
}

HttpResponse request_confirmation(const DestinationsContext& c, prefs::User& user,
                                  prefs::Destination& d, int status);

HttpResponse add(const DestinationsContext& c, prefs::User& user, const HttpRequest& request) {
  auto body = parse_json_object(request.body);
  if (!body) return json_error(400, body.error().message);
  auto name = string_member(*body, "name");
  auto kind = string_member(*body, "kind");
  auto address = string_member(*body, "address");
  if (!name || !kind || !address || !name->has_value() || !kind->has_value() ||
      !address->has_value() || (*name)->empty()) {
    return json_error(400, "a destination needs a name, a kind and an address (strings)");
  }
  prefs::Destination d;
  d.name = **name;
  d.address = **address;
  if (!prefs::parse_destination_kind(**kind, d.kind) || d.kind == DestinationKind::kSse) {
    return json_error(400, "kind must be email or irc");
  }
  if (user.find_destination(d.name) != nullptr) {
    return json_error(409, "a destination with this name exists");
  }
  user.destinations.push_back(d);
  return request_confirmation(c, user, user.destinations.back(), 201);
}

// Gives `d` (one of `user`'s destinations) a fresh code, stores the user and sends `d` its
// confirmation request, within the limits; answers `status` with the destination.
HttpResponse request_confirmation(const DestinationsContext& c, prefs::User& user,
                                  prefs::Destination& d, int status) {
  if (!c.send) return json_error(503, "confirmations cannot be sent by this server");
  if (!c.limits.try_take(user.name, d.address)) {
    return json_error(429, "too many confirmation requests; try again later");
  }
  prefs::start_confirmation(d, c.now_unix);
  prefs::Status stored = c.store.put_user(user);
  if (!stored) {
    return json_error(stored.error().code == ErrorCode::kInvalidConfig ? 422 : 503,
                      stored.error().message);
  }
  if (!c.send({user.name, d.kind, d.address, d.confirmation.code, d.confirmation.expires_at})) {
    return json_error(503, "no sink sends to this kind of destination");
  }
  return destination_answer(status, d);
}

HttpResponse send_test(const DestinationsContext& c, const prefs::User& user,
                       const prefs::Destination& d) {
  if (d.confirmation.state != prefs::ConfirmationState::kConfirmed) {
    return json_error(409, "this destination is not confirmed");
  }
  if (!c.send_test) return json_error(503, "test notifications cannot be sent by this server");
  if (!c.test_limits.try_take(user.name)) {
    return json_error(429, "too many test notifications; try again in a minute");
  }
  auto notification = test_notification(user.name, d, c.app_url, c.now_unix);
  if (!notification) return json_error(500, notification.error().message);
  if (!c.send_test(*notification)) {
    return json_error(503, "no sink sends to this kind of destination");
  }
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("sent");
  w.Bool(true);
  w.Key("destination");
  write_string(w, d.name);
  w.EndObject();
  return {202, "application/json", buffer.GetString(), {}};
}

}  // namespace

void write_destination(JsonWriter& w, const prefs::Destination& d) {
  w.StartObject();
  w.Key("name");
  write_string(w, d.name);
  w.Key("kind");
  write_string(w, destination_kind_name(d.kind));
  w.Key("address");
  write_string(w, d.address);
  w.Key("state");
  write_string(w, prefs::confirmation_state_name(d.confirmation.state));
  if (d.confirmation.state == prefs::ConfirmationState::kPending) {
    w.Key("expires_at");
    w.Int64(d.confirmation.expires_at);
  }
  w.EndObject();
}

HttpResponse destinations_api(const DestinationsContext& c, std::string_view user_name,
                              std::string_view rest, const HttpRequest& request) {
  auto loaded = c.store.load_user(user_name);
  if (!loaded) return json_error(503, "the preferences store is not available");
  if (!loaded->has_value()) return json_error(404, "no preferences for this account");
  prefs::User& user = **loaded;
  if (rest.empty() || rest == "/") {
    if (request.method != "POST") return json_error(405, "method not allowed");
    return add(c, user, request);
  }
  // "/<name>", or "/<name>/test" and "/<name>/resend" (actions, POST only).
  std::string_view action;
  for (std::string_view known : {"/test", "/resend"}) {
    if (rest.size() > known.size() + 1 && rest.ends_with(known)) action = known;
  }
  const std::string name = url_decode(rest.substr(1, rest.size() - 1 - action.size()));
  prefs::Destination* destination = user.find_destination(name);
  if (destination == nullptr) return json_error(404, "no such destination");
  if (!action.empty() && request.method != "POST") return json_error(405, "method not allowed");
  if (action == "/test") return send_test(c, user, *destination);
  if (action == "/resend") {
    if (destination->confirmation.state != prefs::ConfirmationState::kPending) {
      return json_error(409, "only a destination waiting for its confirmation can ask again");
    }
    return request_confirmation(c, user, *destination, 202);
  }
  if (request.method != "DELETE") return json_error(405, "method not allowed");
  std::erase_if(user.destinations, [&](const prefs::Destination& d) { return d.name == name; });
  for (prefs::Rule& rule : user.rules) {
    std::erase_if(rule.deliveries, [&](const prefs::Delivery& d) { return d.destination == name; });
  }
  prefs::Status stored = c.store.put_user(user);
  if (!stored) return json_error(503, "the preferences store is not available");
  return {204, "application/json", "", {}};
}

}  // namespace fmn::web
