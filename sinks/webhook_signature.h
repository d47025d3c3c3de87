// The signature of a webhook request: "sha256=" and the hex HMAC-SHA256 of
// "<timestamp>.<body>" under the destination's secret. Signing the timestamp with the body
// lets a receiver refuse a replayed request. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fmn::sinks {

std::string webhook_signature(std::string_view secret, int64_t timestamp, std::string_view body);

}  // namespace fmn::sinks
