// The page's scripts, embedded in the binary (web/CMakeLists.txt), served as they are or, when
// the browser accepts gzip and the build made a gzip form, compressed: the rule editor's bundle
// is ~3x smaller on the wire that way. Plain values; thread-safe.
#pragma once

#include <string_view>

#include "web/http_message.h"

namespace fmn::web {

struct StaticAsset {
  std::string_view content_type;
  std::string_view body;
  std::string_view gzipped;  // body compressed with gzip, or empty: none
};

// Whether an Accept-Encoding header value accepts gzip ("gzip", "*", not with q=0).
bool accepts_gzip(std::string_view accept_encoding);

// 200 with the asset, gzipped when `request` accepts it (Vary: Accept-Encoding either way).
HttpResponse serve_asset(const StaticAsset& asset, const HttpRequest& request);

}  // namespace fmn::web
