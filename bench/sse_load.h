// What `fmn-bench sse` and its load generator (`fmn-bench sse-load`, a separate process) share.
#pragma once

#include <cstdint>

namespace fmn::bench {

// CLOCK_MONOTONIC in nanoseconds: the same clock in every process of the machine.
int64_t monotonic_ns();

// Raises this process's soft RLIMIT_NOFILE to its hard limit (10,000 clients need 10,000
// descriptors on each side); the hard limit itself is the system's (ulimit -Hn, systemd's
// LimitNOFILE).
void raise_descriptor_limit();

}  // namespace fmn::bench
