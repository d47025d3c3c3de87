// RedisConnection: one hiredis connection, shared by every Redis-backed component (digest store,
// outbox), so they connect, time out, reconnect and report errors the same way.
//
// command() runs one command in argv form (binary-safe), transaction() several in one MULTI/EXEC,
// each reconnecting once if the connection was lost; a second failure, or an error reply, is
// reported as kIo. The reply is flattened: an integer, nil, or the string elements of an array
// (scripts return flat arrays). Not thread-safe: one thread at a time.
//
// A connection lost after the commands were written leaves their outcome unknown: Redis may
// have run them and only the reply be lost. Sending them again is right for idempotent commands
// (the default); a caller whose commands are not (XADD with a new id) asks for Resend::kNever
// and finds out itself before writing again. A reconnect first closes the connection it
// replaces (CLIENT KILL by its CLIENT ID and address) if Redis still holds it, so commands
// written there and not yet read cannot run after anything sent on the new one.
#pragma once

#include <sys/uio.h>

#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

struct redisContext;

namespace fmn::sinks {

struct RedisConfig {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string prefix = "fmn:";
  std::chrono::seconds dedupe_ttl = std::chrono::hours(48);
  std::chrono::milliseconds timeout{2000};
};

struct RedisReply {
  long long integer = 0;
  bool nil = false;
  std::vector<std::string> elements;
};

class RedisConnection {
 public:
  // Connects and checks the server answers PING; kIo when it does not.
  static Result<std::unique_ptr<RedisConnection>> open(const RedisConfig& config);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  enum class Resend { kOnce, kNever };  // after a connection lost once the commands were written

  Result<RedisReply> command(const std::vector<std::string_view>& argv);
  // `commands` in one MULTI/EXEC, written in one go (one round trip); the reply is EXEC's,
  // flattened the same way (e.g. XADD's id as a string element, nested arrays left out). An
  // error reply of any command is reported as kIo.
  Result<RedisReply> transaction(const std::vector<std::vector<std::string_view>>& commands,
                                 Resend resend = Resend::kOnce);
  std::string describe() const;

 private:
  RedisConnection(std::string host, int port, std::chrono::milliseconds timeout)
      : host_(std::move(host)), port_(port), timeout_(timeout) {}
  Result<bool> reconnect();
  Result<RedisReply> send(const std::vector<std::vector<std::string_view>>& commands, bool atomic,
                          Resend resend);

  std::string host_;
  int port_;
  std::chrono::milliseconds timeout_;
  redisContext* context_ = nullptr;
  // The server's CLIENT ID of context_ and its address there, to close it from the next one.
  std::string client_id_, client_address_;
  void append_command(std::span<const std::string_view> argv);

  // The commands being sent, in the protocol's form, but for the long arguments: each of those
  // is sent from where the caller holds it, at `offset` in formatted_. Reused.
  struct InPlace {
    size_t offset;
    std::string_view bytes;
  };
  std::string formatted_;
  std::vector<InPlace> in_place_;
  std::vector<iovec> iov_;
};

}  // namespace fmn::sinks
