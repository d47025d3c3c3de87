// The web app's public URL when the configuration names none: where users reach the app, and
// so the base of the settings, confirmation and unsubscribe links in notifications. The one
// definition of that default: the service's web.public_url and the app's own config start
// from it; contrib/fmn.toml states it, which a test holds equal to this. Likewise where clients
// reach the SSE server (sse.public_url), the base of the feed URLs the app shows.
#pragma once

#include <string>
#include <string_view>

namespace fmn::web {

inline constexpr std::string_view kDefaultPublicUrl = "http://localhost:8081";
// The SSE server's default listener (sse.listen = 127.0.0.1:8080), as a browser names it.
inline constexpr std::string_view kDefaultSsePublicUrl = "http://localhost:8080";

// The URL a client opens for SSE feed `feed` (a feed name: letters, digits, '_', '.', '-'),
// under `sse_public_url` (a trailing '/' ignored); the feed's token goes after it as ?token=.
inline std::string feed_url(std::string_view sse_public_url, std::string_view feed) {
  while (sse_public_url.ends_with('/')) sse_public_url.remove_suffix(1);
  return std::string(sse_public_url) + "/feeds/" + std::string(feed);
}

}  // namespace fmn::web
