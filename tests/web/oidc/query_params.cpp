#include "tests/web/oidc/query_params.h"

#include <curl/curl.h>

#include <algorithm>

namespace fmn::test {
namespace {

std::string url_decode(const std::string& text) {
  int n = 0;
  char* decoded = curl_easy_unescape(nullptr, text.data(), static_cast<int>(text.size()), &n);
  std::string out(decoded, static_cast<size_t>(n));
  curl_free(decoded);
  return out;
}

}  // namespace

std::map<std::string, std::string> query_params(const std::string& url) {
  std::map<std::string, std::string> out;
  const std::string query = url.substr(std::min(url.find('?'), url.size() - 1) + 1);
  for (size_t start = 0; start < query.size();) {
    const size_t end = std::min(query.find('&', start), query.size());
    const std::string pair = query.substr(start, end - start);
    const size_t eq = pair.find('=');
    out[url_decode(pair.substr(0, eq))] =
        eq == std::string::npos ? "" : url_decode(pair.substr(eq + 1));
    start = end + 1;
  }
  return out;
}

}  // namespace fmn::test
