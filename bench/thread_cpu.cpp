#include "bench/thread_cpu.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>

#include "core/thread_name.h"

namespace fmn::bench {
namespace {

constexpr std::string_view kSamplerName = "cpu-sampler";

// Seconds on a CPU (schedstat's first field, in nanoseconds); nothing when the thread has ended
// meanwhile.
std::optional<double> cpu_seconds(const std::filesystem::path& task) {
  std::ifstream schedstat(task / "schedstat");
  double ns = 0;
  if (schedstat >> ns) return ns / 1e9;
  return std::nullopt;
}

}  // namespace

std::string thread_kind(std::string_view name, bool main_thread) {
  if (main_thread) return "reader";
  if (name == "stage") return "stage";
  if (name.starts_with("sink-")) return "sink";
  if (name.starts_with("outbox-")) return "outbox";
  if (name == "publisher") return "publisher";
  if (name.starts_with(std::to_string(kPublisherIoPrefix) + "/ZMQbg/")) return "publisher I/O";
  if (name.starts_with("ZMQbg/")) return "bus I/O";
  return "other";
}

ThreadCpuSampler::ThreadCpuSampler() {
  sample();
  for (auto& [tid, thread] : threads_) thread.first = thread.last;
  thread_ = std::thread([this] {
    while (!stopping_.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      sample();
    }
  });
  name_thread(thread_, kSamplerName);
}

ThreadCpuSampler::~ThreadCpuSampler() { stop(); }

void ThreadCpuSampler::sample() {
  const pid_t main_tid = getpid();
  std::error_code ec;
  std::lock_guard lock(mu_);
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    const pid_t tid = static_cast<pid_t>(std::stol(entry.path().filename().string()));
    std::ifstream comm(entry.path() / "comm");
    std::string name;
    std::getline(comm, name);
    const std::optional<double> seconds = cpu_seconds(entry.path());
    if (!seconds || name.empty()) continue;  // ended while being read
    if (name == kSamplerName) continue;      // not counted
    Thread& thread = threads_[tid];
    thread.kind = thread_kind(name, tid == main_tid);
    thread.last = *seconds;
  }
}

std::map<std::string, double> ThreadCpuSampler::stop() {
  if (thread_.joinable()) {
    stopping_.store(true);
    thread_.join();
    sample();
  }
  std::lock_guard lock(mu_);
  std::map<std::string, double> by_kind;
  for (const auto& [tid, thread] : threads_) by_kind[thread.kind] += thread.last - thread.first;
  return by_kind;
}

}  // namespace fmn::bench
