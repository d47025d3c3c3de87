#include "sinks/destination_sinks.h"

#include <array>

namespace fmn::sinks {
namespace {

constexpr std::array<DestinationSink, 0> kSinks{};

}  // namespace

std::span<const DestinationSink> destination_sinks() { return kSinks; }

}  // namespace fmn::sinks
