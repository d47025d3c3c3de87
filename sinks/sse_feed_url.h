// Where clients open SSE feeds: the server's path for a feed, and the public base URL the web
// app shows feeds under when the configuration names none (sse.public_url). The one definition
// of both: the SSE server routes by kFeedPath, the sinks' settings table and the web app's
// config start from kDefaultSsePublicUrl.
#pragma once

#include <string>
#include <string_view>

namespace fmn::sinks {

// The SSE server's default listener (sse.listen = 127.0.0.1:8080), as a browser names it.
inline constexpr std::string_view kDefaultSsePublicUrl = "http://localhost:8080";

// A feed's path is kFeedPath followed by the feed name (and "/page" for its HTML page).
inline constexpr std::string_view kFeedPath = "/feeds/";

// The URL a client opens for SSE feed `feed` (a feed name: letters, digits, '_', '.', '-'),
// under `sse_public_url` (a trailing '/' ignored); the feed's token goes after it as ?token=.
inline std::string feed_url(std::string_view sse_public_url, std::string_view feed) {
  while (sse_public_url.ends_with('/')) sse_public_url.remove_suffix(1);
  return std::string(sse_public_url).append(kFeedPath).append(feed);
}

}  // namespace fmn::sinks
