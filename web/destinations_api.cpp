#include "web/destinations_api.h"

#include "core/query_string.h"
#include "prefs/confirmation.h"
#include "prefs/destination_secret.h"
#include "web/json_body.h"
#include "web/public_url.h"
#include "web/test_notification.h"

namespace fmn::web {
namespace {

constexpr size_t kDrawnAddressChars = 20;  // an SSE feed's name: 100 bits, nobody else's

// GET /: the user's destinations and the kinds they may add.
HttpResponse list(const DestinationsContext& c, const prefs::User& user) {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("destinations");
  w.StartArray();
  for (const prefs::Destination& d : user.destinations) write_destination(w, d, c.sse_url);
  w.EndArray();
  w.Key("kinds");
  write_destination_kinds(w);
  w.EndObject();
  return {200, "application/json", buffer.GetString(), {}};
}

// The destination, with `secret` when one was just made: the only time it is shown.
HttpResponse destination_answer(const DestinationsContext& c, int status,
                                const prefs::Destination& d, std::string_view secret = {}) {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  write_destination(w, d, c.sse_url, secret);
  return {status, "application/json", buffer.GetString(), {}};
}

// The kinds users may add, "email, irc, ...", for messages.
std::string offered_kinds() {
  std::string out;
  for (const DestinationKindInfo& k : destination_kinds()) {
    if (k.user_destination) out += (out.empty() ? "" : ", ") + std::string(k.name);
  }
  return out;
}

std::optional<HttpResponse> store_user(const DestinationsContext& c, const prefs::User& user) {
  prefs::Status stored = c.store.put_user(user);
  if (stored) return std::nullopt;
  return json_error(stored.error().code == ErrorCode::kInvalidConfig ? 422 : 503,
                    stored.error().message);
}

// The answer to a request a rate limit did not let through (nullopt: it did): 429 with
// `limited`, or 503 when the limits could not be read (they fail closed, confirmation_limits.h).
std::optional<HttpResponse> refusal(Take take, std::string_view limited) {
  if (take == Take::kTaken) return std::nullopt;
  if (take == Take::kRefused) return json_error(429, limited);
  return json_error(503, "the rate limits cannot be checked now; try again later");
}

HttpResponse request_confirmation(const DestinationsContext& c, prefs::User& user,
                                  prefs::Destination& d, int status, std::string_view secret);

// What the kinds table says decides the steps: the address given or drawn, a secret made or
// not, a confirmation request sent or the destination confirmed at once.
HttpResponse add(const DestinationsContext& c, prefs::User& user, const HttpRequest& request) {
  auto body = parse_json_object(request.body);
  if (!body) return json_error(400, body.error().message);
  auto name = string_member(*body, "name");
  auto kind_name = string_member(*body, "kind");
  auto address = string_member(*body, "address");
  if (!name || !kind_name || !address || !name->has_value() || !kind_name->has_value() ||
      (*name)->empty()) {
    return json_error(400, "a destination needs a name and a kind (strings)");
  }
  const std::optional<DestinationKind> kind = destination_kind_named(**kind_name);
  if (!kind || !destination_kind_info(*kind).user_destination) {
    return json_error(400, "kind must be one of: " + offered_kinds());
  }
  const DestinationKindInfo& info = destination_kind_info(*kind);
  prefs::Destination d;
  d.name = **name;
  d.kind = *kind;
  if (info.address_drawn) {
    d.address = prefs::random_token(kDrawnAddressChars);
  } else if (address->has_value()) {
    d.address = **address;
  } else {
    return json_error(400, "a destination of this kind needs an address (a string)");
  }
  if (user.find_destination(d.name) != nullptr) {
    return json_error(409, "a destination with this name exists");
  }
  const std::string secret =
      info.secret_holder.empty() ? std::string() : prefs::new_destination_secret(d);
  user.destinations.push_back(d);
  if (!info.address_drawn) {
    return request_confirmation(c, user, user.destinations.back(), 201, secret);
  }
  user.destinations.back().confirmation.state = prefs::ConfirmationState::kConfirmed;
  if (auto refused = store_user(c, user)) return *refused;
  return destination_answer(c, 201, user.destinations.back(), secret);
}

// Gives `d` (one of `user`'s destinations) a fresh code, stores the user and sends `d` its
// confirmation request, within the limits; answers `status` with the destination (and
// `secret`, when it was just made).
HttpResponse request_confirmation(const DestinationsContext& c, prefs::User& user,
                                  prefs::Destination& d, int status, std::string_view secret) {
  if (!c.send) return json_error(503, "confirmations cannot be sent by this server");
  if (auto refused = refusal(c.limits.try_take(user.name, d.address),
                             "too many confirmation requests; try again later")) {
    return *refused;
  }
  prefs::start_confirmation(d, c.now_unix);
  if (auto refused = store_user(c, user)) return *refused;
  sinks::ConfirmationRequest request{
      user.name, d.kind, d.address, d.confirmation.code, d.confirmation.expires_at, {}};
  if (!destination_kind_info(d.kind).secret_hashed) request.secret = d.token;
  if (!c.send(request)) return json_error(503, "no sink sends to this kind of destination");
  return destination_answer(c, status, d, secret);
}

// A new secret for a destination of a kind that has one; the old one stops working once the
// pipeline has read the change (the change feed, within a second).
HttpResponse rotate(const DestinationsContext& c, prefs::User& user, prefs::Destination& d) {
  if (destination_kind_info(d.kind).secret_holder.empty()) {
    return json_error(409, "this kind of destination has no secret");
  }
  const std::string secret = prefs::new_destination_secret(d);
  if (auto refused = store_user(c, user)) return *refused;
  return destination_answer(c, 200, d, secret);
}

HttpResponse send_test(const DestinationsContext& c, const prefs::User& user,
                       const prefs::Destination& d) {
  if (d.confirmation.state != prefs::ConfirmationState::kConfirmed) {
    return json_error(409, "this destination is not confirmed");
  }
  if (!c.send_test) return json_error(503, "test notifications cannot be sent by this server");
  if (auto refused = refusal(c.test_limits.try_take(user.name),
                             "too many test notifications; try again in a minute")) {
    return *refused;
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

void write_destination(JsonWriter& w, const prefs::Destination& d, std::string_view sse_url,
                       std::string_view secret) {
  w.StartObject();
  w.Key("name");
  write_string(w, d.name);
  w.Key("kind");
  write_string(w, destination_kind_name(d.kind));
  w.Key("address");
  write_string(w, d.address);
  if (d.kind == DestinationKind::kSse) {
    w.Key("url");
    write_string(w, feed_url(sse_url, d.address));
  }
  w.Key("state");
  write_string(w, prefs::confirmation_state_name(d.confirmation.state));
  if (d.confirmation.state == prefs::ConfirmationState::kPending) {
    w.Key("expires_at");
    w.Int64(d.confirmation.expires_at);
  }
  if (!secret.empty()) {
    w.Key("token");
    write_string(w, secret);
  }
  w.EndObject();
}

void write_destination_kinds(JsonWriter& w) {
  w.StartArray();
  for (const DestinationKindInfo& k : destination_kinds()) {
    if (!k.user_destination) continue;
    w.StartObject();
    w.Key("kind");
    write_string(w, k.name);
    w.Key("address_noun");
    write_string(w, k.address_noun);
    w.Key("address_hint");
    write_string(w, k.address_hint);
    w.Key("address_drawn");
    w.Bool(k.address_drawn);
    w.Key("secret");
    w.Bool(!k.secret_holder.empty());
    w.EndObject();
  }
  w.EndArray();
}

HttpResponse destinations_api(const DestinationsContext& c, std::string_view user_name,
                              std::string_view rest, const HttpRequest& request) {
  auto loaded = c.store.load_user(user_name);
  if (!loaded) return json_error(503, "the preferences store is not available");
  if (!loaded->has_value()) return json_error(404, "no preferences for this account");
  prefs::User& user = **loaded;
  if (rest.empty() || rest == "/") {
    if (request.method == "GET") return list(c, user);
    if (request.method != "POST") return json_error(405, "method not allowed");
    return add(c, user, request);
  }
  // "/<name>", or "/<name>/test", "/<name>/resend" and "/<name>/rotate" (actions, POST only).
  std::string_view action;
  for (std::string_view known : {"/test", "/resend", "/rotate"}) {
    if (rest.size() > known.size() + 1 && rest.ends_with(known)) action = known;
  }
  const std::string name = url_decode(rest.substr(1, rest.size() - 1 - action.size()));
  prefs::Destination* destination = user.find_destination(name);
  if (destination == nullptr) return json_error(404, "no such destination");
  if (!action.empty() && request.method != "POST") return json_error(405, "method not allowed");
  if (action == "/test") return send_test(c, user, *destination);
  if (action == "/rotate") return rotate(c, user, *destination);
  if (action == "/resend") {
    if (destination->confirmation.state != prefs::ConfirmationState::kPending) {
      return json_error(409, "only a destination waiting for its confirmation can ask again");
    }
    return request_confirmation(c, user, *destination, 202, {});
  }
  if (request.method != "DELETE") return json_error(405, "method not allowed");
  std::erase_if(user.destinations, [&](const prefs::Destination& d) { return d.name == name; });
  for (prefs::Rule& rule : user.rules) {
    std::erase_if(rule.deliveries, [&](const prefs::Delivery& d) { return d.destination == name; });
  }
  if (auto refused = store_user(c, user)) return *refused;
  return {204, "application/json", "", {}};
}

}  // namespace fmn::web
