// The corpus as the match stage sees it (parsed, meta extracted), what the naive baseline makes
// of it, and how many notifications its messages make for a population: what every fmn-bench
// subcommand that generates users prints next to its throughput, so figures taken on different
// populations are not compared as if they were alike.
//
// Pure functions; thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/message.h"
#include "core/meta_extractor.h"
#include "core/result.h"
#include "engine/generation.h"

namespace fmn::bench {

// Every line of the JSON-lines `path` that parses, with its meta. Errors: an unreadable file.
Result<std::vector<MessagePtr>> load_messages(const std::string& path, const MetaExtractor& meta);

// The naive baseline: every record of `generation` for each message in turn, on the calling
// thread, for about `budget` seconds of its CPU time (0 without messages).
double naive_msgs_per_s(const engine::Generation& generation,
                        const std::vector<MessagePtr>& messages, double budget);

// Notifications per message, as the pipeline's matcher makes them (one per destination of
// each user with a matching rule).
struct FanOut {
  double mean = 0;
  double p99 = 0;
  double max = 0;
};

FanOut measure_fan_out(const engine::Generation& generation,
                       const std::vector<MessagePtr>& messages);

}  // namespace fmn::bench
