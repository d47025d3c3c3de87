// ChaosBus: the bus a chaos run (chaos_run.h) publishes the corpus on, and what fmn-pipeline
// needs to consume from it.
//
// - ZeroMQ: a PUB endpoint (test::ZmqPublisher). A pipeline consumes once its subscription
//   reached the publisher; restart() rebinds the publisher and waits for fmn to resubscribe.
// - AMQP: a real RabbitMQ broker (test::RabbitMqServer); each message goes out as
//   fedora-messaging sends it (bus::AmqpPublisher: `amq.topic`, routing key = topic,
//   message_id = msg_id, sent-at = the envelope's timestamp, the body = its `msg`, persistent)
//   and publish() returns once the broker confirmed it. fmn consumes the durable queue
//   `fmn-chaos`, which its first start declares and binds; a pipeline consumes once its
//   `fmn_amqp_connected` gauge is 1. restart() stops the broker cleanly, starts it on the same
//   data and waits until fmn has reconnected (`fmn_amqp_reconnects_total` went up).
// Blocking; one thread at a time.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "tests/faults/chaos_schedule.h"
#include "tests/faults/pipeline_process.h"
#include "tests/support/status.h"
#include "tests/support/zmq_publisher.h"

namespace fmn::faults {

class ChaosBus {
 public:
  static Result<std::unique_ptr<ChaosBus>> start(ChaosSource source);
  virtual ~ChaosBus() = default;

  // fmn-pipeline's [source] section.
  virtual std::string source_config() const = 0;
  // Waits until `pipeline`, just started, consumes what is published from now on.
  virtual test::Status wait_consuming(const PipelineProcess& pipeline) = 0;
  virtual test::Status publish(const test::BusMessage& m) = 0;
  // Restarts the publisher (ZeroMQ) or the broker (AMQP), then waits until the running
  // `pipeline` consumes again.
  virtual test::Status restart(const PipelineProcess& pipeline) = 0;
};

}  // namespace fmn::faults
