// probe_amqp: what `fmn-pipeline --check-config` asks of each configured broker before anything
// starts. It connects (TLS as configured), logs in, checks passively (declaring nothing) that
// the exchange exists, and looks for the queue the source would consume from; then closes.
//
// A missing queue is not a failure: the source declares it at start. The error says the class of
// failure as AmqpConnection does (refused, TLS, login refused, virtual host missing) or names
// the missing exchange; no error or answer holds the URL's password. Blocks for at most about
// `timeout` per step. Thread-compatible.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "bus/amqp_connection.h"
#include "core/result.h"

namespace fmn::bus {

struct AmqpProbeAnswer {
  std::string broker;             // host:port
  std::optional<uint64_t> ready;  // messages ready in the queue; nullopt: no such queue yet
  uint32_t consumers = 0;         // consumers of the queue now
};

Result<AmqpProbeAnswer> probe_amqp(const std::string& url, const AmqpTls& tls,
                                   const std::string& exchange, const std::string& queue,
                                   std::chrono::milliseconds timeout);

}  // namespace fmn::bus
