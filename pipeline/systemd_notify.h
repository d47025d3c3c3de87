// systemd's service notification protocol (sd_notify(3)) for a Type=notify unit: a datagram
// such as "READY=1" or "STOPPING=1" sent to the socket named by $NOTIFY_SOCKET. The protocol is
// one sendto(); speaking it directly spares a dependency on libsystemd.
//
// Does nothing (returns false) when $NOTIFY_SOCKET is unset, i.e. not started by systemd with
// Type=notify. Thread-safe.
#pragma once

#include <string_view>

namespace fmn::pipeline {

bool systemd_notify(std::string_view state);

}  // namespace fmn::pipeline
