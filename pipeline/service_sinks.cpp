#include <unistd.h>

#include <cstdio>

#include "core/destination_address.h"
#include "core/log.h"
#include "pipeline/service_impl.h"
#include "sinks/destination_sinks.h"
#include "sinks/digest_batcher.h"
#include "sinks/digest_store_factory.h"
#include "sinks/redis_connection.h"
#include "sinks/stdout_sink.h"

namespace fmn::pipeline {

SinkWorker& Service::Impl::add_worker(sinks::Sink& sink, sinks::RedisOutbox* outbox) {
  // A broker keeps what is not acknowledged: rather than go on from memory, a batch waits for
  // the outbox, and its messages for their acknowledgement.
  const auto on_outbox_failure = source_kind(config) == SourceKind::kAmqp
                                     ? OutboxWriter::OnFailure::kHold
                                     : OutboxWriter::OnFailure::kDeliverFromMemory;
  SinkWorker* w = workers
                      .emplace_back(std::make_unique<SinkWorker>(
                          sink, config.sink_queue, milliseconds(config.stop_grace_seconds),
                          std::chrono::milliseconds(200), outbox,
                          [this](std::span<const Notification> dead) {
                            for (const Notification& n : dead) {
                              recorder->record(n, sinks::DeliveryStatus::kDeadLettered,
                                               "handed out too often without being confirmed");
                            }
                          },
                          on_outbox_failure))
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
        "Failed outbox operations (Redis unreachable): from a broker source the batches "
        "wait and are tried again, unacknowledged; from another they go on from memory only.",
        [w] { return static_cast<double>(w->outbox_errors()); }, kind);
    registry.counter_fn(
        "fmn_outbox_unwritten_total",
        "Notifications a shutdown dropped while Redis refused the outbox (broker source only): "
        "their messages were not acknowledged, and the broker delivers them again.",
        [w] { return static_cast<double>(w->unwritten()); }, kind);
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

sinks::ConfirmationOutcome Service::Impl::apply_answer(const sinks::ConfirmationAnswer& answer) {
  web::WebApp* app = answers.load();
  DestinationKind kind{};
  if (app == nullptr) return sinks::ConfirmationOutcome::kUnavailable;
  if (!prefs::parse_destination_kind(answer.kind, kind)) {
    return sinks::ConfirmationOutcome::kUnknownOrWrongCode;
  }
  switch (
      app->answer_confirmation({answer.user, kind, answer.address, answer.code, answer.accept})) {
    case prefs::AnswerOutcome::kAccepted:
    case prefs::AnswerOutcome::kRefused:
      log::info("confirmation_answered", {{"user", answer.user},
                                          {"kind", answer.kind},
                                          {"address", redacted_address(answer.address)},
                                          {"accept", answer.accept ? "yes" : "no"}});
      return sinks::ConfirmationOutcome::kDone;
    case prefs::AnswerOutcome::kExpired:
      return sinks::ConfirmationOutcome::kExpired;
    case prefs::AnswerOutcome::kUnknownOrWrongCode:
      return sinks::ConfirmationOutcome::kUnknownOrWrongCode;
    case prefs::AnswerOutcome::kUnavailable:
      break;
  }
  return sinks::ConfirmationOutcome::kUnavailable;
}

Result<bool> Service::Impl::open_sinks() {
  const std::optional<sinks::RedisConfig> redis = redis_config();
  // With Redis configured, the outbox, pending digests and delivery marks live there: a service
  // started without it would take notifications it cannot keep. It refuses to start instead,
  // saying why; the service manager starts it again (contrib/fmn-pipeline.service) until Redis
  // answers.
  if (redis) {
    if (auto up = sinks::RedisConnection::open(*redis); !up) {
      log::error("redis_unavailable", {{"address", config.redis}, {"detail", up.error().message}});
      return Error{ErrorCode::kIo,
                   "state.redis: " + up.error().message +
                       ": not starting without it (it holds the outbox, pending digests and "
                       "delivery marks); start Redis, then fmn-pipeline"};
    }
  }
  history = sinks::open_delivery_history(redis);
  recorder = std::make_unique<HistoryRecorder>(history);
  // A kind's sink, behind a digest batcher (with its own store, sinks::kind_digest_redis) when
  // the kind has digests, then its outbox and its worker, routed to.
  auto route = [&](DestinationKind kind, std::unique_ptr<sinks::Sink> opened,
                   bool digests) -> Result<bool> {
    sinks::Sink* head = sinks.emplace_back(std::move(opened)).get();
    RecordedSink::Records records = RecordedSink::Records::kOutcomes;
    if (digests) {
      std::optional<sinks::RedisConfig> own_redis;
      if (redis) own_redis = sinks::kind_digest_redis(*redis, kind);
      auto store = sinks::open_digest_store(own_redis);
      if (!store) return store.error();
      sinks::DigestStore& own = *digest_stores.emplace_back(std::move(store).value());
      auto batcher = std::make_unique<sinks::DigestBatcher>(
          record(*head, RecordedSink::Records::kOutcomes), own, sinks::DigestBatcherConfig{},
          SystemClock::instance(), failures.handler(kind));
      batcher->recover();
      head = sinks.emplace_back(std::move(batcher)).get();
      records = RecordedSink::Records::kHeldForDigest;
    }
    auto outbox = open_outbox(redis, kind);
    if (!outbox) return outbox.error();
    router.route(kind, add_worker(record(*head, records), *outbox));
    return true;
  };

  // Every kind with a sink, each opened with its section's settings when they switch it on.
  sinks::SinkContext context;
  context.on_answer = [this](const sinks::ConfirmationAnswer& a) { return apply_answer(a); };
  context.secret = [this](DestinationKind kind, std::string_view address) {
    return preferences->destination_secret(kind, address);
  };
  context.public_url = config.public_url;
  context.link_secret = link_secret;
  context.redis = redis;
  context.registry = &registry;
  for (const sinks::DestinationSink& kind : sinks::destination_sinks()) {
    const sinks::SinkSettings& settings = config.sink(kind.kind);
    if (!sinks::sink_on(kind, settings)) continue;
    context.on_failure = failures.handler(kind.kind);
    auto opened = kind.open(settings, context);
    if (!opened) return opened.error();
    if (auto routed = route(kind.kind, std::move(opened).value(), kind.digests); !routed) {
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
