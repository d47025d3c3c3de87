#include "bus/amqp_connection.h"

#include <amqp.h>
#include <amqp_ssl_socket.h>
#include <amqp_tcp_socket.h>

#include <vector>

namespace fmn::bus {
namespace {

struct ParsedUrl {
  std::vector<char> buffer;  // amqp_parse_url points into it
  amqp_connection_info info{};
};

bool parse(const std::string& url, ParsedUrl& out) {
  out.buffer.assign(url.begin(), url.end());
  out.buffer.push_back('\0');
  amqp_default_connection_info(&out.info);
  return amqp_parse_url(out.buffer.data(), &out.info) == AMQP_STATUS_OK;
}

std::string reply_text(const amqp_rpc_reply_t& r) {
  switch (r.reply_type) {
    case AMQP_RESPONSE_NORMAL:
      return "ok";
    case AMQP_RESPONSE_NONE:
      return "no reply";
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
      return amqp_error_string2(r.library_error);
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      if (r.reply.id == AMQP_CONNECTION_CLOSE_METHOD || r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
        bool channel = r.reply.id == AMQP_CHANNEL_CLOSE_METHOD;
        const auto* m = static_cast<const amqp_connection_close_t*>(r.reply.decoded);
        const auto* c = static_cast<const amqp_channel_close_t*>(r.reply.decoded);
        uint16_t code = channel ? c->reply_code : m->reply_code;
        amqp_bytes_t text = channel ? c->reply_text : m->reply_text;
        return std::string(channel ? "channel" : "connection") + " closed by the server " +
               std::to_string(code) + ": " +
               std::string(static_cast<const char*>(text.bytes), text.len);
      }
      return "server exception";
  }
  return "unknown reply";
}

// A failure to open the socket, in words an operator can act on.
std::string open_failure(int status, const std::string& host) {
  switch (status) {
    case AMQP_STATUS_SSL_PEER_VERIFY_FAILED:
      return "TLS: the broker's certificate does not chain to the CA certificate (amqp_ca_cert)";
    case AMQP_STATUS_SSL_HOSTNAME_VERIFY_FAILED:
      return "TLS: the broker's certificate is not for the host name " + host;
    case AMQP_STATUS_SSL_ERROR:
    case AMQP_STATUS_SSL_CONNECTION_FAILED:
      return "TLS handshake failed (is this an AMQPS port? does the broker accept the client "
             "certificate?)";
    case AMQP_STATUS_SOCKET_ERROR:
    case AMQP_STATUS_TCP_ERROR:
      return "cannot connect (refused or unreachable)";
    case AMQP_STATUS_TIMEOUT:
      return "cannot connect (timed out)";
    default:
      return std::string("cannot connect: ") + amqp_error_string2(status);
  }
}

// A refused login or connection.open, by its class: the broker answers 403 for bad credentials
// (clients announcing authentication_failure_close) and 530 for a missing or forbidden vhost.
std::string login_failure(const amqp_rpc_reply_t& r, const std::string& vhost) {
  if (r.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION &&
      r.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
    const auto* m = static_cast<const amqp_connection_close_t*>(r.reply.decoded);
    if (m->reply_code == AMQP_ACCESS_REFUSED) {
      return "login refused: wrong user name or password (" + reply_text(r) + ")";
    }
    if (m->reply_code == AMQP_NOT_ALLOWED) {
      return "virtual host '" + vhost + "' does not exist or the user may not use it (" +
             reply_text(r) + ")";
    }
  }
  if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && r.library_error == AMQP_STATUS_SSL_ERROR) {
    return "TLS: the broker closed the connection (does it accept the client certificate?)";
  }
  return "login: " + reply_text(r);
}

}  // namespace

bool valid_amqp_url(const std::string& url) {
  ParsedUrl parsed;
  return parse(url, parsed);
}

Result<std::unique_ptr<AmqpConnection>> AmqpConnection::open(const std::string& url,
                                                             const AmqpTls& tls,
                                                             std::chrono::seconds heartbeat,
                                                             std::chrono::milliseconds timeout) {
  ParsedUrl u;
  if (!parse(url, u)) return Error{ErrorCode::kInvalidConfig, "not an amqp:// or amqps:// URL"};
  std::string where = std::string(u.info.host) + ":" + std::to_string(u.info.port);
  auto io = [&where](const std::string& what) {
    return Error{ErrorCode::kIo, "amqp " + where + ": " + what};
  };
  std::unique_ptr<AmqpConnection> c(new AmqpConnection(amqp_new_connection(), where));
  amqp_socket_t* socket = nullptr;
  if (u.info.ssl) {
    socket = amqp_ssl_socket_new(c->state_);
    if (socket == nullptr) return io("cannot create a TLS socket");
    amqp_ssl_socket_set_verify_peer(socket, tls.ca_cert.empty() ? 0 : 1);
    amqp_ssl_socket_set_verify_hostname(socket, tls.ca_cert.empty() ? 0 : 1);
    if (!tls.ca_cert.empty() &&
        amqp_ssl_socket_set_cacert(socket, tls.ca_cert.c_str()) != AMQP_STATUS_OK) {
      return Error{ErrorCode::kInvalidConfig, "cannot read the CA certificate " + tls.ca_cert};
    }
    if (!tls.client_cert.empty() &&
        amqp_ssl_socket_set_key(socket, tls.client_cert.c_str(), tls.client_key.c_str()) !=
            AMQP_STATUS_OK) {
      return Error{ErrorCode::kInvalidConfig,
                   "cannot read the client certificate " + tls.client_cert + " or its key"};
    }
  } else {
    socket = amqp_tcp_socket_new(c->state_);
    if (socket == nullptr) return io("cannot create a socket");
  }
  timeval tv{static_cast<time_t>(timeout.count() / 1000),
             static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
  amqp_set_handshake_timeout(c->state_, &tv);
  amqp_set_rpc_timeout(c->state_, &tv);
  if (int status = amqp_socket_open_noblock(socket, u.info.host, u.info.port, &tv);
      status != AMQP_STATUS_OK) {
    return io(open_failure(status, u.info.host));
  }
  // Announces consumer_cancel_notify, so a deleted queue or a failed-over node tells us instead
  // of leaving the consumer silently idle, and authentication_failure_close, so a refused login
  // is told (403) rather than shown as a closed socket.
  amqp_table_entry_t capability[2];
  capability[0].key = amqp_cstring_bytes("consumer_cancel_notify");
  capability[1].key = amqp_cstring_bytes("authentication_failure_close");
  for (amqp_table_entry_t& c : capability) {
    c.value.kind = AMQP_FIELD_KIND_BOOLEAN;
    c.value.value.boolean = 1;
  }
  amqp_table_entry_t properties[2];
  properties[0].key = amqp_cstring_bytes("capabilities");
  properties[0].value.kind = AMQP_FIELD_KIND_TABLE;
  properties[0].value.value.table = {2, capability};
  properties[1].key = amqp_cstring_bytes("product");
  properties[1].value.kind = AMQP_FIELD_KIND_UTF8;
  properties[1].value.value.bytes = amqp_cstring_bytes("fmn");
  amqp_table_t client_properties{2, properties};
  amqp_rpc_reply_t login = amqp_login_with_properties(
      c->state_, u.info.vhost, 0, AMQP_DEFAULT_FRAME_SIZE, static_cast<int>(heartbeat.count()),
      &client_properties, AMQP_SASL_METHOD_PLAIN, u.info.user, u.info.password);
  if (login.reply_type != AMQP_RESPONSE_NORMAL) return io(login_failure(login, u.info.vhost));
  c->open_ = true;
  amqp_channel_open(c->state_, kChannel);
  if (amqp_rpc_reply_t r = amqp_get_rpc_reply(c->state_); r.reply_type != AMQP_RESPONSE_NORMAL) {
    return io("channel.open: " + reply_text(r));
  }
  return c;
}

std::string AmqpConnection::last_error(const std::string& what) const {
  return "amqp " + where_ + ": " + what + ": " + reply_text(amqp_get_rpc_reply(state_));
}

AmqpConnection::~AmqpConnection() {
  if (open_) amqp_connection_close(state_, AMQP_REPLY_SUCCESS);
  amqp_destroy_connection(state_);
}

}  // namespace fmn::bus
