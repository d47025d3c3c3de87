// Feed tokens for the SSE server's tests: the token of feed F is "token-for-F". The service
// checks real ones against the preferences' secrets (the SSE sink's factory, destination_sinks).
#pragma once

#include <string>
#include <string_view>

namespace fmn::sinks {

inline std::string test_feed_token(std::string_view feed) {
  return "token-for-" + std::string(feed);
}

inline bool test_feed_auth(std::string_view feed, std::string_view token) {
  return token == test_feed_token(feed);
}

}  // namespace fmn::sinks
