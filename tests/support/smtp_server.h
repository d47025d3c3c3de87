// SmtpServer: a real SMTP server (Python aiosmtpd) on 127.0.0.1:<free port> that records every
// message it accepts, for tests to read back with received().
//
// The recorder script is compiled into the library and written to the server's temp dir at
// start, so the tests need no source tree. set_mode() switches the server, while it runs,
// between accepting, rejecting recipients with 550 (permanent), answering 421 then
// disconnecting (transient), refusing messages with 554 once sent (recorded apart) and
// accepting slowly. A recipient whose address starts with "refused-" is always refused with
// 550, so one recipient can fail for good while the others are delivered; a message to one
// starting with "held-" is held at DATA, unanswered, until release_held(). The destructor kills the
// server and removes the directory. Move-only; not thread-safe.
//
//   auto smtp = SmtpServer::start();
//   ASSERT_TRUE(smtp.ok()) << smtp.error().message;
//   curl_easy_setopt(curl, CURLOPT_URL, smtp->url().c_str());
#pragma once

#include <string>
#include <vector>

#include "tests/support/loopback.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace fmn::test {

struct ReceivedMail {
  std::string mail_from;             // MAIL FROM, without angle brackets
  std::vector<std::string> rcpt_to;  // accepted RCPT TO addresses
  std::string data;                  // the DATA bytes: headers, blank line, body (CRLF)
};

enum class SmtpMode {
  kAccept,
  kRejectPermanent,  // 550 to RCPT TO
  kRejectTransient,  // 421 to RCPT TO, then the connection closes
  kRefuseData,       // 554 once the message is sent; it is recorded, see refused()
  kSlow,             // each message accepted two seconds after it is sent
};

class SmtpServer {
 public:
  static Result<SmtpServer> start(int port = 0);

  std::string host() const { return kLoopback; }
  int port() const { return port_; }
  std::string url() const { return "smtp://" + loopback_address(port_); }

  // Takes effect from the next RCPT command.
  Status set_mode(SmtpMode mode);
  // Answers the messages held at DATA (to "held-" addresses), and those to come, as the mode says.
  Status release_held();

  // Every message accepted so far, restarts included, oldest first.
  Result<std::vector<ReceivedMail>> received() const;
  // Every message refused in SmtpMode::kRefuseData, oldest first.
  Result<std::vector<ReceivedMail>> refused() const;
  // Waits (bounded) until at least `count` messages were accepted, then returns them all.
  Result<std::vector<ReceivedMail>> wait_for_mail(size_t count, Duration timeout) const;

  Status stop() { return process_.stop(); }
  Status restart() { return process_.restart(); }
  void kill() { process_.kill(); }
  std::string log_text() const { return process_.log_text(); }

 private:
  SmtpServer(TempDir dir, ServerProcess process, int port)
      : dir_(std::move(dir)), process_(std::move(process)), port_(port) {}

  TempDir dir_;  // declared first: outlives the server using it
  ServerProcess process_;
  int port_;
};

}  // namespace fmn::test
