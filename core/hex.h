// Bytes as lower-case hexadecimal text (digests, MACs). Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fmn {

// Two hex digits per byte of data[0..size).
std::string hex_lower(const unsigned char* data, size_t size);

// The SHA-256 of `data`, as 64 hex digits.
std::string sha256_hex(std::string_view data);

}  // namespace fmn
