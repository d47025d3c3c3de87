// Signed unsubscribe links: "<base>/unsubscribe?user=U&kind=email&address=A&sig=S" where S is
// an HMAC-SHA256 (hex, first 128 bits) of user, kind and address under a server secret, so
// only the recipient of a notification can unsubscribe that destination (RFC 8058 one-click
// POSTs the same URL). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace fmn::sinks {

// REQUIRES: `secret` non-empty in production (an empty secret still signs, but guessably).
std::string sign_destination(std::string_view secret, std::string_view user, std::string_view kind,
                             std::string_view address);

// Appends the unsubscribe URL to `out`; values are percent-encoded.
void append_unsubscribe_url(std::string& out, std::string_view base_url, std::string_view secret,
                            std::string_view user, std::string_view kind, std::string_view address);

// Constant-time check of a signature from an unsubscribe request.
bool verify_destination(std::string_view secret, std::string_view user, std::string_view kind,
                        std::string_view address, std::string_view signature);

// Percent-encodes everything but unreserved characters (RFC 3986).
void append_url_encoded(std::string& out, std::string_view text);

}  // namespace fmn::sinks
