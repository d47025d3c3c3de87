#include "bus/replayer.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <random>

namespace fmn::bus {
namespace {

int year_of(std::chrono::system_clock::time_point t) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return utc.tm_year + 1900;
}

double seconds_since_epoch(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

}  // namespace

Replayer::Replayer(const ReplayCorpus& corpus, ReplayOptions options, Clock& clock)
    : corpus_(corpus), options_(std::move(options)), clock_(clock) {
  while (options_.run_id == 0) options_.run_id = std::mt19937_64(std::random_device{}())();
  std::sort(options_.skip_seq_at.begin(), options_.skip_seq_at.end());
}

std::string Replayer::make_msg_id(int year, uint64_t run_id, uint32_t loop, uint64_t number) {
  // "%04d-%08x-%04x-%04x-%04x-%012llx", written by hand: printf's parsing of its format was a
  // tenth of a publisher's time per message.
  std::string id = std::to_string(year);
  if (id.size() < 4) id.insert(0, 4 - id.size(), '0');
  auto hex = [&id](uint64_t value, int width) {
    static constexpr char kDigits[] = "0123456789abcdef";
    id.push_back('-');
    for (int shift = 4 * (width - 1); shift >= 0; shift -= 4)
      id.push_back(kDigits[(value >> shift) & 0xf]);
  };
  hex(run_id >> 32, 8);
  hex((run_id >> 16) & 0xffff, 4);
  hex(run_id & 0xffff, 4);
  hex(loop & 0xffff, 4);
  hex(number & 0xffffffffffffULL, 12);
  return id;
}

ReplaySummary Replayer::run(const Send& send, const std::atomic<bool>* stop) {
  ReplaySummary summary;
  if (corpus_.records().empty()) return summary;
  Pacer pacer(options_.pacing, clock_);
  std::vector<int64_t> next_seq(corpus_.publishers().size(), 1);
  auto skip = options_.skip_seq_at.begin();
  int year = year_of(clock_.wall());
  std::string payload;
  uint64_t number = 0;
  Clock::time_point start = clock_.steady();
  auto stopped = [stop] { return stop != nullptr && stop->load(std::memory_order_relaxed); };
  for (uint32_t loop = 0; loop < options_.loops && !stopped(); ++loop) {
    ++summary.loops;
    for (const ReplayRecord& record : corpus_.records()) {
      if (stopped()) break;
      ++number;
      int64_t& seq = next_seq[record.publisher];
      for (; skip != options_.skip_seq_at.end() && *skip <= number; ++skip) {
        if (*skip != number) continue;
        ++seq;
        ++summary.skipped_seq;
      }
      pacer.wait(record.timestamp);
      ReplayCorpus::render(record, make_msg_id(year, options_.run_id, loop, number), seq++,
                           seconds_since_epoch(clock_.wall()), payload);
      if (send(record.topic, payload)) {
        ++summary.sent;
      } else {
        ++summary.failed;
      }
    }
  }
  summary.seconds = std::chrono::duration<double>(clock_.steady() - start).count();
  return summary;
}

}  // namespace fmn::bus
