// LineClient: a blocking TCP client for line protocols (IRC, SMTP by hand) on 127.0.0.1, with
// a timeout on every read. Lines are sent with CRLF and read without it. Move-only; not
// thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "tests/support/child_process.h"
#include "tests/support/status.h"

namespace fmn::test {

class LineClient {
 public:
  static Result<LineClient> connect(int port, Duration timeout);

  LineClient(LineClient&& other) noexcept;
  LineClient& operator=(LineClient&& other) noexcept;
  LineClient(const LineClient&) = delete;
  LineClient& operator=(const LineClient&) = delete;
  ~LineClient();

  // Sends `line` followed by CRLF. REQUIRES: `line` holds no CR or LF.
  Status send_line(std::string_view line);
  // The next line (without its CR LF); an error on timeout or when the server closes.
  Result<std::string> read_line(Duration timeout);

 private:
  explicit LineClient(int fd) : fd_(fd) {}

  int fd_ = -1;
  std::string buffer_;  // received bytes not yet returned as lines
};

}  // namespace fmn::test
