#include "tests/web/http_test_client.h"

#include <curl/curl.h>
#include <strings.h>

namespace fmn::test {
namespace {

size_t append(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

}  // namespace

std::string HttpReply::header(const std::string& name) const {
  size_t at = 0;
  while (at < headers.size()) {
    const size_t end = headers.find("\r\n", at);
    const std::string line = headers.substr(at, end - at);
    const size_t colon = line.find(':');
    if (colon == name.size() && strncasecmp(line.c_str(), name.c_str(), colon) == 0) {
      const size_t value = line.find_first_not_of(' ', colon + 1);
      return value == std::string::npos ? "" : line.substr(value);
    }
    if (end == std::string::npos) break;
    at = end + 2;
  }
  return {};
}

HttpReply http_request(const std::string& method, const std::string& url,
                       const std::vector<std::string>& headers, const std::string& body) {
  HttpReply reply;
  CURL* curl = curl_easy_init();
  curl_slist* list = nullptr;
  for (const std::string& h : headers) list = curl_slist_append(list, h.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "POST" || method == "PUT" || !body.empty()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, append);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  if (curl_easy_perform(curl) == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  }
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return reply;
}

std::string json_string_member(const std::string& body, const std::string& key) {
  const std::string start = "\"" + key + "\":\"";
  const size_t at = body.find(start);
  if (at == std::string::npos) return {};
  const size_t from = at + start.size();
  return body.substr(from, body.find('"', from) - from);
}

SignedIn demo_sign_in(const std::string& base, const std::string& user) {
  const HttpReply r =
      http_request("POST", base + "/api/v1/session/demo", {"Content-Type: application/json"},
                   "{\"user\":\"" + user + "\"}");
  const std::string set_cookie = r.header("Set-Cookie");
  const size_t token = r.body.find("\"csrf_token\":\"");
  if (r.status != 200 || token == std::string::npos) return {};
  return {"Cookie: " + set_cookie.substr(0, set_cookie.find(';')),
          "X-CSRF-Token: " + r.body.substr(token + 14, r.body.find('"', token + 14) - token - 14)};
}

}  // namespace fmn::test
