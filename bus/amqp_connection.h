// AmqpConnection: one open AMQP 0-9-1 connection (rabbitmq-c) with channel 1 open, for the
// source and the publisher.
//
// open() parses an amqp:// or amqps:// URL (user, password, host, port, vhost; rabbitmq-c's
// defaults: guest, guest, 5672/5671, "/"), connects with a bounded timeout, sets up TLS for
// amqps (the CA file verifies the broker; a client certificate and key are presented when
// given), logs in announcing that the client understands consumer cancel notifications, and
// opens channel 1. Errors (kIo, kInvalidConfig) name the host, never the password, and say the
// class of failure: refused or unreachable, TLS (unknown CA, wrong host name, handshake), login
// refused, virtual host missing.
// Closing is best-effort (connection.close, then free). Move-only; one thread at a time.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/result.h"

struct amqp_connection_state_t_;

namespace fmn::bus {

struct AmqpTls {
  std::string ca_cert;  // PEM file; empty: the broker's certificate is not verified
  std::string client_cert, client_key;
};

class AmqpConnection {
 public:
  static constexpr int kChannel = 1;

  static Result<std::unique_ptr<AmqpConnection>> open(const std::string& url, const AmqpTls& tls,
                                                      std::chrono::seconds heartbeat,
                                                      std::chrono::milliseconds timeout);
  ~AmqpConnection();
  AmqpConnection(const AmqpConnection&) = delete;
  AmqpConnection& operator=(const AmqpConnection&) = delete;

  amqp_connection_state_t_* state() const { return state_; }
  // The host:port the connection went to, for logs.
  const std::string& where() const { return where_; }
  // The last RPC's failure as text, for errors ("server channel error 404: NOT_FOUND - ...").
  std::string last_error(const std::string& what) const;

 private:
  AmqpConnection(amqp_connection_state_t_* state, std::string where)
      : state_(state), where_(std::move(where)) {}
  amqp_connection_state_t_* state_;
  std::string where_;
  bool open_ = false;
};

// True when `url` parses as an amqp:// or amqps:// URL.
bool valid_amqp_url(const std::string& url);

}  // namespace fmn::bus
