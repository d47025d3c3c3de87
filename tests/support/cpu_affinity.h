// The CPUs a thread may run on (Linux affinity), for tests and benches that hold threads, or a
// child process started from one, to some of them. Header only.
#pragma once

#include <sched.h>

namespace fmn::test {

// The CPUs the calling thread may run on.
inline cpu_set_t allowed_cpus() {
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  sched_getaffinity(0, sizeof cpus, &cpus);
  return cpus;
}

// The lowest-numbered CPU of `cpus`, alone (empty when `cpus` is).
inline cpu_set_t first_cpu(const cpu_set_t& cpus) {
  cpu_set_t first;
  CPU_ZERO(&first);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &cpus)) {
      CPU_SET(cpu, &first);
      break;
    }
  }
  return first;
}

// Holds the calling thread (and the threads and processes it starts) to `cpus`.
inline void run_on(const cpu_set_t& cpus) { sched_setaffinity(0, sizeof cpus, &cpus); }

}  // namespace fmn::test
