// /api/v1/destinations: the signed-in user adds and removes destinations of the kinds users
// may name (core/destination_kinds.h: email addresses, IRC nicks, SSE feeds, webhooks).
//
//   GET    /api/v1/destinations          {"destinations": [...], "kinds": [...]}
//   POST   /api/v1/destinations          {"name", "kind", "address" (unless drawn)} -> 201
//   DELETE /api/v1/destinations/<name>   -> 204 (the rules' deliveries to it go too)
//   POST   /api/v1/destinations/<name>/test  -> 202 (a test notification, test_notification.h)
//   POST   /api/v1/destinations/<name>/resend  -> 202 (a pending one's new code and request)
//   POST   /api/v1/destinations/<name>/rotate  -> 200 (a new secret, shown once)
//
// Every step that differs between kinds comes from the kinds table, not from code per kind:
// whether the app draws the address (an SSE feed's name: the owner's at once, no confirmation
// message) or the user gives it (a confirmation request goes to it); whether it has a secret
// (made here, answered once as "token" on creation and on rotation, never again; kept as a
// digest when it is only compared, core/stored_secret.h). A webhook's confirmation request
// carries its secret, so the sink can sign the challenge before the pipeline has read the new
// destination.
//
// A new destination is stored pending with a fresh code (prefs/confirmation.h) and a
// confirmation request goes to the address itself through its kind's sink; nothing else is
// sent there until its owner follows the link (confirm_page.h). The code is never in an answer.
// A pending destination may ask again: a fresh code replaces the old one, its expiry starts
// over (409 when not pending). Requests, first or again, are rate-limited per user and per
// address alike (429). A test notification goes only to a
// confirmed destination (409 otherwise), at most a few a minute per user (429). The destination
// list itself is part of GET /api/v1/rules. REQUIRES: the caller gives each call exclusive use of
// `store`.
#pragma once

#include <functional>
#include <string_view>

#include "core/json_writer.h"
#include "prefs/preference_store.h"
#include "sinks/confirmation.h"
#include "web/confirmation_limits.h"
#include "web/http_message.h"

namespace fmn::web {

// Hands a confirmation request to the sink of its kind; false when there is none.
using ConfirmationSender = std::function<bool(const sinks::ConfirmationRequest&)>;

// Hands a notification to the sink of its kind, beside the pipeline's batches; false when
// there is none.
using NotificationSender = std::function<bool(const Notification&)>;

struct DestinationsContext {
  prefs::PreferenceStore& store;
  const ConfirmationSender& send;
  ConfirmationLimits& limits;
  const NotificationSender& send_test;
  TestNotificationLimits& test_limits;
  std::string_view app_url;  // linked from test notifications
  std::string_view sse_url;  // the SSE server's public URL: feeds are shown under it
  int64_t now_unix;
};

// {"name", "kind", "address", "url" (SSE feeds: where a client opens it, under `sse_url`),
// "state", "expires_at" (pending only), "token" (only when `secret` is given: just made)}: how
// the API shows a destination (never its code, nor its stored secret).
void write_destination(JsonWriter& w, const prefs::Destination& destination,
                       std::string_view sse_url, std::string_view secret = {});

// [{"kind", "address_noun", "address_hint", "address_drawn", "secret"}...]: the kinds users
// may add, from the kinds table.
void write_destination_kinds(JsonWriter& w);

// `rest` is the path after "/api/v1/destinations" ("" or "/<name>").
HttpResponse destinations_api(const DestinationsContext& context, std::string_view user,
                              std::string_view rest, const HttpRequest& request);

}  // namespace fmn::web
