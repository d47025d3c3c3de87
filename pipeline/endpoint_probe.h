// Reachability probes for /readyz: can a TCP connection be opened to a host:port, or to the
// host and port of a ZeroMQ "tcp://host:port" endpoint? The connection is closed at once;
// nothing is sent. A probe blocks for at most `timeout`, so the service runs probes on its
// housekeeping thread and readiness checks read the cached answers. Thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace fmn::pipeline {

bool tcp_reachable(const std::string& host, int port, std::chrono::milliseconds timeout);

// "tcp://host:port" probed as above; false for any other transport or a malformed endpoint.
bool zmq_endpoint_reachable(std::string_view endpoint, std::chrono::milliseconds timeout);

}  // namespace fmn::pipeline
