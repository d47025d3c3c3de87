#include "sinks/sse_token.h"

#include <charconv>

#include "sinks/unsubscribe_link.h"

namespace fmn::sinks {
namespace {

constexpr std::string_view kPurpose = "sse-stream";

}  // namespace

std::string make_stream_token(std::string_view secret, std::string_view feed,
                              int64_t expires_unix) {
  const std::string expiry = std::to_string(expires_unix);
  return expiry + "." + sign_destination(secret, feed, kPurpose, expiry);
}

bool verify_stream_token(std::string_view secret, std::string_view feed, std::string_view token,
                         int64_t now_unix) {
  const size_t dot = token.find('.');
  if (dot == std::string_view::npos) return false;
  const std::string_view expiry = token.substr(0, dot);
  int64_t expires = 0;
  const auto [end, ec] = std::from_chars(expiry.data(), expiry.data() + expiry.size(), expires);
  if (ec != std::errc() || end != expiry.data() + expiry.size()) return false;
  return verify_destination(secret, feed, kPurpose, expiry, token.substr(dot + 1)) &&
         now_unix < expires;
}

}  // namespace fmn::sinks
