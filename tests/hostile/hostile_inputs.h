// The hostile-input corpus (tests/hostile/envelopes/, tests/hostile/rules/) and the inputs too
// big to check in, generated on demand: a message over 10 MB, one over the parser's size limit,
// and nesting far deeper than its depth limit.
//
// An envelope file's name says what must happen to it: malformed-* is rejected as
// kMalformedJson, bad-envelope-* as kBadEnvelope, accept-* is accepted and then delivered
// safely escaped. Plain functions; thread-compatible.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace fmn::hostile {

struct HostileEnvelope {
  std::string name;
  std::string bytes;
  std::optional<ErrorCode> expected_error;  // nullopt: accepted
};

// Every file of tests/hostile/envelopes/, in name order, plus the generated ones.
std::vector<HostileEnvelope> hostile_envelopes();

// A valid bodhi comment of at least `bytes` bytes (its comment text is padded).
std::string huge_envelope(size_t bytes);
// `depth` nested arrays inside "msg" (not closed when `truncated`).
std::string deep_envelope(size_t depth, bool truncated);

std::string read_file(const std::filesystem::path& path);

}  // namespace fmn::hostile
