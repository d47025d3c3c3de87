// AmqpPublisher: publishes fedmsg envelopes as fedora-messaging messages on a RabbitMQ broker,
// for fmn-replay --amqp, demos and benches.
//
// Each envelope is parsed and its meta extracted (so the headers name its people and
// artifacts, as fedora-messaging's schemas do), then published to the exchange (`amq.topic`)
// with routing key = topic, persistent (delivery_mode 2), content_type application/json,
// content_encoding utf-8, message_id = msg_id and the headers of fedora_messaging_of()
// (bus/amqp_envelope.h). Publisher confirms are on: flush() returns once the broker has taken
// every message sent so far, and send() flushes every `confirm_every` messages so the broker's
// confirms never pile up unread. One thread at a time.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "bus/amqp_connection.h"
#include "core/meta_extractor.h"
#include "core/result.h"

namespace fmn::bus {

struct AmqpPublisherOptions {
  std::string url;  // amqp://... or amqps://...
  AmqpTls tls;
  std::string exchange = "amq.topic";
  size_t confirm_every = 1000;
};

class AmqpPublisher {
 public:
  // `meta` outlives the publisher. Errors: kInvalidConfig, kIo (naming the broker).
  static Result<std::unique_ptr<AmqpPublisher>> create(const AmqpPublisherOptions& options,
                                                       const MetaExtractor& meta);

  // Publishes one envelope (`topic` wins over the envelope's own when not empty). False when
  // the envelope does not parse or the broker refused or dropped the connection.
  bool send(std::string_view topic, std::string_view envelope);
  // Waits until the broker confirmed every message sent; false if it refused any.
  bool flush();
  uint64_t sent() const { return sent_; }

 private:
  AmqpPublisher(AmqpPublisherOptions options, const MetaExtractor& meta,
                std::unique_ptr<AmqpConnection> connection)
      : options_(std::move(options)), meta_(meta), connection_(std::move(connection)) {}

  AmqpPublisherOptions options_;
  const MetaExtractor& meta_;
  std::unique_ptr<AmqpConnection> connection_;
  uint64_t sent_ = 0;       // published, the delivery tag of the last one
  uint64_t confirmed_ = 0;  // confirmed by the broker, up to this tag
  bool refused_ = false;
};

}  // namespace fmn::bus
