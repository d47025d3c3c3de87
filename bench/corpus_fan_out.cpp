#include "bench/corpus_fan_out.h"

#include <algorithm>
#include <fstream>

#include "bench/bench_report.h"
#include "core/envelope_parser.h"
#include "pipeline/engine_matcher.h"

namespace fmn::bench {

Result<std::vector<MessagePtr>> load_messages(const std::string& path, const MetaExtractor& meta) {
  std::ifstream in(path);
  if (!in) return Error{ErrorCode::kIo, path + ": cannot open"};
  std::vector<MessagePtr> out;
  for (std::string line; std::getline(in, line);) {
    auto m = parse_envelope(line);
    if (!m) continue;
    meta.extract(*m.value());
    out.push_back(std::move(m).value());
  }
  return out;
}

double naive_msgs_per_s(const engine::Generation& generation,
                        const std::vector<MessagePtr>& messages, double budget) {
  std::vector<engine::Match> out;
  double start = thread_cpu_seconds();
  uint64_t n = 0;
  while (!messages.empty() && (n == 0 || thread_cpu_seconds() - start < budget)) {
    out.clear();
    generation.match_naive(*messages[n % messages.size()], out);
    ++n;
  }
  return double(n) / (thread_cpu_seconds() - start);
}

FanOut measure_fan_out(const engine::Generation& generation,
                       const std::vector<MessagePtr>& messages) {
  FanOut f;
  if (messages.empty()) return f;
  engine::MatchScratch scratch;
  std::vector<engine::Match> matches;
  std::vector<Notification> notifications;
  std::vector<double> counts;
  counts.reserve(messages.size());
  for (const MessagePtr& m : messages) {
    matches.clear();
    notifications.clear();
    generation.match(*m, scratch, matches);
    pipeline::append_notifications(m, matches, notifications);
    counts.push_back(double(notifications.size()));
    f.mean += double(notifications.size());
  }
  f.mean /= double(messages.size());
  std::sort(counts.begin(), counts.end());
  f.p99 = counts[std::min(counts.size() - 1, counts.size() * 99 / 100)];
  f.max = counts.back();
  return f;
}

}  // namespace fmn::bench
