// Counters the pipeline keeps. Atomic: stages on several threads add to them.
#pragma once

#include <atomic>
#include <cstdint>

namespace fmn::pipeline {

struct PipelineStats {
  std::atomic<uint64_t> received{0};
  std::atomic<uint64_t> parse_errors{0};
  std::atomic<uint64_t> duplicates{0};  // dropped by msg_id
  std::atomic<uint64_t> notifications{0};
};

}  // namespace fmn::pipeline
