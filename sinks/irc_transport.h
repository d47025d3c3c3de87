// The seam between the IRC sink and the network: one line-oriented connection to an IRC
// server. TcpIrcTransport is the real one (plain TCP); tests substitute a scripted server.
// One thread at a time.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace fmn::sinks {

class IrcTransport {
 public:
  virtual ~IrcTransport() = default;
  // Opens a new connection (closing any previous one).
  virtual Result<bool> connect() = 0;
  // Sends `line` followed by CRLF. REQUIRES: `line` holds no CR or LF.
  virtual Result<bool> send_line(std::string_view line) = 0;
  // Sends each line followed by CRLF, in one write where the transport can, so the server
  // reads them together. By default, one send_line() each.
  virtual Result<bool> send_lines(const std::vector<std::string>& lines);
  // Appends the complete lines received within `timeout` (0: only those already there) to
  // `out`, without their line ends. An error means the connection is gone; the lines received
  // before it ended are still appended.
  virtual Result<bool> read_lines(std::chrono::milliseconds timeout,
                                  std::vector<std::string>& out) = 0;
  virtual void close() = 0;
};

class TcpIrcTransport : public IrcTransport {
 public:
  TcpIrcTransport(std::string host, int port) : host_(std::move(host)), port_(port) {}
  ~TcpIrcTransport() override { close(); }
  Result<bool> connect() override;
  Result<bool> send_line(std::string_view line) override;
  Result<bool> send_lines(const std::vector<std::string>& lines) override;
  Result<bool> read_lines(std::chrono::milliseconds timeout,
                          std::vector<std::string>& out) override;
  void close() override;

 private:
  std::string host_;
  int port_;
  int fd_ = -1;
  std::string buffer_;
};

}  // namespace fmn::sinks
