// Base64url without padding (RFC 4648 §5, as JOSE uses it: RFC 7515 §2): the encoding of JWS
// segments, PKCE challenges and the random values of a sign-in. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fmn::oidc {

std::string base64url_encode(std::string_view bytes);

// nullopt when `text` holds a character outside the url-safe alphabet, padding, or a length no
// encoder produces (a remainder of one character).
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace fmn::oidc
