#include <unistd.h>

#include <cstdio>

#include "core/log.h"
#include "pipeline/service_impl.h"
#include "sinks/curl_smtp_transport.h"
#include "sinks/destination_sinks.h"
#include "sinks/digest_batcher.h"
#include "sinks/digest_store_factory.h"
#include "sinks/email_sink.h"
#include "sinks/irc_sink.h"
#include "sinks/irc_transport.h"
#include "sinks/sse_sink.h"
#include "sinks/stdout_sink.h"

namespace fmn::pipeline {

SinkWorker& Service::Impl::add_worker(sinks::Sink& sink, sinks::RedisOutbox* outbox) {
  SinkWorker* w = workers
                      .emplace_back(std::make_unique<SinkWorker>(
                          sink, config.sink_queue, milliseconds(config.stop_grace_seconds),
                          std::chrono::milliseconds(200), outbox,
                          [this](std::span<const Notification> dead) {
                            for (const Notification& n : dead) {
                              recorder->record(n, sinks::DeliveryStatus::kDeadLettered,
                                               "handed out too often without being confirmed");
                            }
                          }))
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
        "Dead letters written by this run: notifications their sink gave up for good, and outbox "
        "entries (batches) handed out too often unconfirmed.",
        [outbox] { return static_cast<double>(outbox->dead_lettered_total()); }, kind);
    registry.counter_fn(
        "fmn_outbox_errors_total",
        "Failed outbox operations (Redis unreachable): such batches go on from "
        "memory only.",
        [w] { return static_cast<double>(w->outbox_errors()); }, kind);
  }
  return *w;
}

sinks::Sink& Service::Impl::record(sinks::Sink& sink, RecordedSink::Records records) {
  return *recorded.emplace_back(std::make_unique<RecordedSink>(sink, records, *recorder));
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
  outbox.dead_letters_max = config.outbox_dead_letters_max;
  outbox.dead_letters_max_age =
      std::chrono::seconds(static_cast<int64_t>(config.outbox_dead_letters_max_age_days * 86400));
  auto opened = sinks::RedisOutbox::open(*redis, destination_kind_name(kind), outbox);
  if (!opened) return opened.error();
  return outboxes.emplace_back(std::move(opened).value()).get();
}

std::optional<sinks::RedisConfig> Service::Impl::redis_config() const {
  std::optional<sinks::RedisConfig> redis;
  if (!config.redis.empty()) {
    redis.emplace();
    split_host_port(config.redis, redis->host, redis->port);
  }
  return redis;
}

Result<bool> Service::Impl::open_sinks() {
  const std::optional<sinks::RedisConfig> redis = redis_config();
  history = sinks::open_delivery_history(redis);
  recorder = std::make_unique<HistoryRecorder>(history);
  // A kind's sink behind a digest batcher (with its own store, sinks::kind_digest_redis), its
  // outbox and its worker, routed to.
  auto route_batched = [&](DestinationKind kind,
                           std::unique_ptr<sinks::Sink> inner) -> Result<bool> {
    std::optional<sinks::RedisConfig> own_redis;
    if (redis) own_redis = sinks::kind_digest_redis(*redis, kind);
    auto store = sinks::open_digest_store(own_redis);
    if (!store) return store.error();
    sinks::DigestStore& own = *digest_stores.emplace_back(std::move(store).value());
    sinks::Sink& in = *sinks.emplace_back(std::move(inner));
    auto batcher = std::make_unique<sinks::DigestBatcher>(
        record(in, RecordedSink::Records::kOutcomes), own, sinks::DigestBatcherConfig{},
        SystemClock::instance(), failures.handler(kind));
    batcher->recover();
    sinks::Sink& batched = *sinks.emplace_back(std::move(batcher));
    auto outbox = open_outbox(redis, kind);
    if (!outbox) return outbox.error();
    router.route(kind, add_worker(record(batched, RecordedSink::Records::kHeldForDigest), *outbox));
    return true;
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
    auto routed =
        route_batched(DestinationKind::kEmail,
                      std::make_unique<sinks::EmailSink>(
                          std::move(transport).value(), email, sinks::TemplateSet::builtin(),
                          SystemClock::instance(), failures.handler(DestinationKind::kEmail)));
    if (!routed) return routed.error();
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
    auto routed = route_batched(
        DestinationKind::kIrc,
        std::make_unique<sinks::IrcSink>(std::make_unique<sinks::TcpIrcTransport>(host, port), irc,
                                         sinks::TemplateSet::builtin(), SystemClock::instance(),
                                         failures.handler(DestinationKind::kIrc)));
    if (!routed) return routed.error();
  }
  if (!config.sse_listen.empty()) {
    sinks::SseServerConfig sse_config;
    split_host_port(config.sse_listen, sse_config.bind, sse_config.port);
    sse_config.max_event_bytes = config.sse_max_event_bytes;
    sse_config.network_threads = config.sse_network_threads;
    sse_config.limits.max_connections = config.sse_max_connections;
    sse_config.limits.max_connections_per_ip = config.sse_max_connections_per_ip;
    sse_config.event_latency = &registry.histogram(
        "fmn_sse_event_latency_seconds",
        "From an event's publication to its being written to an SSE client's socket (once per "
        "client; replays and catch-ups after a lag not counted).",
        metrics::latency_buckets());
    sse_config.limits.header_timeout = milliseconds(config.sse_header_timeout_seconds);
    sse_config.limits.idle_timeout = milliseconds(config.sse_idle_timeout_seconds);
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
    sinks::Sink& sse_sink = *sinks.emplace_back(std::make_unique<sinks::SseSink>(*sse));
    router.route(DestinationKind::kSse,
                 add_worker(record(sse_sink, RecordedSink::Records::kOutcomes), *outbox));
    log::info("sse_listening", {{"address", sse_config.bind}, {"port", sse->port()}});
  }
  // The kinds opened from the table: each with its section's settings, a batcher and an outbox.
  sinks::SinkContext context;
  context.secret = [this](DestinationKind kind, std::string_view address) {
    return preferences->destination_secret(kind, address);
  };
  for (const sinks::DestinationSink& kind : sinks::destination_sinks()) {
    auto section = config.sink_sections.find(destination_kind_info(kind.kind).config_section);
    context.on_failure = failures.handler(kind.kind);
    auto opened =
        kind.open(section != config.sink_sections.end() ? section->second
                                                        : sinks::SinkSettings(kind.settings),
                  context);
    if (!opened) return opened.error();
    if (*opened == nullptr) continue;
    if (auto routed = route_batched(kind.kind, std::move(opened).value()); !routed) {
      return routed.error();
    }
  }
  if (config.stdout_fallback) {
    sinks::Sink& printed =
        *sinks.emplace_back(std::make_unique<sinks::StdoutSink>(stdout, config.public_url));
    SinkWorker& out = add_worker(record(printed, RecordedSink::Records::kOutcomes));
    router.route_unrouted(out);
  }
  return true;
}

}  // namespace fmn::pipeline
