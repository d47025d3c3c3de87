// Feed-scoped stream tokens for SSE: a browser EventSource cannot send headers, so the token
// travels in the query string; it is short-lived and good for one feed only, so the user's
// long-lived credentials never appear in a URL. Format: "<expiry unix seconds>.<signature>",
// the signature an HMAC-SHA256 of feed and expiry under the server secret (unsubscribe_link.h).
// Pure functions; thread-safe; verification compares in constant time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fmn::sinks {

std::string make_stream_token(std::string_view secret, std::string_view feed, int64_t expires_unix);

// True when `token` was made for `feed` under `secret` and has not expired at `now_unix`.
bool verify_stream_token(std::string_view secret, std::string_view feed, std::string_view token,
                         int64_t now_unix);

}  // namespace fmn::sinks
