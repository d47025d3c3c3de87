// WebhookTransport over libcurl: HTTP/1.1 or HTTPS POSTs, one easy handle (its connection
// cache kept between requests), no redirect followed, no protocol but http and https.
// Secrets and headers are never logged; an error names only what libcurl says went wrong.
#pragma once

#include <chrono>
#include <memory>

#include "core/result.h"
#include "sinks/webhook_transport.h"

namespace fmn::sinks {

class CurlWebhookTransport : public WebhookTransport {
 public:
  // `timeout`: for the whole request, connecting included. Follows no redirect.
  static Result<std::unique_ptr<CurlWebhookTransport>> create(std::chrono::milliseconds timeout);
  ~CurlWebhookTransport() override;
  CurlWebhookTransport(const CurlWebhookTransport&) = delete;
  CurlWebhookTransport& operator=(const CurlWebhookTransport&) = delete;

  HttpReply post(const std::string& url, const std::vector<std::string>& headers,
                 std::string_view body) override;

 private:
  CurlWebhookTransport(std::chrono::milliseconds timeout, void* curl)
      : timeout_(timeout), curl_(curl) {}

  std::chrono::milliseconds timeout_;
  void* curl_;  // CURL*, kept for its connection cache
};

}  // namespace fmn::sinks
