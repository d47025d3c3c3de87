#include <curl/curl.h>

#include <memory>
#include <mutex>

#include "web/oidc/http_client.h"

namespace fmn::oidc {
namespace {

constexpr size_t kMaxBody = 1 << 20;

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using Headers = std::unique_ptr<curl_slist, SlistDeleter>;

struct Body {
  std::string text;
  bool too_large = false;
};

size_t append_body(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<Body*>(user);
  const size_t n = size * count;
  if (body->text.size() + n > kMaxBody) {
    body->too_large = true;
    return 0;  // makes curl abort the transfer
  }
  body->text.append(data, n);
  return n;
}

CurlHandle new_handle(const std::string& url, std::chrono::milliseconds timeout, Body& body) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CurlHandle curl(curl_easy_init());
  if (!curl) return curl;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  return curl;
}

Result<HttpResponse> perform(CURL* curl, const std::string& url, Body& body) {
  const CURLcode code = curl_easy_perform(curl);
  if (body.too_large) return Error{ErrorCode::kTooLarge, url + ": answer over 1 MiB"};
  if (code != CURLE_OK) return Error{ErrorCode::kIo, url + ": " + curl_easy_strerror(code)};
  HttpResponse response;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  response.body = std::move(body.text);
  return response;
}

class CurlHttpClient : public HttpClient {
 public:
  explicit CurlHttpClient(std::chrono::milliseconds timeout) : timeout_(timeout) {}

  Result<HttpResponse> get(const std::string& url) override { return get_with_bearer(url, ""); }

  Result<HttpResponse> get_with_bearer(const std::string& url, const std::string& token) override {
    Body body;
    CurlHandle curl = new_handle(url, timeout_, body);
    if (!curl) return Error{ErrorCode::kIo, "libcurl cannot make a handle"};
    Headers headers(curl_slist_append(nullptr, "Accept: application/json"));
    if (!token.empty()) {
      headers.reset(
          curl_slist_append(headers.release(), ("Authorization: Bearer " + token).c_str()));
    }
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
    return perform(curl.get(), url, body);
  }

  Result<HttpResponse> post_form(const std::string& url, const std::string& form,
                                 const BasicAuth& auth) override {
    Body body;
    CurlHandle curl = new_handle(url, timeout_, body);
    if (!curl) return Error{ErrorCode::kIo, "libcurl cannot make a handle"};
    Headers headers(curl_slist_append(nullptr, "Accept: application/json"));
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, form.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(form.size()));
    // RFC 6749 §2.3.1: the client id and secret are form-encoded before they go into Basic.
    const std::string user = url_encode(auth.user);
    const std::string password = url_encode(auth.password);
    curl_easy_setopt(curl.get(), CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl.get(), CURLOPT_USERNAME, user.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_PASSWORD, password.c_str());
    return perform(curl.get(), url, body);
  }

 private:
  std::chrono::milliseconds timeout_;
};

}  // namespace

std::unique_ptr<HttpClient> make_curl_http_client(std::chrono::milliseconds timeout) {
  return std::make_unique<CurlHttpClient>(timeout);
}

std::string url_encode(const std::string& text) {
  char* escaped = curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size()));
  if (escaped == nullptr) return {};
  std::string out(escaped);
  curl_free(escaped);
  return out;
}

}  // namespace fmn::oidc
