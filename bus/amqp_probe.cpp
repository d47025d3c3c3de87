#include "bus/amqp_probe.h"

#include <amqp.h>

namespace fmn::bus {

Result<AmqpProbeAnswer> probe_amqp(const std::string& url, const AmqpTls& tls,
                                   const std::string& exchange, const std::string& queue,
                                   std::chrono::milliseconds timeout) {
  auto opened = AmqpConnection::open(url, tls, std::chrono::seconds(0), timeout);
  if (!opened) return opened.error();
  AmqpConnection& c = **opened;
  AmqpProbeAnswer answer{c.where(), std::nullopt, 0};
  // Passive declarations only ask; a 404 closes the channel, so the exchange goes first and the
  // queue last.
  amqp_exchange_declare(c.state(), AmqpConnection::kChannel, amqp_cstring_bytes(exchange.c_str()),
                        amqp_cstring_bytes("topic"), 1, 0, 0, 0, amqp_empty_table);
  if (amqp_get_rpc_reply(c.state()).reply_type != AMQP_RESPONSE_NORMAL) {
    return Error{ErrorCode::kNotFound,
                 c.last_error("the exchange '" + exchange + "' does not exist")};
  }
  const auto* declared =
      amqp_queue_declare(c.state(), AmqpConnection::kChannel, amqp_cstring_bytes(queue.c_str()), 1,
                         0, 0, 0, amqp_empty_table);
  if (declared != nullptr) {
    answer.ready = declared->message_count;
    answer.consumers = declared->consumer_count;
  }
  return answer;
}

}  // namespace fmn::bus
