#include "sinks/curl_webhook_transport.h"

#include <curl/curl.h>

#include <algorithm>

namespace fmn::sinks {
namespace {

size_t keep_reply(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t n = size * count;
  body->append(data, std::min(n, HttpReply::kMaxReplyBytes - body->size()));
  return n;  // the rest is read and dropped, so that the connection can be kept
}

}  // namespace

Result<std::unique_ptr<CurlWebhookTransport>> CurlWebhookTransport::create(
    std::chrono::milliseconds timeout) {
  static const CURLcode global = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (global != CURLE_OK) return Error{ErrorCode::kIo, "webhook: libcurl failed to initialise"};
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Error{ErrorCode::kIo, "webhook: libcurl failed to initialise"};
  return std::unique_ptr<CurlWebhookTransport>(new CurlWebhookTransport(timeout, curl));
}

CurlWebhookTransport::~CurlWebhookTransport() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpReply CurlWebhookTransport::post(const std::string& url,
                                     const std::vector<std::string>& headers,
                                     std::string_view body) {
  CURL* curl = static_cast<CURL*>(curl_);
  curl_easy_reset(curl);
  curl_slist* list = curl_slist_append(nullptr, "Content-Type: application/json");
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  for (const std::string& h : headers) list = curl_slist_append(list, h.c_str());
  HttpReply reply;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep_reply);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "fmn-webhook");
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(list);
  if (code != CURLE_OK) {
    reply.error = curl_easy_strerror(code);
    return reply;
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  reply.status = static_cast<int>(status);
  return reply;
}

}  // namespace fmn::sinks
