// Query strings and form bodies ("a=1&b=x%20y"): one value by key, percent-decoded ('+' is a
// space, as in application/x-www-form-urlencoded). Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fmn {

// `text` percent-decoded; a '%' not followed by two hex digits is kept as is.
std::string url_decode(std::string_view text);

// The decoded value of the first `key` in `query`, or empty when there is none.
std::string query_param(std::string_view query, std::string_view key);

// Query parameter `key` as a count: `fallback` when absent, nullopt when not a number.
std::optional<size_t> count_param(std::string_view query, std::string_view key, size_t fallback);

}  // namespace fmn
