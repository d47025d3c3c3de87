#include "bench/bench_report.h"

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

namespace fmn::bench {

double Run::ns_per_msg() const {
  return messages == 0 ? 0 : seconds * 1e9 / static_cast<double>(messages);
}
double Run::msgs_per_s() const {
  return seconds <= 0 ? 0 : static_cast<double>(messages) / seconds;
}
double Run::gb_per_s() const {
  return seconds <= 0 ? 0 : static_cast<double>(bytes) / seconds / 1e9;
}

namespace {
double cpu_seconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
}  // namespace

double thread_cpu_seconds() { return cpu_seconds(CLOCK_THREAD_CPUTIME_ID); }

double process_cpu_seconds() { return cpu_seconds(CLOCK_PROCESS_CPUTIME_ID); }

double rss_mb() {
  std::ifstream statm("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1 << 20);
}

Run median_run(std::vector<Run> runs) {
  auto mid = runs.begin() + static_cast<std::ptrdiff_t>(runs.size() / 2);
  std::nth_element(runs.begin(), mid, runs.end(),
                   [](const Run& a, const Run& b) { return a.ns_per_msg() < b.ns_per_msg(); });
  return *mid;
}

void print_report(std::FILE* out, std::string_view name, const std::vector<Run>& runs, bool json,
                  const Extras& extras) {
  int n = 0;
  for (const Run& r : runs) {
    std::fprintf(out, "%.*s run %d: %llu msgs, %.1f MB in %.3f s: %.0f ns/msg, %.0f msg/s\n",
                 static_cast<int>(name.size()), name.data(), ++n,
                 static_cast<unsigned long long>(r.messages), static_cast<double>(r.bytes) / 1e6,
                 r.seconds, r.ns_per_msg(), r.msgs_per_s());
  }
  Run m = median_run(runs);
  std::fprintf(out, "%.*s median of %zu: %.0f ns/msg, %.0f msg/s, %.3f GB/s",
               static_cast<int>(name.size()), name.data(), runs.size(), m.ns_per_msg(),
               m.msgs_per_s(), m.gb_per_s());
  for (const auto& [key, value] : extras) std::fprintf(out, ", %s %g", key.c_str(), value);
  std::fprintf(out, "\n");
  if (!json) return;
  std::fprintf(out,
               "{\"bench\":\"%.*s\",\"msgs_per_s\":%.0f,\"ns_per_msg\":%.1f,\"gb_per_s\":%.4f,"
               "\"messages\":%llu,\"repetitions\":%zu",
               static_cast<int>(name.size()), name.data(), m.msgs_per_s(), m.ns_per_msg(),
               m.gb_per_s(), static_cast<unsigned long long>(m.messages), runs.size());
  for (const auto& [key, value] : extras) std::fprintf(out, ",\"%s\":%.17g", key.c_str(), value);
  std::fprintf(out, "}\n");
  std::fflush(out);
}

}  // namespace fmn::bench
