// The destination kinds: the one table every layer derives its view of a kind from.
//
// Each kind declares its name (in preference files, SQL, logs, Redis keys, URLs), the section of
// fmn-pipeline's configuration that opens its sink, the label of its metrics, the templates it
// is rendered with, whether users may name it, how its address is checked and whether it has a
// per-destination secret. From it come the preferences' kind names and address validation, the
// SQL CHECK constraint on the kind (prefs/pg_migrations.cpp), the router's kind count and the
// service's stdout fallback; sinks/destination_sinks.h adds each kind's sink factory.
//
// It lives in core/ because prefs/ (validation, schema) and sinks/ (factories, refusing bad
// addresses) both need it and neither may include the other; the factories, which need the
// sinks' types, stay in sinks/.
//
// Adding a kind: an enumerator here (append only: outbox entries store the number) and a row in
// destination_kinds.cpp, its address syntax in core/destination_address.h when it has a new
// one, then its sink and factory under sinks/. Immutable; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace fmn {

enum class DestinationKind : uint8_t { kEmail, kIrc, kSse, kStdout, kWebhook };
inline constexpr size_t kDestinationKindCount = 5;

// Which of the renderer's templates a kind is rendered with (sinks/renderer.h).
enum class TemplateSlot : uint8_t {
  kEmail,      // subject, text and HTML bodies; digests as one email
  kIrcLine,    // one line, split by the IRC sink
  kEventJson,  // the notification as one JSON object
};

struct DestinationKindInfo {
  DestinationKind kind;
  std::string_view name;            // "email": files, SQL, logs, keys, URLs
  std::string_view config_section;  // fmn-pipeline's [section] for its sink
  std::string_view metrics_label;   // the `sink` label of its queue and delivery metrics
  TemplateSlot template_slot;
  bool user_destination;  // users may name it in their preferences (stdout: no)
  // For users' destinations: the address check and how diagnostics word it.
  bool (*address_valid)(std::string_view address);
  std::string_view address_noun;  // "email address"
  std::string_view address_hint;  // what a valid address looks like
  // Non-empty: each destination has a secret token, and this names the holder ("an SSE feed").
  std::string_view secret_holder;
  // The web app draws the address (an SSE feed's name) instead of asking for one: it can be
  // nobody else's, so it is its owner's at once, without a confirmation message. Otherwise the
  // user gives it, and the kind's sink sends it a confirmation request.
  bool address_drawn = false;
  // The secret is only ever compared with what a client offers (an SSE feed's token), so stores
  // keep its digest (core/stored_secret.h); otherwise the sink needs the secret itself (a
  // webhook signs with it).
  bool secret_hashed = false;
};

// Every kind, in enumerator order.
std::span<const DestinationKindInfo> destination_kinds();
const DestinationKindInfo& destination_kind_info(DestinationKind kind);
// info(kind).name, e.g. "email".
std::string_view destination_kind_name(DestinationKind kind);
// The kind of that name; nullopt when none has it.
std::optional<DestinationKind> destination_kind_named(std::string_view name);

}  // namespace fmn
