// The seam between the email sink and an SMTP server: send one composed email, say how it went.
//
// A transport is used by one thread at a time (the email sink's). It keeps its connection
// open between sends where it can. CurlSmtpTransport (curl_smtp_transport.h) talks to real
// servers; tests substitute a recorder.
#pragma once

#include <string>

#include "sinks/email_composer.h"

namespace fmn::sinks {

enum class SendStatus {
  kSent,
  kTemporary,  // worth retrying later: connection failed, timeout, 4xx reply
  kPermanent,  // the server refused this email for good (5xx): retrying cannot help
};

struct SendResult {
  SendStatus status = SendStatus::kSent;
  int smtp_code = 0;   // the server's last reply code, 0 when there was none
  std::string detail;  // for logs: what failed
};

class SmtpTransport {
 public:
  virtual ~SmtpTransport() = default;
  virtual SendResult send(const OutgoingEmail& email) = 0;
};

}  // namespace fmn::sinks
