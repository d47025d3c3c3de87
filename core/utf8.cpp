#include "core/utf8.h"

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace fmn {

namespace {

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHigh = 0x8080808080808080ULL;

template <bool kRefuseControls>
size_t first_invalid(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
#if defined(__SSE2__)
    if (i + 16 <= n) {
      // Sixteen bytes at a time (SSE2, in every x86-64): as signed bytes, ASCII is 0..127 and
      // everything from 0x80 up is negative, so one comparison finds both non-ASCII bytes and,
      // when asked, controls.
      __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
      __m128i odd = kRefuseControls ? _mm_cmpgt_epi8(_mm_set1_epi8(0x20), block) : block;
      if (_mm_movemask_epi8(odd) == 0) {
        i += 16;
        continue;
      }
    }
#endif
    if (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, s + i, 8);
      bool plain = (word & kHigh) == 0;  // ASCII only
      if constexpr (kRefuseControls) {
        plain = plain && ((word - 0x20 * kOnes) & ~word & kHigh) == 0;  // no byte below 0x20
      }
      if (plain) {
        i += 8;
        continue;
      }
    }
    unsigned char c = s[i];
    if (c < 0x80) {
      if (kRefuseControls && c < 0x20 && c != '\t' && c != '\n' && c != '\r') return i;
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n || s[i + 1] < lo || s[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return n;
}

}  // namespace

size_t first_invalid_utf8(std::string_view text) { return first_invalid<false>(text); }

size_t first_invalid_json_text(std::string_view text) { return first_invalid<true>(text); }

}  // namespace fmn
