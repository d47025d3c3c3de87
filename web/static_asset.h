// The page's scripts, embedded in the binary (web/CMakeLists.txt), served as they are or, when
// the browser accepts gzip and the build made a gzip form, compressed: the rule editor's bundle
// is ~3x smaller on the wire that way.
//
// Caching: their URLs (/rule-editor.js) are not content-hashed, so a browser may keep a copy but
// must ask again before each use (Cache-Control: no-cache); each answer carries an ETag made from
// the content (one per form sent), and a request whose If-None-Match names the form it would get
// is answered 304 without a body. A new build's bundle has a new ETag, so it is never stale.
// Plain values; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "web/http_message.h"

namespace fmn::web {

struct StaticAsset {
  std::string_view content_type;
  std::string_view body;
  std::string_view gzipped;  // body compressed with gzip, or empty: none
  std::string etag;          // of the body, quoted: "\"<16 hex digits of its SHA-256>\""
};

// The asset with its ETag (hashes `body`: make it once, not per request).
StaticAsset make_static_asset(std::string_view content_type, std::string_view body,
                              std::string_view gzipped = {});

// Whether an Accept-Encoding header value accepts gzip ("gzip", "*", not with q=0).
bool accepts_gzip(std::string_view accept_encoding);

// Whether an If-None-Match header value names `etag` ("*", or a list of entity tags compared
// weakly: W/ ignored, RFC 9110 13.1.2).
bool none_match_names(std::string_view if_none_match, std::string_view etag);

// 200 with the asset, gzipped when `request` accepts it, or 304 with no body when its
// If-None-Match names that form's ETag; Vary: Accept-Encoding, ETag and Cache-Control either way.
HttpResponse serve_asset(const StaticAsset& asset, const HttpRequest& request);

}  // namespace fmn::web
