// Bytes as lower-case hexadecimal text (digests, MACs). Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>

namespace fmn {

// Two hex digits per byte of data[0..size).
std::string hex_lower(const unsigned char* data, size_t size);

}  // namespace fmn
