// Signed unsubscribe links: "<base>/unsubscribe?user=U&rule=R&kind=email&address=A&sig=S"
// where S is an HMAC-SHA256 (hex, first 128 bits) of user, rule, kind and address under the
// server secret, so only the recipient of a notification can stop that rule's delivery to that
// destination (an empty rule: every rule's, as a digest's link says). RFC 8058 one-click POSTs
// the same URL; the web app (web/unsubscribe_page.h) answers it.
// sign_destination() is the underlying signature of a few fields.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace fmn::sinks {

// REQUIRES: `secret` non-empty in production (an empty secret still signs, but guessably).
std::string sign_destination(std::string_view secret, std::string_view user, std::string_view kind,
                             std::string_view address);

// Constant-time check of a signature made by sign_destination().
bool verify_destination(std::string_view secret, std::string_view user, std::string_view kind,
                        std::string_view address, std::string_view signature);

// What an unsubscribe link names.
struct UnsubscribeTarget {
  std::string user;
  std::string rule;  // empty: every rule of the user delivering to this destination
  std::string kind;  // destination_kind_name(): "email", "irc", "sse"
  std::string address;
};

std::string sign_unsubscribe(std::string_view secret, const UnsubscribeTarget& target);
// Constant-time check of an unsubscribe link's signature.
bool verify_unsubscribe(std::string_view secret, const UnsubscribeTarget& target,
                        std::string_view signature);

// Appends the unsubscribe URL to `out`; values are percent-encoded.
void append_unsubscribe_url(std::string& out, std::string_view base_url, std::string_view secret,
                            const UnsubscribeTarget& target);

// Percent-encodes everything but unreserved characters (RFC 3986).
void append_url_encoded(std::string& out, std::string_view text);

}  // namespace fmn::sinks
