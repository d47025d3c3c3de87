// The seam between the webhook sink and the receivers: POST one JSON body to a URL with some
// headers, say what came back. CurlWebhookTransport (curl_webhook_transport.h) talks HTTP(S)
// through libcurl; unit tests substitute a recorder.
//
// A transport is used by one thread at a time (the webhook sink's); it keeps connections open
// between requests where it can. Headers may hold a signature: a transport never logs them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fmn::sinks {

struct HttpReply {
  int status = 0;     // the HTTP status; 0 when no reply came (connection refused, timeout)
  std::string body;   // at most kMaxReplyBytes of it
  std::string error;  // no reply: what went wrong, for logs (no header, no body)
  static constexpr size_t kMaxReplyBytes = 4096;
};

class WebhookTransport {
 public:
  virtual ~WebhookTransport() = default;
  // REQUIRES: is_webhook_url(url) (core/destination_address.h).
  virtual HttpReply post(const std::string& url, const std::vector<std::string>& headers,
                         std::string_view body) = 0;
};

}  // namespace fmn::sinks
