// Counters the pipeline keeps. Atomic: stages on several threads add to them.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "core/signature_verifier.h"

namespace fmn::pipeline {

struct PipelineStats {
  std::atomic<uint64_t> received{0};
  std::atomic<uint64_t> parse_errors{0};
  std::atomic<uint64_t> duplicates{0};  // dropped by msg_id
  std::atomic<uint64_t> notifications{0};
  // Messages dropped because their signature did not verify, indexed by SignatureOutcome.
  std::array<std::atomic<uint64_t>, kSignatureOutcomes> signature_rejected{};
};

}  // namespace fmn::pipeline
