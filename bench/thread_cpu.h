// ThreadCpuSampler: the CPU time of this process's threads over a span, summed by what they do,
// from /proc/self/task (each thread's name, core/thread_name.h, and its schedstat). It reads
// them when made, every 20 ms on a thread of its own ("cpu-sampler", not counted) and when
// stopped, and keeps each thread's last reading: a thread that ends within the span (the
// publisher, the sink queue's thread) counts up to its last sample.
//
// Kinds: "reader" (the process's main thread: in the benches, the thread that reads the bus),
// "stage", "sink" (sink-*), "outbox" (outbox-*), "bus I/O" (ZeroMQ's I/O threads), "publisher"
// and "publisher I/O" (the bench's publishing thread and its context's I/O threads, named with
// kPublisherIoPrefix), "other".
#pragma once

#include <sys/types.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace fmn::bench {

// The ZMQ_THREAD_NAME_PREFIX of the publisher's context: its I/O threads are "1/ZMQbg/...".
inline constexpr int kPublisherIoPrefix = 1;

std::string thread_kind(std::string_view name, bool main_thread);

class ThreadCpuSampler {
 public:
  ThreadCpuSampler();
  ~ThreadCpuSampler();
  ThreadCpuSampler(const ThreadCpuSampler&) = delete;
  ThreadCpuSampler& operator=(const ThreadCpuSampler&) = delete;

  // Stops sampling; seconds of CPU each kind used since the sampler was made.
  std::map<std::string, double> stop();

 private:
  struct Thread {
    std::string kind;
    double first = 0;  // seconds on a CPU at the first reading (0 for threads started since)
    double last = 0;
  };
  void sample();

  std::mutex mu_;
  std::map<pid_t, Thread> threads_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace fmn::bench
