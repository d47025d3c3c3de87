// The SSE server's /metrics series (fmn_sse_*, and its listener's), registered by the SSE sink's
// factory (destination_sinks.cpp) when the service opens it.
#pragma once

#include "core/metrics.h"
#include "sinks/sse_server.h"

namespace fmn::sinks {

// The histogram of the time from an event's publication to its write to a client's socket
// (SseServerConfig::event_latency); owned by `registry`.
metrics::Histogram& sse_event_latency(metrics::Registry& registry);

// Registers `server`'s counters and gauges. `server` outlives the registry's scrapes.
void register_sse_metrics(const SseServer& server, metrics::Registry& registry);

}  // namespace fmn::sinks
