// Comparing secrets (tokens, signatures, codes, nonces) without leaking through timing how much
// of a guess was right: every byte is compared whatever the first difference.
#pragma once

#include <string_view>

namespace fmn {

// True when `a` and `b` are the same bytes. Only their lengths may show in the time taken.
bool secrets_equal(std::string_view a, std::string_view b);

}  // namespace fmn
