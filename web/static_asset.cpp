#include "web/static_asset.h"

#include <optional>

#include "core/hex.h"

namespace fmn::web {
namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  }
  return true;
}

// Whether a coding's parameters (after its ';') say q=0, "not acceptable" (RFC 9110 12.4.2).
bool refused(std::string_view params) {
  while (!params.empty()) {
    const size_t semicolon = params.find(';');
    const std::string_view param = trimmed(params.substr(0, semicolon));
    if (param.size() >= 2 && (param[0] | 0x20) == 'q' && param[1] == '=') {
      return param.substr(2).find_first_not_of("0.") == std::string_view::npos;
    }
    params = semicolon == std::string_view::npos ? "" : params.substr(semicolon + 1);
  }
  return false;
}

// The ETag of the gzip form: another representation, so another tag.
std::string gzip_etag(std::string_view etag) {
  return std::string(etag.substr(0, etag.size() - 1)) + "-gz\"";
}

}  // namespace

StaticAsset make_static_asset(std::string_view content_type, std::string_view body,
                              std::string_view gzipped) {
  return {content_type, body, gzipped, '"' + sha256_hex(body).substr(0, 16) + '"'};
}

bool none_match_names(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    const size_t comma = if_none_match.find(',');
    std::string_view tag = trimmed(if_none_match.substr(0, comma));
    if (tag == "*") return true;
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
    if_none_match = comma == std::string_view::npos ? "" : if_none_match.substr(comma + 1);
  }
  return false;
}

bool accepts_gzip(std::string_view accept_encoding) {
  std::optional<bool> gzip, any;
  while (!accept_encoding.empty()) {
    const size_t comma = accept_encoding.find(',');
    const std::string_view coding = accept_encoding.substr(0, comma);
    const size_t semicolon = coding.find(';');
    const std::string_view name = trimmed(coding.substr(0, semicolon));
    const bool ok = semicolon == std::string_view::npos || !refused(coding.substr(semicolon + 1));
    if (equal_ignoring_case(name, "gzip") || equal_ignoring_case(name, "x-gzip")) gzip = ok;
    if (name == "*") any = ok;
    accept_encoding = comma == std::string_view::npos ? "" : accept_encoding.substr(comma + 1);
  }
  return gzip.value_or(any.value_or(false));
}

HttpResponse serve_asset(const StaticAsset& asset, const HttpRequest& request) {
  const bool gzip = !asset.gzipped.empty() && accepts_gzip(request.header("accept-encoding"));
  std::string etag = gzip ? gzip_etag(asset.etag) : asset.etag;
  HttpResponse response{200, std::string(asset.content_type), "", {{"Vary", "Accept-Encoding"}}};
  response.headers.emplace_back("Cache-Control", "no-cache");
  if (none_match_names(request.header("if-none-match"), etag)) {
    response.status = 304;
  } else if (gzip) {
    response.body = asset.gzipped;
    response.headers.emplace_back("Content-Encoding", "gzip");
  } else {
    response.body = asset.body;
  }
  response.headers.emplace_back("ETag", std::move(etag));
  return response;
}

}  // namespace fmn::web
