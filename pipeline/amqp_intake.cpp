#include "pipeline/amqp_intake.h"

namespace fmn::pipeline {

std::string amqp_queue_name(const ServiceConfig& c) {
  if (!c.amqp_queue.empty()) return c.amqp_queue;
  return "fmn.shard-" + std::to_string(c.shard_index) + "-of-" + std::to_string(c.shard_count);
}

Result<AmqpIntake> open_amqp_intake(const ServiceConfig& c) {
  AmqpIntake intake;
  bus::AmqpSourceOptions options;
  options.urls = c.amqp;
  options.queue = amqp_queue_name(c);
  options.queue_type = c.amqp_queue_type;
  options.bindings = c.amqp_bindings;
  options.prefetch = static_cast<uint16_t>(c.amqp_prefetch);
  options.heartbeat = std::chrono::seconds(static_cast<int64_t>(c.amqp_heartbeat));
  options.ca_cert = c.amqp_ca_cert;
  options.client_cert = c.amqp_cert;
  options.client_key = c.amqp_key;
  if (!c.redis.empty()) {
    std::string host;
    int port = 0;
    split_host_port(c.redis, host, port);
    // Per queue: each shard's queue is its own stream of deliveries.
    auto log = RedisCompletionLog::connect(host, port, "fmn:amqp:" + options.queue + ":done:");
    if (!log) return log.error();
    intake.completion_log = std::move(log).value();
    options.completed = intake.completion_log.get();
  }
  auto source = bus::AmqpSource::create(std::move(options));
  if (!source) return source.error();
  intake.source = std::move(source).value();
  return intake;
}

void register_amqp_metrics(metrics::Registry& registry, const bus::AmqpSource& source) {
  const bus::AmqpSource* s = &source;
  auto counter = [&](const char* name, const char* help, uint64_t bus::AmqpSourceStats::*field) {
    registry.counter_fn(name, help, [s, field] { return static_cast<double>(s->stats().*field); });
  };
  counter("fmn_amqp_acked_total", "Deliveries acknowledged to the broker.",
          &bus::AmqpSourceStats::acked);
  counter("fmn_amqp_rejected_total",
          "Poison deliveries (not one JSON value in UTF-8, too deep, too large) rejected without "
          "requeue.",
          &bus::AmqpSourceStats::rejected);
  counter("fmn_amqp_redelivered_total", "Deliveries the broker flagged as redelivered.",
          &bus::AmqpSourceStats::redelivered);
  counter("fmn_amqp_already_done_total",
          "Redeliveries of messages already processed, acknowledged without processing.",
          &bus::AmqpSourceStats::already_done);
  counter("fmn_amqp_reconnects_total", "Connections to the broker opened after the first.",
          &bus::AmqpSourceStats::reconnects);
  counter("fmn_amqp_consumer_cancels_total", "Consumer cancel notifications from the broker.",
          &bus::AmqpSourceStats::cancelled);
  registry.gauge_fn("fmn_amqp_connected", "1 while consuming from the broker.",
                    [s] { return s->connected() ? 1.0 : 0.0; });
}

}  // namespace fmn::pipeline
