// The web app's view of HTTP: a parsed request and the response to send, independent of the
// server library (Boost.Beast in http_server.cpp), so handlers are plain functions testable
// without sockets. Plain values.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fmn::web {

struct HttpRequest {
  std::string method;                                        // "GET", "POST", ...
  std::string path;                                          // percent-encoded, without the query
  std::string query;                                         // after '?', without it
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;

  // The first header named `name` (lower-case), or empty.
  std::string_view header(std::string_view name) const;
  // The value of cookie `name` from the Cookie header, or empty.
  std::string_view cookie(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type/-Length
};

// {"error": message} with `status`.
HttpResponse json_error(int status, std::string_view message);
// An HTML page, never cached.
HttpResponse html_page(int status, std::string body);
// A page of one paragraph, `text` (trusted HTML: the caller's own words), never cached.
HttpResponse text_page(int status, std::string_view text);

}  // namespace fmn::web
