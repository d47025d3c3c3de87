#include "pipeline/service.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <thread>

#include <unistd.h>

#include "bus/file_source.h"
#include "bus/zmq_source.h"
#include "core/log.h"
#include "core/meta_extractor.h"
#include "core/metrics.h"
#include "core/signature_verifier.h"
#include "engine/rule_engine.h"
#include "pipeline/admin_server.h"
#include "pipeline/amqp_intake.h"
#include "pipeline/delivery_router.h"
#include "pipeline/endpoint_probe.h"
#include "pipeline/engine_matcher.h"
#include "pipeline/graph.h"
#include "pipeline/live_preferences.h"
#include "pipeline/settlement.h"
#include "pipeline/systemd_notify.h"
#include "pipeline/web_front.h"
#include "prefs/dsl_rule_validator.h"
#include "prefs/file_store.h"
#include "prefs/file_watcher.h"
#include "prefs/pg_change_listener.h"
#include "prefs/pg_store.h"
#include "sinks/curl_smtp_transport.h"
#include "sinks/destination_sinks.h"
#include "sinks/digest_batcher.h"
#include "sinks/digest_store_factory.h"
#include "sinks/email_sink.h"
#include "sinks/irc_sink.h"
#include "sinks/irc_transport.h"
#include "sinks/redis_outbox.h"
#include "sinks/sse_server.h"
#include "sinks/sse_sink.h"
#include "sinks/stdout_sink.h"

namespace fmn::embedded {
std::string_view default_preferences();
std::string_view demo_corpus();
}  // namespace fmn::embedded

namespace fmn::pipeline {
namespace {

// Ends a source early when asked: the graph then drains what is in flight and returns.
class StoppableSource : public bus::Source {
 public:
  StoppableSource(bus::Source& inner, const std::atomic<bool>& stop) : inner_(inner), stop_(stop) {}
  bool next_batch(std::vector<bus::RawMessage>& out, size_t max) override {
    if (stop_.load(std::memory_order_relaxed)) return false;
    return inner_.next_batch(out, max) && !stop_.load(std::memory_order_relaxed);
  }

 private:
  bus::Source& inner_;
  const std::atomic<bool>& stop_;
};

std::chrono::milliseconds milliseconds(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

log::Level parse_level(const std::string& s) {
  if (s == "debug") return log::Level::kDebug;
  if (s == "warn") return log::Level::kWarn;
  if (s == "error") return log::Level::kError;
  return log::Level::kInfo;
}

}  // namespace

struct Service::Impl {
  ServiceConfig config;
  metrics::Registry registry;
  PipelineStats stats;
  std::atomic<bool> stop{false};
  std::atomic<bool> reload{false};
  std::atomic<bool> bus_reachable{false}, redis_reachable{false};  // cached probe answers
  std::atomic<uint64_t> reload_failures{0};
  std::atomic<bool> last_reload_ok{true};  // false from a failed reload until one succeeds
  bool probed = false;  // probe_dependencies() ran once; housekeeping thread after run() starts
  StageLatency latency;

  std::unique_ptr<MetaExtractor> meta;
  std::unique_ptr<SignatureVerifier> signatures;  // null: signatures not checked
  std::unique_ptr<bus::Source> source;
  bus::ZmqSource* zmq = nullptr;                       // the source, when it is the bus
  bus::AmqpSource* amqp = nullptr;                     // the source, when it is fedora-messaging
  std::unique_ptr<RedisCompletionLog> completion_log;  // the AMQP source's, with Redis
  Settlement* settlement = nullptr;                    // while run() runs, for an AMQP source
  std::unique_ptr<engine::RuleEngine> engine;
  std::unique_ptr<EngineMatcher> matcher;

  // Compiles stored rules once for validation and the population alike.
  std::shared_ptr<dsl::RuleCompiler> rule_compiler;
  std::unique_ptr<LivePreferences> preferences;
  std::unique_ptr<prefs::PreferenceStore> store;  // PostgreSQL or a file; none: built-in
  std::unique_ptr<prefs::PgChangeListener> pg_listener;
  std::unique_ptr<prefs::FileWatcher> file_watcher;  // follows the preferences file

  // One per batcher: a store is used from one thread at a time, each batcher from its worker's.
  std::vector<std::unique_ptr<sinks::DigestStore>> digest_stores;
  std::vector<std::unique_ptr<sinks::Sink>> sinks;  // owned sinks, batchers included
  // One per destination kind with a sink, when Redis is configured; outlive the workers.
  std::vector<std::unique_ptr<sinks::RedisOutbox>> outboxes;
  std::vector<std::unique_ptr<SinkWorker>> workers;
  std::unique_ptr<sinks::SseServer> sse;
  DeliveryRouter router;
  std::unique_ptr<AdminServer> admin;
  std::string link_secret;  // signs unsubscribe links; never logged
  std::unique_ptr<web::WebApp> web;

  // Connects to the preferences database and starts listening to its changes.
  Result<bool> open_preferences_database();
  // Loads the preferences; a file is then followed as it changes.
  Result<bool> open_preferences();
  Result<prefs::Population> read_preferences();
  // Reads the preferences and hands them to `preferences`; returns what it read.
  Result<prefs::Population> load_preferences();
  Result<bool> open_sinks();
  // `outbox`: that kind's, or null to keep its queue in memory only.
  SinkWorker& add_worker(sinks::Sink& sink, sinks::RedisOutbox* outbox = nullptr);
  Result<sinks::RedisOutbox*> open_outbox(const std::optional<sinks::RedisConfig>& redis,
                                          DestinationKind kind);
  void register_metrics(AdmissionStage& admit);
  // Takes the admin port, so that a taken port stops the start-up; serving begins in run().
  Result<bool> listen_admin();
  void probe_dependencies();
  // Until `done`: reloads when asked, probes dependencies, logs progress.
  void housekeeping(const std::atomic<bool>& done);
};

Result<bool> Service::Impl::open_preferences_database() {
  // Listening starts before the cold load, so a change committed during it is reported after.
  auto listener = prefs::PgChangeListener::start(config.prefs_database, *preferences);
  if (!listener) return listener.error();
  pg_listener = std::move(listener).value();
  auto pg = prefs::PgStore::open(config.prefs_database, prefs::dsl_rule_validator(rule_compiler));
  if (!pg) return pg.error();
  store = std::move(pg).value();
  return true;
}

Result<bool> Service::Impl::open_preferences() {
  if (!config.prefs_database.empty()) {
    if (auto ok = open_preferences_database(); !ok) return ok.error();
  } else if (!config.prefs_file.empty()) {
    store = std::make_unique<prefs::FileStore>(config.prefs_file,
                                               prefs::dsl_rule_validator(rule_compiler));
  }
  auto population = load_preferences();
  if (!population) return population.error();
  if (!config.prefs_file.empty() && config.prefs_database.empty()) {
    file_watcher = std::make_unique<prefs::FileWatcher>(
        config.prefs_file, prefs::dsl_rule_validator(rule_compiler), *population, *preferences);
  }
  return true;
}

Result<prefs::Population> Service::Impl::read_preferences() {
  if (store) return store->load_all();
  return prefs::parse_preferences_text(embedded::default_preferences(), "default.toml",
                                       prefs::dsl_rule_validator(rule_compiler));
}

Result<prefs::Population> Service::Impl::load_preferences() {
  auto population = read_preferences();
  if (!population) return population.error();
  preferences->replace(population->users);
  return population;
}

SinkWorker& Service::Impl::add_worker(sinks::Sink& sink, sinks::RedisOutbox* outbox) {
  SinkWorker* w = workers
                      .emplace_back(std::make_unique<SinkWorker>(
                          sink, config.sink_queue, milliseconds(config.stop_grace_seconds),
                          std::chrono::milliseconds(200), outbox))
                      .get();
  const metrics::Labels kind{{"sink", std::string(sink.name())}};
  registry.gauge_fn(
      "fmn_sink_queue_notifications", "Notifications waiting in a destination kind's queue.",
      [w] { return static_cast<double>(w->depth()); }, kind);
  if (outbox != nullptr) {
    registry.counter_fn(
        "fmn_outbox_recovered_total",
        "Notifications a previous run left unconfirmed in the outbox, taken back at start-up and "
        "delivered.",
        [w] { return static_cast<double>(w->recovered()); }, kind);
    registry.counter_fn(
        "fmn_outbox_dead_letters_total",
        "Outbox entries (batches) moved to the dead letters: handed out too often unconfirmed.",
        [outbox] { return static_cast<double>(outbox->dead_lettered_total()); }, kind);
    registry.counter_fn(
        "fmn_outbox_errors_total",
        "Failed outbox operations (Redis unreachable): such batches go on from "
        "memory only.",
        [w] { return static_cast<double>(w->outbox_errors()); }, kind);
  }
  return *w;
}

Result<sinks::RedisOutbox*> Service::Impl::open_outbox(
    const std::optional<sinks::RedisConfig>& redis, DestinationKind kind) {
  if (!redis || !config.outbox) return nullptr;
  sinks::OutboxConfig outbox;
  outbox.consumer = config.outbox_consumer;
  if (outbox.consumer.empty()) {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    outbox.consumer = std::string(host) + "-" + std::to_string(config.shard_index);
  }
  outbox.max_deliveries = static_cast<int>(config.outbox_max_deliveries);
  outbox.claim_idle = milliseconds(config.outbox_claim_idle_seconds);
  auto opened = sinks::RedisOutbox::open(*redis, destination_kind_name(kind), outbox);
  if (!opened) return opened.error();
  return outboxes.emplace_back(std::move(opened).value()).get();
}

Result<bool> Service::Impl::open_sinks() {
  std::optional<sinks::RedisConfig> redis;
  if (!config.redis.empty()) {
    redis.emplace();
    split_host_port(config.redis, redis->host, redis->port);
  }
  // Each destination kind's batcher has its own store, under its own key prefix in Redis: a
  // store's due and in-flight lists are all its batcher flushes.
  auto batched = [&](DestinationKind kind,
                     std::unique_ptr<sinks::Sink> inner) -> Result<sinks::Sink*> {
    std::optional<sinks::RedisConfig> own_redis = redis;
    if (own_redis) own_redis->prefix += std::string(destination_kind_name(kind)) + ":";
    auto store = sinks::open_digest_store(own_redis);
    if (!store) return store.error();
    sinks::DigestStore& own = *digest_stores.emplace_back(std::move(store).value());
    sinks::Sink& in = *sinks.emplace_back(std::move(inner));
    auto batcher = std::make_unique<sinks::DigestBatcher>(in, own);
    batcher->recover();
    return sinks.emplace_back(std::move(batcher)).get();
  };

  if (!config.smtp_url.empty()) {
    sinks::SmtpConfig smtp;
    smtp.url = config.smtp_url;
    auto transport = sinks::CurlSmtpTransport::create(smtp);
    if (!transport) return transport.error();
    sinks::EmailSinkConfig email;
    email.email.from_address = config.email_from;
    email.render.base_url = config.public_url;
    email.render.unsubscribe_secret = link_secret;
    auto sink = batched(DestinationKind::kEmail,
                        std::make_unique<sinks::EmailSink>(std::move(transport).value(), email));
    if (!sink) return sink.error();
    auto outbox = open_outbox(redis, DestinationKind::kEmail);
    if (!outbox) return outbox.error();
    router.route(DestinationKind::kEmail, add_worker(**sink, *outbox));
  }
  if (!config.irc_server.empty()) {
    std::string host;
    int port = 0;
    split_host_port(config.irc_server, host, port);
    sinks::IrcConfig irc;
    irc.nick = config.irc_nick;
    irc.max_event_bytes = config.irc_max_event_bytes;
    irc.render.base_url = config.public_url;
    irc.render.unsubscribe_secret = link_secret;
    auto sink = batched(DestinationKind::kIrc,
                        std::make_unique<sinks::IrcSink>(
                            std::make_unique<sinks::TcpIrcTransport>(host, port), irc));
    if (!sink) return sink.error();
    auto outbox = open_outbox(redis, DestinationKind::kIrc);
    if (!outbox) return outbox.error();
    router.route(DestinationKind::kIrc, add_worker(**sink, *outbox));
  }
  if (!config.sse_listen.empty()) {
    sinks::SseServerConfig sse_config;
    split_host_port(config.sse_listen, sse_config.bind, sse_config.port);
    sse_config.max_event_bytes = config.sse_max_event_bytes;
    sse_config.max_connections = config.sse_max_connections;
    sse_config.max_connections_per_ip = config.sse_max_connections_per_ip;
    sse_config.event_latency = &registry.histogram(
        "fmn_sse_event_latency_seconds",
        "From an event's publication to its being written to an SSE client's socket (once per "
        "client; replays and catch-ups after a lag not counted).",
        metrics::latency_buckets());
    sse_config.header_timeout = milliseconds(config.sse_header_timeout_seconds);
    sse_config.idle_timeout = milliseconds(config.sse_idle_timeout_seconds);
    sinks::apply_memory_budget(sse_config, config.sse_memory_budget_mb << 20);
    if (redis) {
      sse_config.redis.emplace();
      sse_config.redis->redis = *redis;
    }
    auto server =
        sinks::SseServer::start(sse_config, [this](std::string_view feed, std::string_view token) {
          return preferences->feed_token_matches(feed, token);
        });
    if (!server) return server.error();
    sse = std::move(server).value();
    auto outbox = open_outbox(redis, DestinationKind::kSse);
    if (!outbox) return outbox.error();
    router.route(DestinationKind::kSse,
                 add_worker(*sinks.emplace_back(std::make_unique<sinks::SseSink>(*sse)), *outbox));
    log::info("sse_listening", {{"address", sse_config.bind}, {"port", sse->port()}});
  }
  // The kinds opened from the table: each with its section's settings, a batcher and an outbox.
  sinks::SinkContext context;
  context.secret = [this](DestinationKind kind, std::string_view address) {
    return preferences->destination_secret(kind, address);
  };
  for (const sinks::DestinationSink& kind : sinks::destination_sinks()) {
    auto section = config.sink_sections.find(destination_kind_info(kind.kind).config_section);
    auto opened =
        kind.open(section != config.sink_sections.end() ? section->second
                                                        : sinks::SinkSettings(kind.settings),
                  context);
    if (!opened) return opened.error();
    if (*opened == nullptr) continue;
    auto sink = batched(kind.kind, std::move(opened).value());
    if (!sink) return sink.error();
    auto outbox = open_outbox(redis, kind.kind);
    if (!outbox) return outbox.error();
    router.route(kind.kind, add_worker(**sink, *outbox));
  }
  if (config.stdout_fallback) {
    SinkWorker& out = add_worker(
        *sinks.emplace_back(std::make_unique<sinks::StdoutSink>(stdout, config.public_url)));
    router.route_unrouted(out);
  }
  return true;
}

void Service::Impl::register_metrics(AdmissionStage& admit) {
  auto counter = [&](const char* name, const char* help, std::function<double()> fn) {
    registry.counter_fn(name, help, std::move(fn));
  };
  auto gauge = [&](const char* name, const char* help, std::function<double()> fn) {
    registry.gauge_fn(name, help, std::move(fn));
  };
  // Counters kept by the stages themselves, exposed at scrape time.
  counter("fmn_messages_received_total", "Messages read from the source.",
          [this] { return static_cast<double>(stats.received.load()); });
  counter("fmn_parse_errors_total", "Messages rejected as malformed.",
          [this] { return static_cast<double>(stats.parse_errors.load()); });
  counter("fmn_meta_fallback_messages_total",
          "Messages whose topic no meta table names: their meta came from the fallback rules.",
          [this] { return static_cast<double>(meta->fallback_count()); });
  counter("fmn_duplicates_total", "Messages dropped as duplicates (by msg_id).",
          [this] { return static_cast<double>(stats.duplicates.load()); });
  counter("fmn_notifications_total", "Notifications produced by matching.",
          [this] { return static_cast<double>(stats.notifications.load()); });
  counter("fmn_notifications_unrouted_total", "Notifications for a destination kind with no sink.",
          [this] { return static_cast<double>(router.unrouted()); });
  if (zmq != nullptr) {
    counter("fmn_bus_malformed_total",
            "Bus messages dropped because they had more than two frames.",
            [this] { return static_cast<double>(zmq->stats().malformed); });
  }
  counter("fmn_sequence_gaps_total", "Gaps in publishers' sequence numbers.",
          [&admit] { return static_cast<double>(admit.sequence_stats().gaps); });
  counter("fmn_sequence_missing_total", "Messages missed according to sequence numbers.",
          [&admit] { return static_cast<double>(admit.sequence_stats().missing); });
  counter("fmn_sequence_restarts_total", "Publisher restarts seen in sequence numbers.",
          [&admit] { return static_cast<double>(admit.sequence_stats().restarts); });
  if (signatures) {
    for (SignatureOutcome reason :
         {SignatureOutcome::kUnsigned, SignatureOutcome::kBadSignature,
          SignatureOutcome::kUntrustedCertificate, SignatureOutcome::kMalformed}) {
      const auto& rejected = stats.signature_rejected[static_cast<size_t>(reason)];
      registry.counter_fn("fmn_signature_rejected_total",
                          "Messages dropped because their fedmsg signature did not verify.",
                          [&rejected] { return static_cast<double>(rejected.load()); },
                          {{"reason", std::string(outcome_name(reason))}});
    }
  }
  if (amqp != nullptr) register_amqp_metrics(registry, *amqp);
  gauge("fmn_rule_generation", "Rule engine generations published.",
        [this] { return static_cast<double>(engine->stats().generations); });
  gauge("fmn_rules_interned", "Distinct rules held by the engine.",
        [this] { return static_cast<double>(engine->stats().rules_interned); });
  gauge("fmn_users", "Users of this shard whose rules are loaded.",
        [this] { return static_cast<double>(preferences->totals().users); });
  gauge("fmn_user_rules", "Users' rules loaded (a rule shared by many users counts for each).",
        [this] { return static_cast<double>(preferences->totals().rules); });
  gauge("fmn_rules_rejected", "Rules left out because they did not compile.",
        [this] { return static_cast<double>(preferences->totals().rules_rejected); });
  counter("fmn_preference_loads_total", "Whole populations of preferences applied.",
          [this] { return static_cast<double>(preferences->loads()); });
  counter("fmn_reload_failures_total", "Reloads (SIGHUP) whose preferences could not be read.",
          [this] { return static_cast<double>(reload_failures.load()); });
  gauge("fmn_last_reload_success",
        "0 while the last reload failed (matching runs on the rules loaded before), else 1.",
        [this] { return last_reload_ok.load() ? 1.0 : 0.0; });
  counter("fmn_preference_user_updates_total",
          "Users whose preferences changed and were applied one by one (change feed).",
          [this] { return static_cast<double>(preferences->user_updates()); });
  if (pg_listener) {
    gauge("fmn_preferences_store_up",
          "1 while the preferences database answers, 0 while matching runs on the last rules.",
          [this] { return preferences->store_healthy() ? 1.0 : 0.0; });
    counter("fmn_preferences_store_errors_total",
            "Failures to reach or read the preferences database.",
            [this] { return static_cast<double>(preferences->store_failures()); });
  }
  const char* stage_help = "Time a stage spends on one batch of messages.";
  latency.parse = &registry.histogram("fmn_stage_seconds", stage_help, metrics::latency_buckets(),
                                      {{"stage", "parse"}});
  latency.match = &registry.histogram("fmn_stage_seconds", stage_help, metrics::latency_buckets(),
                                      {{"stage", "match"}});
  latency.deliver = &registry.histogram("fmn_stage_seconds", stage_help, metrics::latency_buckets(),
                                        {{"stage", "deliver"}});
  latency.total = &registry.histogram(
      "fmn_pipeline_latency_seconds",
      "From the source handing a batch over to its notifications being in the sink queues.",
      metrics::latency_buckets());
  // A destination kind's counters are kept by several sinks (its batcher and the sink behind
  // it): each series sums them, so it appears once per kind.
  std::map<std::string, std::vector<const sinks::SinkCounters*>> by_kind;
  for (const auto& s : sinks) by_kind[std::string(s->name())].push_back(&s->counters());
  using Field = std::atomic<uint64_t> sinks::SinkCounters::*;
  auto sink_counter = [&](const char* name, const char* help, Field field) {
    for (const auto& [kind, counters] : by_kind) {
      registry.counter_fn(name, help,
                          [counters, field] {
                            uint64_t total = 0;
                            for (const sinks::SinkCounters* c : counters)
                              total += (c->*field).load();
                            return static_cast<double>(total);
                          },
                          {{"sink", kind}});
    }
  };
  sink_counter("fmn_delivered_total", "Notifications or digests a destination accepted.",
               &sinks::SinkCounters::delivered);
  sink_counter("fmn_retried_total", "Delivery attempts that will be retried.",
               &sinks::SinkCounters::retried);
  sink_counter("fmn_failed_total", "Deliveries given up.", &sinks::SinkCounters::failed);
  sink_counter("fmn_dropped_total", "Notifications dropped by a full queue.",
               &sinks::SinkCounters::dropped);
  sink_counter("fmn_truncated_total",
               "Notifications delivered cut short: larger than the sink's event size limit.",
               &sinks::SinkCounters::truncated);
  if (sse) {
    counter("fmn_sse_accept_errors_total",
            "Failed accepts on the SSE listener (out of descriptors...), retried with backoff.",
            [this] { return static_cast<double>(sse->accept_errors()); });
    for (sinks::SseRefusal reason : sinks::kSseRefusals) {
      registry.counter_fn(
          "fmn_sse_connections_refused_total",
          "SSE connections answered 503 and closed at once: too many open (per address, in "
          "all) or no descriptor left.",
          [this, reason] { return static_cast<double>(sse->connections_refused(reason)); },
          {{"reason", std::string(sinks::refusal_name(reason))}});
    }
    counter("fmn_sse_oversized_events_total",
            "SSE events dropped for exceeding the event size limit.",
            [this] { return static_cast<double>(sse->oversized_events()); });
    gauge("fmn_sse_clients", "Connected SSE streaming clients.",
          [this] { return static_cast<double>(sse->clients()); });
    gauge("fmn_sse_memory_bytes",
          "Bytes the SSE server holds for events: pending publishes, backlog, client queues.",
          [this] { return static_cast<double>(sse->memory_bytes()); });
    counter("fmn_sse_lags_total",
            "Times an SSE client fell behind (its queue or the shared budget full) and was "
            "skipped live events until it drained.",
            [this] { return static_cast<double>(sse->lags()); });
    counter("fmn_sse_lag_notices_total",
            "\"missed\" events sent to SSE clients that lagged beyond what the backlog held.",
            [this] { return static_cast<double>(sse->lag_notices()); });
    counter("fmn_sse_missed_events_total",
            "Events SSE clients were told they missed (lagged beyond the backlog).",
            [this] { return static_cast<double>(sse->missed_events()); });
    counter("fmn_sse_slow_disconnects_total",
            "SSE clients disconnected because their socket took no data for the idle timeout.",
            [this] { return static_cast<double>(sse->slow_disconnects()); });
    counter("fmn_sse_backlog_store_errors_total",
            "Events not written to the SSE backlog in Redis, and failed reads of it.",
            [this] { return static_cast<double>(sse->store_errors()); });
    counter("fmn_sse_publish_waits_total",
            "SSE publishes that waited for the server to catch up (back-pressure).",
            [this] { return static_cast<double>(sse->publish_waits()); });
  }
}

Service::Service(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Service::~Service() {
  for (auto& w : impl_->workers) w->stop();
  if (impl_->admin) impl_->admin->stop();
  if (impl_->web) impl_->web->stop();
  if (impl_->sse) impl_->sse->stop();
}

Result<std::unique_ptr<Service>> Service::create(const ServiceConfig& config) {
  if (auto ok = validate(config); !ok) return ok.error();
  log::configure(parse_level(config.log_level),
                 config.log_format == "json" ? log::Format::kJson : log::Format::kText);
  auto impl = std::make_unique<Impl>();
  impl->config = config;

  auto meta = MetaExtractor::builtin(builtin_aliases());
  if (!meta) return meta.error();
  impl->meta = std::move(meta).value();
  if (config.validate_signatures) {
    auto verifier = SignatureVerifier::create(config.ca_cert, config.crl);
    if (!verifier) return verifier.error();
    impl->signatures = std::move(verifier).value();
    log::info("signatures_checked", {{"ca_cert", config.ca_cert}, {"crl", config.crl}});
  }

  engine::EngineOptions engine_options;
  engine::parse_engine_mode(config.engine, engine_options.mode);
  auto engine = engine::RuleEngine::create(engine_options);
  if (!engine) return engine.error();
  impl->engine = std::move(engine).value();
  impl->matcher = std::make_unique<EngineMatcher>(*impl->engine);
  impl->rule_compiler = std::make_shared<dsl::RuleCompiler>(config.rule_cache);
  impl->preferences = std::make_unique<LivePreferences>(
      *impl->engine, Shard{config.shard_index, config.shard_count},
      !config.prefs_database.empty() ? "database"
      : config.prefs_file.empty()    ? "built-in"
                                     : config.prefs_file,
      impl->rule_compiler);
  if (auto ok = impl->open_preferences(); !ok) return ok.error();
  auto secret = link_secret(config);
  if (!secret) return secret.error();
  impl->link_secret = std::move(secret).value();
  if (auto ok = impl->open_sinks(); !ok) return ok.error();
  if (!config.web_listen.empty()) {
    Impl* self = impl.get();
    auto web = open_web_app(
        config, impl->link_secret, impl->rule_compiler,
        [self](const sinks::ConfirmationRequest& r) { return self->router.send_confirmation(r); },
        impl->registry);
    if (!web) return web.error();
    impl->web = std::move(web).value();
  }

  bus::PacingOptions pacing;
  if (config.replay_rate > 0) pacing = bus::PacingOptions::fixed_rate(config.replay_rate);
  if (config.replay_speed > 0) pacing = bus::PacingOptions::recorded(config.replay_speed);
  const SourceKind kind = source_kind(config);
  if (kind == SourceKind::kDemo) {
    // validate() allows no source only without a configuration file.
    auto corpus = bus::FileSource::from_text(embedded::demo_corpus(), pacing);
    if (!corpus) return corpus.error();
    impl->source = std::move(corpus).value();
    log::info("demo",
              {{"source", "the embedded recorded corpus (corpus/fedmsg-real.jsonl)"},
               {"hint", "--connect ENDPOINT subscribes to a bus, --replay FILE reads one"}});
  } else if (kind == SourceKind::kReplay) {
    auto file = bus::FileSource::open(config.replay, pacing);
    if (!file) return file.error();
    impl->source = std::move(file).value();
  } else if (kind == SourceKind::kAmqp) {
    auto intake = open_amqp_intake(config);
    if (!intake) return intake.error();
    impl->completion_log = std::move(intake->completion_log);
    impl->amqp = intake->source.get();
    impl->source = std::move(intake->source);
  } else {
    bus::ZmqSourceOptions zmq;
    zmq.connect = config.connect;
    zmq.topics = config.topics;
    zmq.rcvhwm = config.high_water_mark;
    zmq.batch_wait = std::chrono::microseconds(static_cast<int64_t>(config.batch_wait_us));
    auto source = bus::ZmqSource::create(zmq);
    if (!source) return source.error();
    impl->zmq = source->get();
    impl->source = std::move(source).value();
  }
  if (!config.admin_listen.empty()) {
    if (auto ok = impl->listen_admin(); !ok) return ok.error();
  }
  return std::unique_ptr<Service>(new Service(std::move(impl)));
}

void Service::request_stop() {
  if (!impl_->stop.exchange(true)) systemd_notify("STOPPING=1");
  impl_->source->stop();  // an idle bus or stdin does not hold the stop up
}

void Service::request_reload() { impl_->reload.store(true); }

Result<bool> Service::Impl::listen_admin() {
  std::string host;
  int port = 0;
  split_host_port(config.admin_listen, host, port);
  std::vector<ReadinessCheck> checks{{"rules", [this] { return engine->current() != nullptr; }}};
  checks.push_back({"reload", [this] { return last_reload_ok.load(); }});
  if (zmq != nullptr) checks.push_back({"bus", [this] { return bus_reachable.load(); }});
  if (amqp != nullptr) checks.push_back({"bus", [this] { return amqp->connected(); }});
  if (!config.redis.empty()) checks.push_back({"redis", [this] { return redis_reachable.load(); }});
  if (pg_listener) checks.push_back({"prefs", [this] { return preferences->store_healthy(); }});
  AdminLimits limits{milliseconds(config.admin_header_timeout_seconds),
                     milliseconds(config.admin_idle_timeout_seconds)};
  admin = std::make_unique<AdminServer>(registry, std::move(checks), limits);
  return admin->listen(host, port);
}

void Service::Impl::probe_dependencies() {
  constexpr auto kTimeout = std::chrono::milliseconds(500);
  if (zmq != nullptr) {
    bool any = false;
    for (const std::string& endpoint : config.connect) {
      any = any || zmq_endpoint_reachable(endpoint, kTimeout);
    }
    bus_reachable.store(any);
  }
  if (!config.redis.empty()) {
    std::string host;
    int port = 0;
    bool up = split_host_port(config.redis, host, port) && tcp_reachable(host, port, kTimeout);
    // Said at start and on each change, so an operator sees it without polling /readyz.
    if (up != redis_reachable.exchange(up) || !probed) {
      if (up) {
        log::info("redis_reachable", {{"address", config.redis}});
      } else {
        log::warn("redis_unreachable",
                  {{"address", config.redis},
                   {"effect", "/readyz reports redis not ready until it answers"}});
      }
    }
  }
  probed = true;
}

void Service::Impl::housekeeping(const std::atomic<bool>& done) {
  using Clock = std::chrono::steady_clock;
  constexpr auto kProbeInterval = std::chrono::seconds(5);
  auto next_probe = Clock::now() + kProbeInterval;
  auto last_progress = Clock::now();
  uint64_t last_received = 0;
  while (!done.load()) {
    // Reloads happen beside matching: the engine publishes the new rules atomically.
    if (reload.exchange(false)) {
      auto ok = load_preferences();
      last_reload_ok.store(ok.ok());
      if (!ok) {
        reload_failures.fetch_add(1);
        log::error("reload_failed", {{"error", ok.error().message},
                                     {"effect", "matching goes on with the rules loaded last"}});
      }
    }
    if (settlement != nullptr) settlement->poll();  // workers may finish after the last batch
    auto now = Clock::now();
    if (now >= next_probe) {
      probe_dependencies();
      next_probe = now + kProbeInterval;
    }
    double since = std::chrono::duration<double>(now - last_progress).count();
    if (config.progress_seconds > 0 && since >= config.progress_seconds) {
      uint64_t received = stats.received.load();
      if (received != last_received) {
        log::info("progress",
                  {{"messages", received},
                   {"rate_per_s", static_cast<double>(received - last_received) / since},
                   {"notifications", stats.notifications.load()},
                   {"parse_errors", stats.parse_errors.load()}});
      }
      last_received = received;
      last_progress = now;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

ServiceSummary Service::run() {
  Impl& s = *impl_;
  AdmissionStage admit(s.stats, s.config.dedupe_window);
  s.register_metrics(admit);
  s.probe_dependencies();
  if (s.admin) {
    s.admin->serve();
    log::info("admin_listening",
              {{"address", s.config.admin_listen.substr(0, s.config.admin_listen.rfind(':'))},
               {"port", s.admin->port()}});
  }
  systemd_notify("READY=1");

  // A broker source acknowledges a message only once its notifications are with the sinks.
  std::optional<Settlement> settlement;
  if (s.amqp != nullptr) {
    std::vector<const SinkWorker*> workers;
    for (const auto& w : s.workers) workers.push_back(w.get());
    settlement.emplace(std::move(workers),
                       [amqp = s.amqp](std::span<const uint64_t> done) { amqp->settle(done); });
    s.settlement = &*settlement;
    s.amqp->set_waiting_hook([&settlement] { settlement->poll(); });
  }

  std::atomic<bool> done{false};
  std::thread housekeeper([&] { s.housekeeping(done); });

  auto parse_error = [](const std::string& what) { log::warn("parse_error", {{"detail", what}}); };
  auto signature_rejected = [](const Message& m, const SignatureCheck& check) {
    log::warn("signature_rejected", {{"msg_id", m.msg_id},
                                     {"topic", m.topic},
                                     {"reason", outcome_name(check.outcome)},
                                     {"detail", check.detail}});
  };
  ParseStage parse(*s.meta, s.stats, parse_error, {s.signatures.get(), signature_rejected});
  StoppableSource source(*s.source, s.stop);
  GraphOptions graph{s.config.batch_size, s.config.max_in_flight, s.latency, s.settlement};
  auto start = std::chrono::steady_clock::now();
  run_graph(source, parse, *s.matcher, s.router, s.stats, graph, &admit);
  for (auto& w : s.workers) w->stop();  // delivers what is queued
  if (settlement) {
    s.amqp->set_waiting_hook({});
    settlement->poll();
    s.amqp->finish();  // the last acks
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  done.store(true);
  housekeeper.join();
  s.settlement = nullptr;

  bus::SequenceStats seq = admit.sequence_stats();
  ServiceSummary summary{s.stats.received.load(),
                         s.stats.parse_errors.load(),
                         s.stats.duplicates.load(),
                         s.stats.notifications.load(),
                         s.router.unrouted(),
                         seq.gaps,
                         seq.missing,
                         seconds,
                         {}};
  for (const auto& w : s.workers) {
    summary.undelivered.emplace_back(std::string(w->sink().name()), w->undelivered());
    if (w->has_outbox()) {
      summary.left_in_outbox.emplace_back(std::string(w->sink().name()), w->left_in_outbox());
    }
  }
  return summary;
}

}  // namespace fmn::pipeline
