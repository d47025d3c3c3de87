// Micro-benches of the per-message bus work: deduplication, sequence tracking, replay rendering.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "bus/dedupe_window.h"
#include "bus/replayer.h"
#include "bus/sequence_tracker.h"
#include "core/envelope_parser.h"

namespace fmn::bus {
namespace {

std::vector<std::string> ids(size_t n) {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back(Replayer::make_msg_id(2024, 0xfeedface, 0, i));
  return out;
}

// Every id new: the steady state of a live bus, with eviction once the window is full.
void BM_DedupeAdmitNew(benchmark::State& state) {
  DedupeWindow window(static_cast<size_t>(state.range(0)));
  auto keys = ids(1 << 20);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(window.admit(keys[i]));
    i = (i + 1) & ((1 << 20) - 1);
  }
}
BENCHMARK(BM_DedupeAdmitNew)->Arg(1 << 12)->Arg(1 << 17);

void BM_SequenceObserve(benchmark::State& state) {
  std::vector<MessagePtr> messages;
  for (int p = 0; p < 50; ++p) {
    auto m = parse_envelope(R"({"topic":"org.fedoraproject.prod.service)" + std::to_string(p) +
                            R"(.thing.happened","msg":{},"i":1,"username":"apache"})");
    messages.push_back(std::move(m).value());
  }
  SequenceTracker tracker;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(tracker.observe(*messages[i]));
    i = i + 1 == messages.size() ? 0 : i + 1;
  }
}
BENCHMARK(BM_SequenceObserve);

void BM_ReplayRender(benchmark::State& state) {
  auto corpus = ReplayCorpus::load_file(std::string(FMN_CORPUS_DIR) + "/fedmsg-real.jsonl");
  if (!corpus) {
    state.SkipWithError(corpus.error().message.c_str());
    return;
  }
  std::string out;
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const ReplayRecord& r = corpus->records()[i];
    ReplayCorpus::render(r, "2024-01234567-89ab-cdef-0000-000000000001", 42, 1.7e9, out);
    bytes += out.size();
    i = i + 1 == corpus->records().size() ? 0 : i + 1;
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_ReplayRender);

}  // namespace
}  // namespace fmn::bus
