// fmn-pipeline's configuration: one TOML file (contrib/fmn.toml documents every key), each
// value overridable by a command-line flag. Validated at start-up: an unknown section or key,
// a value of the wrong type or a bad address is an error naming file, line and column.
// Defaults are the embedded demo: built-in preferences, state in memory, notifications printed,
// SSE and admin endpoints on localhost.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace fmn::pipeline {

struct ServiceConfig {
  // [source]
  std::string replay;                // JSON-lines file ("-": stdin); empty: the bus
  double replay_rate = 0;            // messages per second; 0: as fast as possible
  double replay_speed = 0;           // pace by recorded timestamps, this many times faster
  std::vector<std::string> connect;  // bus endpoints, e.g. tcp://hub.fedoraproject.org:9940
  std::vector<std::string> topics;   // topic prefixes subscribed to; empty: everything
  int high_water_mark = 100000;      // messages queued per bus connection before ZeroMQ drops
  size_t dedupe_window = 100000;     // msg_ids remembered to drop duplicates
  // [prefs]
  std::string prefs_file;      // TOML preferences; empty: the built-in demo preferences
  std::string prefs_database;  // PostgreSQL conninfo or URL, kept live; instead of the file
  size_t rule_cache = 4096;    // distinct rule texts whose compilation is kept (LRU)
  // [engine]
  std::string engine = "auto";  // interp | jit | auto
  // [state]
  std::string redis;  // host:port keeping pending digests and dedupe state; empty: memory
  // [stdout]
  bool stdout_fallback = true;  // print notifications for destinations with no sink configured
  // [email]
  std::string smtp_url;  // smtp://host:port; empty: no email sink
  std::string email_from = "notifications@fedoraproject.org";
  // [irc]
  std::string irc_server;  // host:port; empty: no IRC sink
  std::string irc_nick = "fmn";
  // [sse]
  std::string sse_listen = "127.0.0.1:8080";  // empty: no SSE server
  // [admin]
  std::string admin_listen = "127.0.0.1:9090";  // /metrics, /healthz, /readyz; empty: off
  // [log]
  std::string log_level = "info";   // debug | info | warn | error
  std::string log_format = "text";  // text | json
  double progress_seconds = 10;     // a progress line this often while messages flow; 0: never
  // [shard]
  uint32_t shard_index = 0;
  uint32_t shard_count = 1;
  // [pipeline]
  size_t batch_size = 128;
  size_t max_in_flight = 16;
  size_t sink_queue = 65536;  // notifications queued per destination kind
  // [security]
  bool validate_signatures = false;  // drop messages whose fedmsg signature does not verify
  std::string ca_cert;               // PEM CA certificate(s) publishers' certificates chain to
  std::string crl;                   // PEM revocation list; empty: none
};

// Reads `text` (TOML; `name` is cited in errors) over the defaults.
Result<ServiceConfig> parse_service_config(std::string_view text, std::string_view name);
Result<ServiceConfig> read_service_config(const std::string& path);

// Checks values that do not depend on the file format (addresses, ranges, enums).
Result<bool> validate(const ServiceConfig& config);

// "host:port" split; false when malformed.
bool split_host_port(std::string_view text, std::string& host, int& port);

}  // namespace fmn::pipeline
