// Secrets that are only ever compared (SSE feed tokens) are stored as a digest, so a copy of
// the preferences (a backup, a TOML export, a look at the database) does not hand out feeds.
//
// hash_secret() gives "sha256-" and the 64 hex digits of the secret's SHA-256: letters, digits
// and '-', a valid token to every store. secret_matches() accepts the offered secret when the
// stored value is its digest, or, for secrets written before digests were kept (by hand or by
// older tools), the secret itself; both compare in constant time. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace fmn {

std::string hash_secret(std::string_view secret);

// True when `offered` is the secret `stored` keeps (as a digest or as itself). An empty
// `stored` matches nothing.
bool secret_matches(std::string_view stored, std::string_view offered);

}  // namespace fmn
