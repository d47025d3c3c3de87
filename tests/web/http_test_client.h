// A blocking HTTP client for tests (libcurl): one request, its status, headers and body.
// Cookies are not kept: tests send the Cookie header they mean to send. Not thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace fmn::test {

struct HttpReply {
  long status = 0;      // 0: no answer (connection refused...)
  std::string headers;  // the raw header block
  std::string body;

  // The value of the first header `name` (case-insensitive), or empty.
  std::string header(const std::string& name) const;
};

HttpReply http_request(const std::string& method, const std::string& url,
                       const std::vector<std::string>& headers = {}, const std::string& body = "");

// The value of the first string member `key` in a JSON `body` ("" when there is none); for
// flat answers whose strings hold no escaped quotes.
std::string json_string_member(const std::string& body, const std::string& key);

// The headers a signed-in client sends: "Cookie: fmn_session=..." and "X-CSRF-Token: ...".
struct SignedIn {
  std::string cookie, csrf;
};

// Signs `user` in through the demo sign-in of the web app at `base` ("http://host:port");
// empty headers when refused.
SignedIn demo_sign_in(const std::string& base, const std::string& user);

}  // namespace fmn::test
