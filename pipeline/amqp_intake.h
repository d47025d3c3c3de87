// The fedora-messaging source as the service runs it: the AmqpSource built from [source]
// amqp_* settings, its completion log in Redis when [state] redis is set (otherwise none:
// redeliveries after a restart are processed again, and only the digest store's own dedupe
// stands between them and a second notification), and its Prometheus metrics.
// Built once at start-up; the intake owns the log, the caller the source.
#pragma once

#include <memory>
#include <string>

#include "bus/amqp_source.h"
#include "core/metrics.h"
#include "pipeline/redis_completion_log.h"
#include "pipeline/service_config.h"

namespace fmn::pipeline {

struct AmqpIntake {
  std::unique_ptr<RedisCompletionLog> completion_log;  // null without Redis
  std::unique_ptr<bus::AmqpSource> source;
};

// The durable queue's name: [source] amqp_queue, or "fmn.shard-<index>-of-<count>".
std::string amqp_queue_name(const ServiceConfig& config);

// Errors: kInvalidConfig (bad URL, TLS files), kIo (Redis does not answer).
Result<AmqpIntake> open_amqp_intake(const ServiceConfig& config);

// fmn_amqp_* counters and the connected gauge. `source` outlives the registry's scrapes.
void register_amqp_metrics(metrics::Registry& registry, const bus::AmqpSource& source);

}  // namespace fmn::pipeline
