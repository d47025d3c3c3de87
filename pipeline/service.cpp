#include "pipeline/service.h"

#include <chrono>
#include <cstdio>
#include <thread>

#include "bus/file_source.h"
#include "bus/zmq_source.h"
#include "core/log.h"
#include "core/meta_extractor.h"
#include "core/metrics.h"
#include "core/signature_verifier.h"
#include "engine/rule_engine.h"
#include "pipeline/admin_server.h"
#include "pipeline/delivery_router.h"
#include "pipeline/endpoint_probe.h"
#include "pipeline/engine_matcher.h"
#include "pipeline/graph.h"
#include "pipeline/live_preferences.h"
#include "pipeline/systemd_notify.h"
#include "prefs/dsl_rule_validator.h"
#include "prefs/file_store.h"
#include "prefs/file_watcher.h"
#include "prefs/pg_change_listener.h"
#include "prefs/pg_store.h"
#include "sinks/curl_smtp_transport.h"
#include "sinks/digest_batcher.h"
#include "sinks/digest_store_factory.h"
#include "sinks/email_sink.h"
#include "sinks/irc_sink.h"
#include "sinks/irc_transport.h"
#include "sinks/sse_server.h"
#include "sinks/sse_sink.h"
#include "sinks/stdout_sink.h"

namespace fmn::embedded {
std::string_view default_preferences();
}

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
  StageLatency latency;

  std::unique_ptr<MetaExtractor> meta;
  std::unique_ptr<SignatureVerifier> signatures;  // null: signatures not checked
  std::unique_ptr<bus::Source> source;
  bus::ZmqSource* zmq = nullptr;  // the source, when it is the bus
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
  std::vector<std::unique_ptr<SinkWorker>> workers;
  std::unique_ptr<sinks::SseServer> sse;
  DeliveryRouter router;
  std::unique_ptr<AdminServer> admin;

  // Connects to the preferences database and starts listening to its changes.
  Result<bool> open_preferences_database();
  // Loads the preferences; a file is then followed as it changes.
  Result<bool> open_preferences();
  Result<prefs::Population> read_preferences();
  // Reads the preferences and hands them to `preferences`; returns what it read.
  Result<prefs::Population> load_preferences();
  Result<bool> open_sinks();
  SinkWorker& add_worker(sinks::Sink& sink);
  void register_metrics(AdmissionStage& admit);
  void start_admin();
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

SinkWorker& Service::Impl::add_worker(sinks::Sink& sink) {
  SinkWorker* w = workers.emplace_back(std::make_unique<SinkWorker>(sink, config.sink_queue)).get();
  registry.gauge_fn(
      "fmn_sink_queue_notifications", "Notifications waiting in a destination kind's queue.",
      [w] { return static_cast<double>(w->depth()); }, {{"sink", std::string(sink.name())}});
  return *w;
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
    auto sink = batched(DestinationKind::kEmail,
                        std::make_unique<sinks::EmailSink>(std::move(transport).value(), email));
    if (!sink) return sink.error();
    router.route(DestinationKind::kEmail, add_worker(**sink));
  }
  if (!config.irc_server.empty()) {
    std::string host;
    int port = 0;
    split_host_port(config.irc_server, host, port);
    sinks::IrcConfig irc;
    irc.nick = config.irc_nick;
    auto sink = batched(DestinationKind::kIrc,
                        std::make_unique<sinks::IrcSink>(
                            std::make_unique<sinks::TcpIrcTransport>(host, port), irc));
    if (!sink) return sink.error();
    router.route(DestinationKind::kIrc, add_worker(**sink));
  }
  if (!config.sse_listen.empty()) {
    sinks::SseServerConfig sse_config;
    split_host_port(config.sse_listen, sse_config.bind, sse_config.port);
    auto server =
        sinks::SseServer::start(sse_config, [this](std::string_view feed, std::string_view token) {
          return preferences->feed_token_matches(feed, token);
        });
    if (!server) return server.error();
    sse = std::move(server).value();
    router.route(DestinationKind::kSse,
                 add_worker(*sinks.emplace_back(std::make_unique<sinks::SseSink>(*sse))));
    log::info("sse_listening", {{"address", sse_config.bind}, {"port", sse->port()}});
  }
  if (config.stdout_fallback) {
    SinkWorker& out = add_worker(*sinks.emplace_back(std::make_unique<sinks::StdoutSink>(stdout)));
    for (DestinationKind kind : {DestinationKind::kEmail, DestinationKind::kIrc,
                                 DestinationKind::kSse, DestinationKind::kStdout}) {
      if (!router.routes(kind)) router.route(kind, out);
    }
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
  counter("fmn_duplicates_total", "Messages dropped as duplicates (by msg_id).",
          [this] { return static_cast<double>(stats.duplicates.load()); });
  counter("fmn_notifications_total", "Notifications produced by matching.",
          [this] { return static_cast<double>(stats.notifications.load()); });
  counter("fmn_notifications_unrouted_total", "Notifications for a destination kind with no sink.",
          [this] { return static_cast<double>(router.unrouted()); });
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
  for (const auto& s : sinks) {
    sinks::Sink* sink = s.get();
    std::string name(sink->name());
    const sinks::SinkCounters* c = &sink->counters();
    registry.counter_fn("fmn_delivered_total", "Notifications or digests a destination accepted.",
                        [c] { return static_cast<double>(c->delivered.load()); }, {{"sink", name}});
    registry.counter_fn("fmn_retried_total", "Delivery attempts that will be retried.",
                        [c] { return static_cast<double>(c->retried.load()); }, {{"sink", name}});
    registry.counter_fn("fmn_failed_total", "Deliveries given up.",
                        [c] { return static_cast<double>(c->failed.load()); }, {{"sink", name}});
    registry.counter_fn("fmn_dropped_total", "Notifications dropped by a full queue.",
                        [c] { return static_cast<double>(c->dropped.load()); }, {{"sink", name}});
  }
}

Service::Service(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Service::~Service() {
  for (auto& w : impl_->workers) w->stop();
  if (impl_->admin) impl_->admin->stop();
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
  if (auto ok = impl->open_sinks(); !ok) return ok.error();

  if (!config.replay.empty()) {
    bus::PacingOptions pacing;
    if (config.replay_rate > 0) pacing = bus::PacingOptions::fixed_rate(config.replay_rate);
    if (config.replay_speed > 0) pacing = bus::PacingOptions::recorded(config.replay_speed);
    auto file = bus::FileSource::open(config.replay, pacing);
    if (!file) return file.error();
    impl->source = std::move(file).value();
  } else {
    bus::ZmqSourceOptions zmq;
    zmq.connect = config.connect;
    zmq.topics = config.topics;
    zmq.rcvhwm = config.high_water_mark;
    auto source = bus::ZmqSource::create(zmq);
    if (!source) return source.error();
    impl->zmq = source->get();
    impl->source = std::move(source).value();
  }
  return std::unique_ptr<Service>(new Service(std::move(impl)));
}

void Service::request_stop() {
  if (!impl_->stop.exchange(true)) systemd_notify("STOPPING=1");
  if (impl_->zmq != nullptr) impl_->zmq->stop();
}

void Service::request_reload() { impl_->reload.store(true); }

void Service::Impl::start_admin() {
  std::string host;
  int port = 0;
  split_host_port(config.admin_listen, host, port);
  std::vector<ReadinessCheck> checks{{"rules", [this] { return engine->current() != nullptr; }}};
  if (zmq != nullptr) checks.push_back({"bus", [this] { return bus_reachable.load(); }});
  if (!config.redis.empty()) checks.push_back({"redis", [this] { return redis_reachable.load(); }});
  if (pg_listener) checks.push_back({"prefs", [this] { return preferences->store_healthy(); }});
  admin = std::make_unique<AdminServer>(registry, std::move(checks));
  if (auto ok = admin->start(host, port); !ok) {
    log::error("admin_unavailable", {{"error", ok.error().message}});
    admin.reset();
  } else {
    log::info("admin_listening", {{"address", host}, {"port", admin->port()}});
  }
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
    redis_reachable.store(split_host_port(config.redis, host, port) &&
                          tcp_reachable(host, port, kTimeout));
  }
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
      if (auto ok = load_preferences(); !ok) {
        log::error("reload_failed", {{"error", ok.error().message}});
      }
    }
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
  if (!s.config.admin_listen.empty()) s.start_admin();
  systemd_notify("READY=1");

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
  GraphOptions graph{s.config.batch_size, s.config.max_in_flight, s.latency};
  auto start = std::chrono::steady_clock::now();
  run_graph(source, parse, *s.matcher, s.router, s.stats, graph, &admit);
  for (auto& w : s.workers) w->stop();  // delivers what is queued
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  done.store(true);
  housekeeper.join();

  bus::SequenceStats seq = admit.sequence_stats();
  return ServiceSummary{s.stats.received.load(),
                        s.stats.parse_errors.load(),
                        s.stats.duplicates.load(),
                        s.stats.notifications.load(),
                        s.router.unrouted(),
                        seq.gaps,
                        seq.missing,
                        seconds};
}

}  // namespace fmn::pipeline
