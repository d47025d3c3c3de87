#include "pipeline/service_config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "dsl/suggest.h"
#include "sinks/destination_sinks.h"

namespace fmn::pipeline {
namespace {

std::string where(std::string_view name, const toml::source_region& src) {
  return std::string(name) + ":" + std::to_string(src.begin.line) + ":" +
         std::to_string(src.begin.column);
}

// One key's reader: checks the node's type and stores it; returns an error text or "".
using KeyReader = std::function<std::string(const toml::node&)>;

KeyReader text(std::string& out) {
  return [&out](const toml::node& n) -> std::string {
    if (auto v = n.value<std::string>()) {
      out = *v;
      return "";
    }
    return "expected a string";
  };
}

KeyReader texts(std::vector<std::string>& out) {
  return [&out](const toml::node& n) -> std::string {
    const toml::array* a = n.as_array();
    if (a == nullptr) return "expected a list of strings";
    out.clear();
    for (const toml::node& item : *a) {
      auto v = item.value<std::string>();
      if (!v) return "expected a list of strings";
      out.push_back(*v);
    }
    return "";
  };
}

template <typename T>
KeyReader number(T& out, double min, double max) {
  return [&out, min, max](const toml::node& n) -> std::string {
    std::optional<double> v = n.value<double>();
    if (!v) return "expected a number";
    if (*v < min || *v > max) {
      return "out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]";
    }
    out = static_cast<T>(*v);
    return "";
  };
}

KeyReader flag(bool& out) {
  return [&out](const toml::node& n) -> std::string {
    if (auto v = n.value<bool>()) {
      out = *v;
      return "";
    }
    return "expected true or false";
  };
}

// A key of a destination kind's section, stored in its SinkSettings.
KeyReader setting(sinks::SinkSettings& out, const sinks::SinkSetting& key) {
  using Type = sinks::SinkSetting::Type;
  return [&out, &key](const toml::node& n) -> std::string {
    switch (key.type) {
      case Type::kText: {
        std::string v;
        std::string err = text(v)(n);
        if (err.empty()) out.set(key.key, std::move(v));
        return err;
      }
      case Type::kNumber: {
        double v = 0;
        std::string err = number(v, key.min, key.max)(n);
        if (err.empty()) out.set(key.key, v);
        return err;
      }
      case Type::kFlag: {
        bool v = false;
        std::string err = flag(v)(n);
        if (err.empty()) out.set(key.key, v);
        return err;
      }
    }
    return "unknown key type";
  };
}

using Section = std::map<std::string, KeyReader, std::less<>>;

// " (did you mean 'x'?)" when one of `known`'s keys is close to `wrong`, else "".
template <typename Map>
std::string did_you_mean(std::string_view wrong, const Map& known) {
  std::vector<std::string_view> names;
  for (const auto& [name, unused] : known) names.push_back(name);
  std::optional<std::string> guess = dsl::closest_name(wrong, names);
  return guess ? " (did you mean '" + *guess + "'?)" : "";
}

// Adds the section of every kind that sinks/destination_sinks.h opens.
void add_sink_sections(std::map<std::string, Section, std::less<>>& sections, ServiceConfig& c) {
  for (const sinks::DestinationSink& sink : sinks::destination_sinks()) {
    const std::string_view name = destination_kind_info(sink.kind).config_section;
    sinks::SinkSettings& settings = c.sink(sink.kind);
    Section& section = sections[std::string(name)];
    for (const sinks::SinkSetting& key : sink.settings) {
      section.emplace(std::string(key.key), setting(settings, key));
    }
  }
}

std::map<std::string, Section, std::less<>> schema(ServiceConfig& c) {
  std::map<std::string, Section, std::less<>> sections{
      {"source",
       {{"replay", text(c.replay)},
        {"replay_rate", number(c.replay_rate, 0, 1e9)},
        {"replay_speed", number(c.replay_speed, 0, 1e9)},
        {"connect", texts(c.connect)},
        {"topics", texts(c.topics)},
        {"high_water_mark", number(c.high_water_mark, 0, 1e9)},
        {"amqp", texts(c.amqp)},
        {"amqp_queue", text(c.amqp_queue)},
        {"amqp_queue_type", text(c.amqp_queue_type)},
        {"amqp_bindings", texts(c.amqp_bindings)},
        {"amqp_prefetch", number(c.amqp_prefetch, 1, 65535)},
        {"amqp_heartbeat", number(c.amqp_heartbeat, 0, 3600)},
        {"amqp_ca_cert", text(c.amqp_ca_cert)},
        {"amqp_cert", text(c.amqp_cert)},
        {"amqp_key", text(c.amqp_key)},
        {"dedupe_window", number(c.dedupe_window, 0, 1e9)}}},
      {"prefs",
       {{"file", text(c.prefs_file)},
        {"database", text(c.prefs_database)},
        {"rule_cache", number(c.rule_cache, 1, 1e8)}}},
      {"engine", {{"mode", text(c.engine)}}},
      {"state", {{"redis", text(c.redis)}}},
      {"outbox",
       {{"enabled", flag(c.outbox)},
        {"consumer", text(c.outbox_consumer)},
        {"max_deliveries", number(c.outbox_max_deliveries, 1, 1000)},
        {"claim_idle_seconds", number(c.outbox_claim_idle_seconds, 1, 86400)},
        {"dead_letters_max", number(c.outbox_dead_letters_max, 1, 1e8)},
        {"dead_letters_max_age_days", number(c.outbox_dead_letters_max_age_days, 0.001, 3650)}}},
      {"stdout", {{"fallback", flag(c.stdout_fallback)}}},
      {"web",
       {{"listen", text(c.web_listen)},
        {"public_url", text(c.public_url)},
        {"secret_key_file", text(c.secret_key_file)},
        {"demo", flag(c.web_demo)},
        {"max_connections", number(c.web_max_connections, 1, 1e7)},
        {"max_connections_per_ip", number(c.web_max_connections_per_ip, 1, 1e6)},
        {"header_timeout_seconds", number(c.web_header_timeout_seconds, 0.1, 3600)},
        {"idle_timeout_seconds", number(c.web_idle_timeout_seconds, 1, 3600)},
        {"admins", texts(c.web_admins)}}},
      {"recent",
       {{"max_messages", number(c.recent_max_messages, 0, 1e8)},
        {"max_age_hours", number(c.recent_max_age_hours, 0.01, 24 * 366)},
        {"queue", number(c.recent_queue, 1, 1e8)}}},
      {"oidc",
       {{"issuer", text(c.oidc_issuer)},
        {"client_id", text(c.oidc_client_id)},
        {"client_secret_file", text(c.oidc_client_secret_file)},
        {"redirect_path", text(c.oidc_redirect_path)},
        {"username_claim", text(c.oidc_username_claim)},
        {"scopes", texts(c.oidc_scopes)}}},
      {"admin",
       {{"listen", text(c.admin_listen)},
        {"header_timeout_seconds", number(c.admin_header_timeout_seconds, 0.1, 3600)},
        {"idle_timeout_seconds", number(c.admin_idle_timeout_seconds, 1, 3600)},
        {"max_connections", number(c.admin_max_connections, 1, 1e6)},
        {"max_connections_per_ip", number(c.admin_max_connections_per_ip, 1, 1e6)}}},
      {"log",
       {{"level", text(c.log_level)},
        {"format", text(c.log_format)},
        {"progress_seconds", number(c.progress_seconds, 0, 86400)}}},
      {"shard",
       {{"index", number(c.shard_index, 0, 1e6)}, {"count", number(c.shard_count, 1, 1e6)}}},
      {"pipeline",
       {{"batch_size", number(c.batch_size, 1, 65536)},
        {"batch_wait_us", number(c.batch_wait_us, 0, 100000)},
        {"max_in_flight", number(c.max_in_flight, 1, 4096)},
        {"sink_queue", number(c.sink_queue, 1, 1e7)},
        {"stop_grace_seconds", number(c.stop_grace_seconds, 0, 3600)}}},
      {"security",
       {{"validate_signatures", flag(c.validate_signatures)},
        {"ca_cert", text(c.ca_cert)},
        {"crl", text(c.crl)}}},
  };
  add_sink_sections(sections, c);
  return sections;
}

}  // namespace

std::map<std::string, sinks::SinkSettings, std::less<>> default_sink_sections() {
  std::map<std::string, sinks::SinkSettings, std::less<>> sections;
  for (const sinks::DestinationSink& sink : sinks::destination_sinks()) {
    sections.emplace(destination_kind_info(sink.kind).config_section, sink.settings);
  }
  return sections;
}

sinks::SinkSettings& ServiceConfig::sink(DestinationKind kind) {
  return sink_sections.find(destination_kind_info(kind).config_section)->second;
}

const sinks::SinkSettings& ServiceConfig::sink(DestinationKind kind) const {
  return sink_sections.find(destination_kind_info(kind).config_section)->second;
}

Result<ServiceConfig> parse_service_config(std::string_view text_in, std::string_view name) {
  toml::table root;
  try {
    root = toml::parse(text_in, name);
  } catch (const toml::parse_error& e) {
    return Error{ErrorCode::kInvalidConfig,
                 where(name, e.source()) + ": " + std::string(e.description())};
  }
  ServiceConfig config;
  config.file = std::string(name);
  auto sections = schema(config);
  for (const auto& [section_name, node] : root) {
    auto section = sections.find(section_name.str());
    if (section == sections.end()) {
      return Error{ErrorCode::kInvalidConfig, where(name, section_name.source()) +
                                                  ": unknown section [" +
                                                  std::string(section_name.str()) + "]" +
                                                  did_you_mean(section_name.str(), sections)};
    }
    config.positions[section->first] = where(name, section_name.source());
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      return Error{ErrorCode::kInvalidConfig, where(name, node.source()) + ": " +
                                                  std::string(section_name.str()) +
                                                  " must be a [section]"};
    }
    for (const auto& [key, value] : *table) {
      auto reader = section->second.find(key.str());
      if (reader == section->second.end()) {
        return Error{ErrorCode::kInvalidConfig, where(name, key.source()) + ": unknown key '" +
                                                    std::string(key.str()) + "' in [" +
                                                    section->first + "]" +
                                                    did_you_mean(key.str(), section->second)};
      }
      config.positions[section->first + "." + std::string(key.str())] = where(name, value.source());
      if (std::string err = reader->second(value); !err.empty()) {
        return Error{ErrorCode::kInvalidConfig, where(name, value.source()) + ": " +
                                                    section->first + "." + std::string(key.str()) +
                                                    ": " + err};
      }
    }
  }
  return config;
}

RecentStoreParts recent_store_parts(const ServiceConfig& config) {
  if (config.recent_max_messages == 0) return {};
  return {!config.web_listen.empty(), !config.redis.empty() && config.shard_index == 0};
}

Result<ServiceConfig> read_service_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{ErrorCode::kIo, "cannot read " + path};
  std::ostringstream text;
  text << in.rdbuf();
  return parse_service_config(text.str(), path);
}

SourceKind source_kind(const ServiceConfig& c) {
  if (!c.replay.empty()) return SourceKind::kReplay;
  if (!c.amqp.empty()) return SourceKind::kAmqp;
  if (!c.connect.empty()) return SourceKind::kZmq;
  return SourceKind::kDemo;
}

bool public_url_is_loopback(const ServiceConfig& config) {
  std::string_view rest = config.public_url;
  const size_t scheme = rest.find("://");
  if (scheme == std::string_view::npos) return false;
  rest.remove_prefix(scheme + 3);
  if (rest.starts_with("[::1]")) return true;
  const std::string_view host = rest.substr(0, rest.find_first_of(":/"));
  const bool numeric = host.find_first_not_of("0123456789.") == std::string_view::npos;
  return host == "localhost" || (numeric && host.starts_with("127."));
}

namespace {

// The [oidc] section; OidcClient::create() checks the rest (the issuer's discovery document).
template <typename Bad>
Result<bool> validate_oidc(const ServiceConfig& c, const Bad& bad) {
  if (c.oidc_issuer.empty()) {
    if (!c.oidc_client_id.empty() || !c.oidc_client_secret_file.empty()) {
      return bad("oidc.issuer", "required with oidc.client_id and oidc.client_secret_file");
    }
    return true;
  }
  if (!c.oidc_issuer.starts_with("https://") && !c.oidc_issuer.starts_with("http://")) {
    return bad("oidc.issuer", "expected an https:// URL (http:// on a loopback host only)");
  }
  if (c.web_listen.empty()) return bad("oidc.issuer", "signs in to the web app: set web.listen");
  if (c.oidc_client_id.empty()) return bad("oidc.client_id", "required with oidc.issuer");
  if (c.oidc_client_secret_file.empty()) {
    return bad("oidc.client_secret_file",
               "required with oidc.issuer (a file holding the secret the provider issued)");
  }
  if (!c.oidc_redirect_path.starts_with("/") || c.oidc_redirect_path == "/" ||
      c.oidc_redirect_path.starts_with("/api/") || c.oidc_redirect_path == "/oidc/login") {
    return bad("oidc.redirect_path",
               "expected a path of its own starting with /, e.g. /oidc/callback");
  }
  if (c.oidc_username_claim.empty()) return bad("oidc.username_claim", "must not be empty");
  if (std::find(c.oidc_scopes.begin(), c.oidc_scopes.end(), "openid") == c.oidc_scopes.end()) {
    return bad("oidc.scopes", "must contain \"openid\"");
  }
  return true;
}

}  // namespace

Result<bool> validate(const ServiceConfig& c) {
  // "file:line:col: key: what", from the value's place, else its section's, else the file's.
  auto bad = [&c](std::string_view key, std::string what) {
    std::string at;
    if (auto p = c.positions.find(key); p != c.positions.end()) {
      at = p->second;
    } else if (auto s = c.positions.find(key.substr(0, key.find('.'))); s != c.positions.end()) {
      at = s->second;
    } else if (!c.file.empty()) {
      at = c.file + ":1:1";
    }
    return Error{ErrorCode::kInvalidConfig,
                 (at.empty() ? "" : at + ": ") + std::string(key) + ": " + std::move(what)};
  };
  std::string host;
  int port = 0;
  for (const auto& [key, value] :
       {std::pair{"state.redis", &c.redis}, std::pair{"web.listen", &c.web_listen},
        std::pair{"admin.listen", &c.admin_listen}}) {
    if (!value->empty() && !split_host_port(*value, host, port)) {
      return bad(key, "expected host:port, got '" + *value + "'");
    }
  }
  for (const sinks::DestinationSink& sink : sinks::destination_sinks()) {
    if (sink.check == nullptr) continue;
    const sinks::SettingProblem problem = sink.check(c.sink(sink.kind));
    if (!problem.key.empty()) {
      return bad(std::string(destination_kind_info(sink.kind).config_section) + "." +
                     std::string(problem.key),
                 problem.what);
    }
  }
  if (c.engine != "interp" && c.engine != "jit" && c.engine != "auto") {
    return bad("engine.mode", "expected interp, jit or auto, got '" + c.engine + "'");
  }
  if (c.log_level != "debug" && c.log_level != "info" && c.log_level != "warn" &&
      c.log_level != "error") {
    return bad("log.level", "expected debug, info, warn or error");
  }
  if (c.log_format != "text" && c.log_format != "json") {
    return bad("log.format", "expected text or json");
  }
  if (c.shard_index >= c.shard_count) {
    return bad("shard.index", std::to_string(c.shard_index) + " is not below shard.count " +
                                  std::to_string(c.shard_count));
  }
  if (c.validate_signatures && c.ca_cert.empty()) {
    return bad("security.ca_cert", "required when validate_signatures is on");
  }
  if (!c.prefs_file.empty() && !c.prefs_database.empty()) {
    return bad("prefs.database", "prefs.file is set too; preferences come from one of them");
  }
  if (source_kind(c) == SourceKind::kDemo && !c.file.empty()) {
    return bad(
        "source.connect",
        "neither bus endpoints (connect or amqp) nor a replay file (source.replay) are set; "
        "without a configuration file fmn-pipeline replays its embedded demo corpus instead");
  }
  if (!c.connect.empty() && !c.amqp.empty()) {
    return bad("source.amqp", "connect (ZeroMQ) is set too; messages come from one bus");
  }
  if (c.amqp_queue_type != "classic" && c.amqp_queue_type != "quorum") {
    return bad("source.amqp_queue_type", "expected classic or quorum");
  }
  if (!c.web_listen.empty() && c.prefs_file.empty() && c.prefs_database.empty()) {
    return bad("web.listen", "the web app changes preferences: set prefs.file or prefs.database");
  }
  if (!c.public_url.starts_with("http://") && !c.public_url.starts_with("https://")) {
    return bad("web.public_url", "expected an http:// or https:// URL");
  }
  for (const sinks::DestinationSink& sink : sinks::destination_sinks()) {
    if (!sink.needs_link_key || !sinks::sink_on(sink, c.sink(sink.kind)) ||
        !c.secret_key_file.empty() || public_url_is_loopback(c)) {
      continue;
    }
    return bad("web.secret_key_file",
               std::string(destination_kind_name(sink.kind)) + " to " + c.public_url +
                   " needs a key to sign its unsubscribe links (only a loopback public_url, a "
                   "demo, may do with a key made for each run)");
  }
  if (auto ok = validate_oidc(c, bad); !ok) return ok.error();
  if (c.amqp_cert.empty() != c.amqp_key.empty()) {
    return bad("source.amqp_cert", "amqp_cert and amqp_key go together");
  }
  return true;
}

}  // namespace fmn::pipeline
