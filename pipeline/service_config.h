// fmn-pipeline's configuration: one TOML file (contrib/fmn.toml documents every key), each
// value overridable by a command-line flag. Validated at start-up: an unknown section or key,
// a value of the wrong type or a bad address is an error naming file, line and column.
// Defaults are the embedded demo: built-in preferences, state in memory, notifications printed,
// SSE and admin endpoints on localhost.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/destination_kinds.h"
#include "core/host_port.h"
#include "core/result.h"
#include "sinks/sink_settings.h"
#include "web/public_url.h"

namespace fmn::pipeline {

// A duration in seconds from the configuration, as the milliseconds timers take.
inline std::chrono::milliseconds milliseconds(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

// Every section of sinks::destination_sinks(), with its defaults.
std::map<std::string, sinks::SinkSettings, std::less<>> default_sink_sections();

struct ServiceConfig {
  // [source]; neither `replay` nor `connect`: the demo corpus (allowed only without a file)
  std::string replay;                // JSON-lines file ("-": stdin); empty: the bus
  double replay_rate = 0;            // messages per second; 0: as fast as possible
  double replay_speed = 0;           // pace by recorded timestamps, this many times faster
  std::vector<std::string> connect;  // bus endpoints, e.g. tcp://hub.fedoraproject.org:9940
  std::vector<std::string> topics;   // topic prefixes subscribed to; empty: everything
  int high_water_mark = 100000;      // messages queued per bus connection before ZeroMQ drops
  // fedora-messaging (AMQP) instead of ZeroMQ: broker URLs, tried in turn
  std::vector<std::string> amqp;            // amqp://user:pass@host:5672/vhost, amqps://...
  std::string amqp_queue;                   // durable queue; empty: fmn.shard-<index>-of-<count>
  std::string amqp_queue_type = "classic";  // classic | quorum
  std::vector<std::string> amqp_bindings{"#"};    // routing-key patterns bound on amq.topic
  size_t amqp_prefetch = 1000;                    // unacknowledged deliveries at most
  double amqp_heartbeat = 30;                     // seconds; 0: none
  std::string amqp_ca_cert, amqp_cert, amqp_key;  // amqps: CA, client certificate and key (PEM)
  size_t dedupe_window = 100000;                  // msg_ids remembered to drop duplicates
  // [prefs]
  std::string prefs_file;      // TOML preferences; empty: the built-in demo preferences
  std::string prefs_database;  // PostgreSQL conninfo or URL, kept live; instead of the file
  size_t rule_cache = 4096;    // distinct rule texts whose compilation is kept (LRU)
  // [engine]
  std::string engine = "auto";  // interp | jit | auto
  // [state]
  std::string redis;  // host:port keeping pending digests and dedupe state; empty: memory
  // [outbox] (only with state.redis)
  bool outbox = true;                // keep every accepted notification in Redis until confirmed
  std::string outbox_consumer;       // stable per instance; empty: <hostname>-<shard.index>
  size_t outbox_max_deliveries = 5;  // handed out this often unconfirmed: a dead letter
  double outbox_claim_idle_seconds = 300;        // another instance's entry idle this long is taken
  size_t outbox_dead_letters_max = 100'000;      // dead letters kept per kind; the oldest go first
  double outbox_dead_letters_max_age_days = 30;  // older dead letters are deleted
  // [stdout]
  bool stdout_fallback = true;  // print notifications for destinations with no sink configured
  // The sections of the kinds with a sink ([email], [irc], [sse], [webhook]...), by section
  // name, each holding every key of its kind in sinks/destination_sinks.h: the file's values
  // over the table's defaults.
  std::map<std::string, sinks::SinkSettings, std::less<>> sink_sections = default_sink_sections();
  // The settings of `kind`'s section. REQUIRES: destination_sinks() has a row for `kind`.
  sinks::SinkSettings& sink(DestinationKind kind);
  const sinks::SinkSettings& sink(DestinationKind kind) const;
  // [web]
  std::string web_listen;  // host:port of the web app (docs/web.md); empty: off
  // Where users reach the app: the base of the settings and unsubscribe links in notifications.
  std::string public_url{web::kDefaultPublicUrl};
  // The key signing unsubscribe links (at least 32 bytes). Required for email unless public_url
  // is on loopback (a demo): then, without a file, a random key is made for each run.
  std::string secret_key_file;
  bool web_demo = false;              // the demo sign-in (refused unless web.listen is on loopback)
  size_t web_max_connections = 4096;  // open connections in all; more are answered 503
  size_t web_max_connections_per_ip = 64;
  double web_header_timeout_seconds = 10;  // to send the request headers, or be closed
  double web_idle_timeout_seconds = 60;    // between requests on a kept-alive connection
  // Users (by the name the sign-in gives: oidc.username_claim) who may read, only read, other
  // users' rules, destinations and history through /api/v1/users/ (each read logged).
  std::vector<std::string> web_admins;
  // [recent] the recent-message store (previews, explain by msg_id; docs/operations.md)
  size_t recent_max_messages = 100000;  // 0: no store
  double recent_max_age_hours = 168;
  size_t recent_queue = 65536;  // messages waiting to be recorded; more are dropped (counted)
  // [oidc] sign-in with OpenID Connect (docs/web.md); an empty issuer: none
  std::string oidc_issuer;
  std::string oidc_client_id;
  std::string oidc_client_secret_file;  // holds the client secret, which is never logged
  std::string oidc_redirect_path = "/oidc/callback";  // the redirect URI is public_url + this
  std::string oidc_username_claim = "preferred_username";
  std::vector<std::string> oidc_scopes{"openid", "profile"};
  // [admin]
  std::string admin_listen = "127.0.0.1:9090";  // /metrics, /healthz, /readyz; empty: off
  double admin_header_timeout_seconds = 5;      // to send a request
  double admin_idle_timeout_seconds = 5;        // between requests on a kept-alive connection
  size_t admin_max_connections = 64;            // open connections in all; more are answered 503
  size_t admin_max_connections_per_ip = 16;
  // [log]
  std::string log_level = "info";   // debug | info | warn | error
  std::string log_format = "text";  // text | json
  double progress_seconds = 10;     // a progress line this often while messages flow; 0: never
  // [shard]
  uint32_t shard_index = 0;
  uint32_t shard_count = 1;
  // [pipeline]
  size_t batch_size = 128;
  double batch_wait_us = 0;  // a bus batch waits this long at most to fill (ZmqSourceOptions)
  size_t max_in_flight = 16;
  size_t sink_queue = 65536;       // notifications queued per destination kind
  double stop_grace_seconds = 10;  // on stop, each sink delivers what it holds for this long
  // [security]
  bool validate_signatures = false;  // drop messages whose fedmsg signature does not verify
  std::string ca_cert;               // PEM CA certificate(s) publishers' certificates chain to
  std::string crl;                   // PEM revocation list; empty: none

  // Where the file set each value: "section.key" and "section" -> "file:line:col", so that an
  // error found later (by validate()) still names its place. Empty without a file.
  std::string file;
  std::map<std::string, std::string, std::less<>> positions;
};

// Reads `text` (TOML; `name` is cited in errors) over the defaults.
Result<ServiceConfig> parse_service_config(std::string_view text, std::string_view name);
Result<ServiceConfig> read_service_config(const std::string& path);

// Where messages come from: a replay file wins, then fedora-messaging, then ZeroMQ; none of them
// is the embedded demo corpus.
enum class SourceKind { kDemo, kReplay, kAmqp, kZmq };
SourceKind source_kind(const ServiceConfig& config);

// Checks values that do not depend on the file format (addresses, ranges, enums). Errors start
// with the file:line:col where the file set the value, when it did.
Result<bool> validate(const ServiceConfig& config);

// True when public_url names localhost or a loopback address: links only this machine follows.
bool public_url_is_loopback(const ServiceConfig& config);

// Which parts of the recent-message store run: the ring in memory (with the web app, for its
// previews) and writing its copy in Redis (shard 0 of those with state.redis: every shard sees
// every message). Neither with recent.max_messages = 0.
struct RecentStoreParts {
  bool memory = false, writes_redis = false;
};
RecentStoreParts recent_store_parts(const ServiceConfig& config);

}  // namespace fmn::pipeline
