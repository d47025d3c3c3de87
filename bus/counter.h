// A counter with one writer and any number of readers: the writer's add() is a plain load and
// store (no locked instruction), and readers on other threads see a recent value. Used for the
// statistics of single-threaded bus stages that a metrics thread reads.
#pragma once

#include <atomic>
#include <cstdint>

namespace fmn::bus {

class SingleWriterCounter {
 public:
  // REQUIRES: only one thread ever calls add().
  void add(uint64_t n = 1) {
    value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  uint64_t get() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

}  // namespace fmn::bus
