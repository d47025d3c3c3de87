// HMAC-SHA256 signatures as lowercase hex: webhook bodies and unsubscribe links sign with it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fmn {

// HMAC-SHA256 of `data` under `key`, the first `bytes` of it (at most 32) as lowercase hex; empty
// when OpenSSL fails. Thread-safe: each thread keeps a context keyed with the last key it used
// (and a copy of that key, wiped when replaced), so signing again with the same key skips the
// key set-up.
std::string hmac_sha256_hex(std::string_view key, std::string_view data, size_t bytes = 32);

}  // namespace fmn
