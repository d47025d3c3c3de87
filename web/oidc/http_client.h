// HttpClient: the seam through which the relying party talks to the OpenID provider (discovery,
// JWKS, token and userinfo endpoints), so unit tests serve documents from memory and the
// integration tests reach a real provider through libcurl.
//
// Implementations are thread-safe: the web server signs people in from several threads. An
// Error (kIo) means no HTTP answer arrived; any answer, 4xx and 5xx included, is a response.
// Error messages name the URL and the transport failure, never a request body or credential.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/result.h"

namespace fmn::oidc {

struct HttpResponse {
  long status = 0;
  std::string body;
};

struct BasicAuth {
  std::string user;
  std::string password;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<HttpResponse> get(const std::string& url) = 0;
  // GET with `Authorization: Bearer <token>` (the userinfo endpoint).
  virtual Result<HttpResponse> get_with_bearer(const std::string& url,
                                               const std::string& token) = 0;
  // POST of an application/x-www-form-urlencoded `form`, authenticated with HTTP Basic.
  virtual Result<HttpResponse> post_form(const std::string& url, const std::string& form,
                                         const BasicAuth& auth) = 0;
};

// libcurl, one easy handle per request. `timeout` bounds each whole request; answers over
// 1 MiB are refused (no provider document is near that).
std::unique_ptr<HttpClient> make_curl_http_client(
    std::chrono::milliseconds timeout = std::chrono::seconds(10));

// `text` percent-encoded for a query string or form value (RFC 3986 unreserved kept).
std::string url_encode(const std::string& text);

}  // namespace fmn::oidc
