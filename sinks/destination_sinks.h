// The sinks side of the table of destination kinds (core/destination_kinds.h): for each kind with
// a sink, the keys of its configuration section, the key that switches it on, what
// fmn-pipeline --check-config says and probes of it, and the factory of its sink.
// fmn-pipeline reads every section this table names (the parser's schema, its checks and the
// command-line flags come from it), opens each kind's sink with its settings, puts a digest
// batcher (when the kind has digests) and an outbox in front of it and routes the kind to it: a
// kind added here needs no change in pipeline/ nor apps/.
// Immutable; thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/destination_kinds.h"
#include "core/metrics.h"
#include "core/result.h"
#include "sinks/confirmation.h"
#include "sinks/redis_connection.h"
#include "sinks/sink.h"
#include "sinks/sink_settings.h"

namespace fmn::sinks {

// What the service gives every factory besides the kind's settings. Fields are added as kinds
// need them; a factory uses those it needs.
struct SinkContext {
  // The secret of a destination of a kind that has one (DestinationKindInfo::secret_holder),
  // by kind and address, as the store keeps it (a digest when secret_hashed); empty when there
  // is none. Called from the sink's threads; must not block on a reload.
  std::function<std::string(DestinationKind, std::string_view address)> secret;
  // Where the kind's sink reports the deliveries it gives up; may be empty.
  FailureHandler on_failure;
  // Where a sink whose receivers answer confirmation requests through it hands the answers
  // (sinks/confirmation.h); may be empty: such answers are then not recorded.
  ConfirmationHandler on_answer;
  // The base of the links in notifications (the web app's public URL), and the key signing
  // their unsubscribe links (never logged).
  std::string public_url;
  std::string link_secret;
  // Redis (state.redis), for kinds that keep state there; nullopt: memory only.
  std::optional<RedisConfig> redis;
  // Where the sink registers its own series; outlives it. Null: none.
  metrics::Registry* registry = nullptr;
};

// A server a kind's sink connects to, or an address it listens on, for --check-config.
struct SinkEndpoint {
  std::string what;      // "SMTP server", "SSE"
  std::string address;   // host:port
  bool listens = false;  // true: checked free to bind; false: checked to accept connections
};

// A bad value of a kind's settings, found before start-up: the key and what is wrong with it.
struct SettingProblem {
  std::string_view key;  // empty: none
  std::string what;
};

struct DestinationSink {
  DestinationKind kind;
  std::span<const SinkSetting> settings;  // the keys of section info(kind).config_section
  // The key that opens the sink: a non-empty text, or a flag set true.
  std::string_view on_key;
  // Notifications go through a digest batcher first (users' digest policies); false for live
  // feeds, which deliver each notification as it comes.
  bool digests = true;
  // Its notifications carry unsubscribe links, whose key must last across restarts (see
  // web.secret_key_file) unless public_url is on loopback.
  bool needs_link_key = false;
  // Checks the values that do not depend on the file format. May be null: nothing to check.
  SettingProblem (*check)(const SinkSettings& settings);
  // What the sink would do ("email via mail:25 from ..."), and what to probe; called when on.
  std::string (*describe)(const SinkSettings& settings);
  std::vector<SinkEndpoint> (*endpoints)(const SinkSettings& settings);
  // The kind's sink; an error stops the start-up. Called when on.
  Result<std::unique_ptr<Sink>> (*open)(const SinkSettings& settings, const SinkContext& context);
};

// Every kind with a sink.
std::span<const DestinationSink> destination_sinks();

// Whether `settings` switch `sink` on (its on_key).
bool sink_on(const DestinationSink& sink, const SinkSettings& settings);

}  // namespace fmn::sinks
