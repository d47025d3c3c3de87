// "host:port" text, as configuration and command lines name servers (Redis, IRC, the bus).
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace fmn {

// Splits "host:port" at the last colon; false (outputs untouched) when malformed or the port
// is over 65535.
bool split_host_port(std::string_view text, std::string& host, int& port);

}  // namespace fmn
