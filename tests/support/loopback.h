// Loopback helpers shared by the servers: pick a free TCP port on 127.0.0.1, and probe whether
// a port accepts connections. Thread-safe.
#pragma once

#include <string>

#include "core/result.h"

namespace fmn::test {

inline constexpr const char* kLoopback = "127.0.0.1";

// A port the kernel just handed out for 127.0.0.1 and released, never one this process was
// given before (servers started together get distinct ports). Another process could take it
// before the server binds it; the kernel spreads its choices, so the window is small.
Result<int> pick_free_port();

// A blocking TCP connection to 127.0.0.1:`port` with TCP_NODELAY: its descriptor (the caller
// closes it), or -1.
int connect_loopback(int port);

// True when a TCP connection to 127.0.0.1:`port` succeeds (it is closed again at once).
bool port_accepts(int port);

// "host:port" as the servers print it.
inline std::string loopback_address(int port) {
  return std::string(kLoopback) + ":" + std::to_string(port);
}

}  // namespace fmn::test
