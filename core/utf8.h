// UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
//
// Fast on the common case: runs of ASCII are checked sixteen bytes at a time (eight without
// SSE2), so a mostly-ASCII fedmsg envelope costs a fraction of a byte-by-byte check. Pure
// function; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace fmn {

// The offset of the first byte that is not part of valid UTF-8, or text.size() if all is valid.
size_t first_invalid_utf8(std::string_view text);

// The same, also stopping at a raw control character other than the whitespace \t \n \r:
// the first byte JSON text cannot hold (inside strings, a JSON parser refuses those three).
// One pass for both checks.
size_t first_invalid_json_text(std::string_view text);

}  // namespace fmn
