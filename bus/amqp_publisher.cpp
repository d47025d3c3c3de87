#include "bus/amqp_publisher.h"

#include <amqp.h>

#include <vector>

#include "bus/amqp_envelope.h"
#include "core/envelope_parser.h"

namespace fmn::bus {

Result<std::unique_ptr<AmqpPublisher>> AmqpPublisher::create(const AmqpPublisherOptions& options,
                                                             const MetaExtractor& meta) {
  auto connection = AmqpConnection::open(options.url, options.tls, std::chrono::seconds(0),
                                         std::chrono::seconds(10));
  if (!connection) return connection.error();
  amqp_confirm_select((*connection)->state(), AmqpConnection::kChannel);
  if (amqp_get_rpc_reply((*connection)->state()).reply_type != AMQP_RESPONSE_NORMAL) {
    return Error{ErrorCode::kIo, (*connection)->last_error("confirm.select")};
  }
  return std::unique_ptr<AmqpPublisher>(
      new AmqpPublisher(options, meta, std::move(connection).value()));
}

bool AmqpPublisher::send(std::string_view topic, std::string_view envelope) {
  auto parsed = parse_envelope(envelope, topic);
  if (!parsed) return false;
  Message& m = **parsed;
  meta_.extract(m);
  AmqpDeliveryText text;
  AmqpDelivery d = fedora_messaging_of(m, text);
  auto bytes = [](std::string_view s) {
    return amqp_bytes_t{s.size(), const_cast<char*>(s.data())};
  };

  std::vector<amqp_table_entry_t> entries(d.headers.size());
  for (size_t i = 0; i < d.headers.size(); ++i) {
    const auto& [name, value] = d.headers[i];
    amqp_table_entry_t& e = entries[i];
    e.key = bytes(name);
    if (const bool* b = std::get_if<bool>(&value)) {
      e.value.kind = AMQP_FIELD_KIND_BOOLEAN;
      e.value.value.boolean = *b;
    } else if (const int64_t* n = std::get_if<int64_t>(&value)) {
      e.value.kind = AMQP_FIELD_KIND_I64;
      e.value.value.i64 = *n;
    } else if (const double* x = std::get_if<double>(&value)) {
      e.value.kind = AMQP_FIELD_KIND_F64;
      e.value.value.f64 = *x;
    } else {
      e.value.kind = AMQP_FIELD_KIND_UTF8;
      e.value.value.bytes = bytes(std::get<std::string_view>(value));
    }
  }
  amqp_basic_properties_t p{};
  p._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_CONTENT_ENCODING_FLAG |
             AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_HEADERS_FLAG;
  p.content_type = amqp_cstring_bytes("application/json");
  p.content_encoding = amqp_cstring_bytes("utf-8");
  p.delivery_mode = 2;
  p.headers = {static_cast<int>(entries.size()), entries.data()};
  if (!d.message_id.empty()) {
    p._flags |= AMQP_BASIC_MESSAGE_ID_FLAG;
    p.message_id = bytes(d.message_id);
  }
  amqp_bytes_t payload = bytes(d.body);
  if (amqp_basic_publish(connection_->state(), AmqpConnection::kChannel,
                         amqp_cstring_bytes(options_.exchange.c_str()), bytes(d.routing_key), 0, 0,
                         &p, payload) != AMQP_STATUS_OK) {
    return false;
  }
  ++sent_;
  return sent_ % options_.confirm_every != 0 || flush();
}

bool AmqpPublisher::flush() {
  amqp_connection_state_t s = connection_->state();
  while (confirmed_ < sent_) {
    amqp_frame_t frame;
    if (amqp_simple_wait_frame(s, &frame) != AMQP_STATUS_OK) return false;
    if (frame.frame_type != AMQP_FRAME_METHOD) continue;
    if (frame.payload.method.id == AMQP_BASIC_ACK_METHOD) {
      const auto* ack = static_cast<const amqp_basic_ack_t*>(frame.payload.method.decoded);
      confirmed_ = ack->multiple ? ack->delivery_tag : std::max(confirmed_, ack->delivery_tag);
    } else if (frame.payload.method.id == AMQP_BASIC_NACK_METHOD) {
      const auto* nack = static_cast<const amqp_basic_nack_t*>(frame.payload.method.decoded);
      refused_ = true;
      confirmed_ = std::max(confirmed_, nack->delivery_tag);
    } else if (frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD ||
               frame.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD) {
      return false;
    }
    amqp_maybe_release_buffers(s);
  }
  return !refused_;
}

}  // namespace fmn::bus
