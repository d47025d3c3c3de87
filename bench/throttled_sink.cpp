#include "bench/throttled_sink.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace fmn::bench {
namespace {

using Clock = std::chrono::steady_clock;
// The longest a throttled deliver() sleeps before it looks at release() again.
constexpr auto kReleaseCheck = std::chrono::milliseconds(100);

}  // namespace

ThrottledSink::ThrottledSink(double rate) : bucket_(rate, std::max(1.0, rate / 10), Clock::now()) {}

void ThrottledSink::deliver(std::span<const Notification> batch) {
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!wait_for_token()) {
      counters_.delivered.fetch_add(batch.size() - i, std::memory_order_relaxed);
      return;
    }
    counters_.delivered.fetch_add(1, std::memory_order_relaxed);
  }
}

bool ThrottledSink::wait_for_token() {
  for (;;) {
    if (released_.load(std::memory_order_relaxed)) return false;
    auto now = Clock::now();
    if (bucket_.try_take(now)) return true;
    std::this_thread::sleep_until(std::min(bucket_.next_available(now), now + kReleaseCheck));
  }
}

}  // namespace fmn::bench
