// An SmtpTransport over libcurl: SMTP or SMTPS, optional STARTTLS and AUTH, and one connection
// reused across sends (the same easy handle keeps it alive; libcurl reconnects when the server
// closed it).
//
// Construction fails only on a bad configuration. One thread at a time.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/result.h"
#include "sinks/smtp_transport.h"

namespace fmn::sinks {

struct SmtpConfig {
  std::string url = "smtp://127.0.0.1:25";  // smtp://host:port or smtps://host:port
  enum class Tls { kNone, kTry, kRequired } starttls = Tls::kNone;
  std::string username;  // AUTH when non-empty
  std::string password;
  std::string helo_name = "localhost";  // the name said in EHLO
  std::chrono::milliseconds timeout{30'000};
  bool verify_peer = true;  // check the server's certificate when TLS is used
};

class CurlSmtpTransport : public SmtpTransport {
 public:
  static Result<std::unique_ptr<CurlSmtpTransport>> create(SmtpConfig config);
  ~CurlSmtpTransport() override;
  SendResult send(const OutgoingEmail& email) override;

 private:
  explicit CurlSmtpTransport(SmtpConfig config, void* curl);
  SmtpConfig config_;
  std::string url_with_helo_;
  void* curl_;  // CURL*, owned
};

}  // namespace fmn::sinks
