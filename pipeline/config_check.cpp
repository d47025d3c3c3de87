#include "pipeline/config_check.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>

#include "bus/amqp_probe.h"
#include "bus/amqp_source.h"
#include "pipeline/amqp_intake.h"
#include "pipeline/endpoint_probe.h"
#include "pipeline/rule_population.h"
#include "pipeline/web_front.h"
#include "prefs/dsl_rule_validator.h"
#include "prefs/file_store.h"
#include "prefs/pg_store.h"
#include "sinks/destination_sinks.h"

namespace fmn::embedded {
std::string_view default_preferences();
}

namespace fmn::pipeline {
namespace {

constexpr auto kTimeout = std::chrono::seconds(2);

class Report {
 public:
  explicit Report(std::FILE* out) : out_(out) {}
  void ok(const std::string& what) { std::fprintf(out_, "ok: %s\n", what.c_str()); }
  void error(const std::string& what) {
    std::fprintf(out_, "error: %s\n", what.c_str());
    ++problems_;
  }
  void run(const std::string& what) { std::fprintf(out_, "would run: %s\n", what.c_str()); }
  int problems() const { return problems_; }

 private:
  std::FILE* out_;
  int problems_ = 0;
};

// True when `host:port` can be bound now (IPv4 literal or "localhost"; port 0 always can).
bool port_free(const std::string& host, int port) {
  if (port == 0) return true;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const std::string ip = host == "localhost" ? "127.0.0.1" : host;
  bool ok = ::inet_pton(AF_INET, ip.c_str(), &addr.sin_addr) == 1 &&
            ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

void check_reachable(Report& r, const char* what, const std::string& address) {
  std::string host;
  int port = 0;
  if (split_host_port(address, host, port) && tcp_reachable(host, port, kTimeout)) {
    r.ok(std::string(what) + " " + address + " answers");
  } else {
    r.error(std::string(what) + " " + address + " does not accept connections");
  }
}

void check_listen(Report& r, const char* what, const std::string& address) {
  std::string host;
  int port = 0;
  split_host_port(address, host, port);
  if (port_free(host, port)) {
    r.ok(std::string(what) + " port " + address + " is free");
  } else {
    r.error(std::string(what) + " port " + address +
            " cannot be bound (taken by another process, or not a local IPv4 address)");
  }
}

void check_preferences(Report& r, const ServiceConfig& c) {
  Result<prefs::Population> population = Error{ErrorCode::kIo, ""};
  std::string from;
  // One compiler for the check and the build below, as in the service: each text compiles once.
  auto compiler = std::make_shared<dsl::RuleCompiler>();
  const prefs::RuleValidator validator = prefs::dsl_rule_validator(compiler);
  if (!c.prefs_database.empty()) {
    from = "the database";
    auto store = prefs::PgStore::open(c.prefs_database, validator, prefs::SchemaPolicy::kExisting);
    population = store ? (*store)->load_all() : Result<prefs::Population>(store.error());
  } else if (!c.prefs_file.empty()) {
    from = c.prefs_file;
    population = prefs::read_preferences_file(c.prefs_file, validator);
  } else {
    from = "the built-in demo preferences";
    population =
        prefs::parse_preferences_text(embedded::default_preferences(), "default.toml", validator);
  }
  if (!population) {
    r.error("preferences from " + from + ": " + population.error().message);
    return;
  }
  // The service counts what it loads (preferences_loaded: users=, rules=): enabled users of its
  // shard and their enabled rules. The same build says it here, beside what is stored.
  size_t rules = 0;
  for (const prefs::User& u : population->users) rules += u.rules.size();
  BuildReport loaded;
  RulePopulation(Shard{c.shard_index, c.shard_count}, compiler).build(population->users, loaded);
  const std::string which = c.shard_count > 1 ? " on shard " + std::to_string(c.shard_index) + "/" +
                                                    std::to_string(c.shard_count)
                                              : "";
  r.ok("preferences from " + from + ": " + std::to_string(population->users.size()) + " users (" +
       std::to_string(loaded.users) + " enabled" + which + "), " + std::to_string(rules) +
       " rules (" + std::to_string(loaded.rules) + " enabled" + which + ")");
}

// Logs in to each broker as the source would and looks for its exchange and queue. URLs are named
// by position and host, never quoted: they may hold a password.
void check_amqp(Report& r, const ServiceConfig& c) {
  const std::string queue = amqp_queue_name(c);
  const std::string exchange = bus::AmqpSourceOptions{}.exchange;
  for (size_t i = 0; i < c.amqp.size(); ++i) {
    const std::string what = "RabbitMQ (source.amqp URL " + std::to_string(i + 1) + ")";
    auto answer = bus::probe_amqp(c.amqp[i], {c.amqp_ca_cert, c.amqp_cert, c.amqp_key}, exchange,
                                  queue, kTimeout);
    if (!answer) {
      r.error(what + ": " + answer.error().message);
    } else if (!answer->ready) {
      r.ok(what + " " + answer->broker + " takes the login; exchange " + exchange +
           " exists; queue " + queue + " does not exist yet (declared at start)");
    } else {
      r.ok(what + " " + answer->broker + " takes the login; exchange " + exchange +
           " exists; queue " + queue + " holds " + std::to_string(*answer->ready) +
           " ready messages, " + std::to_string(answer->consumers) + " consumers");
    }
  }
}

// Reads the client secret and runs the provider's discovery, as a start would.
void check_oidc(Report& r, const ServiceConfig& c) {
  metrics::Registry registry;
  if (auto client = open_oidc_client(c, registry); !client) {
    r.error(client.error().message);
  } else {
    r.ok("OpenID provider " + c.oidc_issuer + " answers discovery");
  }
}

void describe(Report& r, const ServiceConfig& c) {
  const SourceKind kind = source_kind(c);
  if (kind == SourceKind::kReplay) {
    r.run("source: replay " + c.replay);
  } else if (kind == SourceKind::kDemo) {
    r.run("source: the embedded demo corpus");
  } else if (kind == SourceKind::kAmqp) {
    r.run("source: fedora-messaging, " + std::to_string(c.amqp.size()) + " broker URL(s)");
  } else {
    std::string endpoints;
    for (const std::string& e : c.connect) endpoints += (endpoints.empty() ? "" : ", ") + e;
    r.run("source: the bus at " + endpoints);
  }
  r.run("engine: " + c.engine + "; shard " + std::to_string(c.shard_index) + "/" +
        std::to_string(c.shard_count));
  r.run("delivery state: " + (c.redis.empty() ? std::string("in memory") : "Redis " + c.redis));
  for (const sinks::DestinationSink& sink : sinks::destination_sinks()) {
    if (sinks::sink_on(sink, c.sink(sink.kind))) r.run(sink.describe(c.sink(sink.kind)));
  }
  if (!c.web_listen.empty()) r.run("web app on " + c.web_listen + ", public at " + c.public_url);
  if (const RecentStoreParts recent = recent_store_parts(c); recent.memory || recent.writes_redis) {
    std::string where = recent.memory ? "in memory for previews" : "";
    if (recent.writes_redis) where += std::string(recent.memory ? " and " : "") + "in Redis";
    r.run("the last " + std::to_string(c.recent_max_messages) + " messages kept " + where);
  }
  if (!c.oidc_issuer.empty()) {
    r.run("sign-in with OpenID Connect at " + c.oidc_issuer + " as " + c.oidc_client_id +
          ", user names from " + c.oidc_username_claim);
  }
  if (c.stdout_fallback) r.run("notifications without a sink printed on standard output");
  if (!c.admin_listen.empty()) r.run("/metrics, /healthz, /readyz on " + c.admin_listen);
}

}  // namespace

int check_config(const ServiceConfig& c, std::FILE* out) {
  Report r(out);
  if (auto ok = validate(c); !ok) {
    r.error(ok.error().message);
    return r.problems();
  }
  r.ok(c.file.empty() ? std::string("configuration (defaults and flags)")
                      : "configuration " + c.file);
  check_preferences(r, c);
  if (!c.replay.empty() && c.replay != "-" && ::access(c.replay.c_str(), R_OK) != 0) {
    r.error("replay file " + c.replay + " cannot be read");
  }
  for (const std::string& endpoint : c.connect) {
    if (zmq_endpoint_reachable(endpoint, kTimeout)) {
      r.ok("bus " + endpoint + " answers");
    } else {
      r.error("bus " + endpoint + " does not accept connections (the service would wait for it)");
    }
  }
  check_amqp(r, c);
  if (!c.redis.empty()) check_reachable(r, "Redis", c.redis);
  for (const sinks::DestinationSink& sink : sinks::destination_sinks()) {
    if (!sinks::sink_on(sink, c.sink(sink.kind))) continue;
    for (const sinks::SinkEndpoint& e : sink.endpoints(c.sink(sink.kind))) {
      if (e.listens) {
        check_listen(r, e.what.c_str(), e.address);
      } else {
        check_reachable(r, e.what.c_str(), e.address);
      }
    }
  }
  if (!c.web_listen.empty()) check_listen(r, "web", c.web_listen);
  if (!c.oidc_issuer.empty()) check_oidc(r, c);
  if (!c.admin_listen.empty()) check_listen(r, "admin", c.admin_listen);
  if (r.problems() == 0) describe(r, c);
  return r.problems();
}

}  // namespace fmn::pipeline
