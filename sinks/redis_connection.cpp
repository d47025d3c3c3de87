#include "sinks/redis_connection.h"

#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstring>
#include <optional>
#include <span>

namespace fmn::sinks {

Result<std::unique_ptr<RedisConnection>> RedisConnection::open(const RedisConfig& config) {
  std::unique_ptr<RedisConnection> c(new RedisConnection(config.host, config.port, config.timeout));
  auto ok = c->reconnect();
  if (!ok) return ok.error();
  auto ping = c->command({"PING"});
  if (!ping) return ping.error();
  return c;
}

RedisConnection::~RedisConnection() {
  if (context_ != nullptr) redisFree(context_);
}

std::string RedisConnection::describe() const {
  return "redis " + host_ + ":" + std::to_string(port_);
}

namespace {

// "ip:port" of the socket's own end, as Redis names the client (CLIENT LIST addr=); empty when
// not IPv4.
std::string local_address(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  char ip[INET_ADDRSTRLEN] = {};
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0 ||
      addr.sin_family != AF_INET || inet_ntop(AF_INET, &addr.sin_addr, ip, sizeof ip) == nullptr) {
    return "";
  }
  return std::string(ip) + ":" + std::to_string(ntohs(addr.sin_port));
}

}  // namespace

Result<bool> RedisConnection::reconnect() {
  if (context_ != nullptr) redisFree(context_);
  const auto ms = timeout_.count();
  const timeval tv{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
  context_ = redisConnectWithTimeout(host_.c_str(), port_, tv);
  if (context_ == nullptr || context_->err != 0) {
    std::string why = context_ != nullptr ? context_->errstr : "out of memory";
    if (context_ != nullptr) redisFree(context_);
    context_ = nullptr;
    return Error{ErrorCode::kIo, describe() + ": " + why};
  }
  redisSetTimeout(context_, tv);
  // Close the connection this one replaces if Redis still holds it (a timeout rather than a
  // drop): what was written there and not yet read then never runs after what this one sends.
  // By id and address both: a restarted Redis numbers its clients anew. Best effort: an ACL
  // without CLIENT, or a proxy in between, leaves it to Redis noticing the close.
  auto* id = static_cast<redisReply*>(redisCommand(context_, "CLIENT ID"));
  if (id == nullptr) return Error{ErrorCode::kIo, describe() + ": " + context_->errstr};
  std::string current = id->type == REDIS_REPLY_INTEGER ? std::to_string(id->integer) : "";
  freeReplyObject(id);
  if (!client_id_.empty() && !client_address_.empty()) {
    auto* killed = static_cast<redisReply*>(redisCommand(
        context_, "CLIENT KILL ID %s ADDR %s", client_id_.c_str(), client_address_.c_str()));
    if (killed == nullptr) return Error{ErrorCode::kIo, describe() + ": " + context_->errstr};
    freeReplyObject(killed);  // "No such client" when Redis had already closed it
  }
  client_id_ = std::move(current);
  client_address_ = local_address(context_->fd);
  return true;
}

namespace {

// The reply flattened as RedisReply says; kIo for an error reply (an EXEC whose transaction
// was refused, too).
Result<RedisReply> flatten(const redisReply& r) {
  RedisReply reply;
  switch (r.type) {
    case REDIS_REPLY_INTEGER:
      reply.integer = r.integer;
      break;
    case REDIS_REPLY_NIL:
      reply.nil = true;
      break;
    case REDIS_REPLY_ERROR:
      return Error{ErrorCode::kIo, "redis: " + std::string(r.str, r.len)};
    case REDIS_REPLY_ARRAY:
      for (size_t i = 0; i < r.elements; ++i) {
        const redisReply* e = r.element[i];
        if (e->type == REDIS_REPLY_STRING) reply.elements.emplace_back(e->str, e->len);
        if (e->type == REDIS_REPLY_ERROR) {
          return Error{ErrorCode::kIo, "redis: " + std::string(e->str, e->len)};
        }
      }
      break;
    default:
      break;  // status replies carry nothing the callers need
  }
  return reply;
}

}  // namespace

Result<RedisReply> RedisConnection::command(const std::vector<std::string_view>& argv) {
  return send({argv}, false, Resend::kOnce);
}

Result<RedisReply> RedisConnection::transaction(
    const std::vector<std::vector<std::string_view>>& commands, Resend resend) {
  return send(commands, true, resend);
}

namespace {

void append_number(std::string& out, size_t n) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

// Arguments this long are sent from the caller's memory, not copied into the command buffer.
constexpr size_t kSentInPlace = 512;

// Writes every byte of `iov` (advancing it) to the socket; false when the connection failed.
// MSG_NOSIGNAL: a connection the server closed is an error here, not a SIGPIPE.
bool send_all(int fd, std::vector<iovec>& iov) {
  size_t first = 0;
  while (first < iov.size()) {
    msghdr msg{};
    msg.msg_iov = iov.data() + first;
    msg.msg_iovlen = std::min<size_t>(iov.size() - first, IOV_MAX);
    ssize_t n = ::sendmsg(fd, &msg, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    for (auto left = static_cast<size_t>(n); left > 0;) {
      iovec& v = iov[first];
      const size_t taken = std::min(left, v.iov_len);
      v.iov_base = static_cast<char*>(v.iov_base) + taken;
      v.iov_len -= taken;
      left -= taken;
      if (v.iov_len == 0) ++first;
    }
    while (first < iov.size() && iov[first].iov_len == 0) ++first;
  }
  return true;
}

}  // namespace

// `argv` as one RESP command (an array of bulk strings), what redisAppendCommandArgv would
// format: its framing and short arguments into formatted_, long arguments as pieces of their
// own that point at the caller's bytes.
void RedisConnection::append_command(std::span<const std::string_view> argv) {
  formatted_ += '*';
  append_number(formatted_, argv.size());
  formatted_ += "\r\n";
  for (std::string_view a : argv) {
    formatted_ += '$';
    append_number(formatted_, a.size());
    formatted_ += "\r\n";
    if (a.size() >= kSentInPlace) {
      in_place_.push_back({formatted_.size(), a});
    } else {
      formatted_.append(a);
    }
    formatted_ += "\r\n";
  }
}

Result<RedisReply> RedisConnection::send(const std::vector<std::vector<std::string_view>>& commands,
                                         bool atomic, Resend resend) {
  // Every command written in one sendmsg, its long arguments (an outbox entry holds a whole
  // batch) straight from the caller's memory: hiredis would copy each command into its output
  // buffer, and its own formatting allocates and copies once more.
  static constexpr std::string_view kMulti[] = {"MULTI"}, kExec[] = {"EXEC"};
  formatted_.clear();
  in_place_.clear();
  if (atomic) append_command(kMulti);
  for (const std::vector<std::string_view>& c : commands) append_command(c);
  if (atomic) append_command(kExec);
  const int attempts = resend == Resend::kOnce ? 2 : 1;
  std::string lost;  // why the last send failed
  for (int attempt = 0; attempt < attempts; ++attempt) {
    if (context_ == nullptr || context_->err != 0) {
      auto ok = reconnect();
      if (!ok) return ok.error();
    }
    // Everything is written in one go and the replies read after: one round trip. hiredis'
    // output buffer is empty (it only ever holds what redisGetReply wrote already), so reading
    // the replies through it writes nothing more.
    iov_.clear();
    size_t at = 0;
    for (const InPlace& piece : in_place_) {
      iov_.push_back({formatted_.data() + at, piece.offset - at});
      iov_.push_back({const_cast<char*>(piece.bytes.data()), piece.bytes.size()});
      at = piece.offset;
    }
    iov_.push_back({formatted_.data() + at, formatted_.size() - at});
    if (!send_all(context_->fd, iov_)) {
      lost = std::strerror(errno);
      redisFree(context_);  // its state is unknown: the next attempt connects anew
      context_ = nullptr;
      continue;
    }
    const size_t replies = commands.size() + (atomic ? 2 : 0);
    std::optional<Result<RedisReply>> last;
    size_t read = 0;
    for (; read < replies; ++read) {
      void* raw = nullptr;
      if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) break;
      auto* r = static_cast<redisReply*>(raw);
      // In a transaction only EXEC's reply says what happened (an error queuing a command
      // makes EXEC refuse the whole transaction).
      if (!atomic || read + 1 == replies) last = flatten(*r);
      freeReplyObject(r);
    }
    if (read < replies) continue;  // connection lost: reconnect and try again if asked to
    return std::move(*last);
  }
  return Error{ErrorCode::kIo,
               describe() + ": " + (context_ ? std::string(context_->errstr) : "sending: " + lost)};
}

}  // namespace fmn::sinks
