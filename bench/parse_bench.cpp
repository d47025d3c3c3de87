// fmn-bench parse: parse_envelope + MetaExtractor::extract per message over a corpus held in
// memory, on one core (timed by the thread's CPU clock). Each repetition plays the corpus enough
// times to reach --messages, twice: with the meta indexing needs (what the pipeline extracts for
// every message) and with the full meta (display fields too, as for a message someone is
// notified of). The report's figures are the full meta's; index_* extras are the other's.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/bench_commands.h"
#include "bench/bench_report.h"
#include "bus/file_source.h"
#include "core/envelope_parser.h"
#include "core/meta_extractor.h"

namespace fmn::bench {
namespace {

struct ParseFlags {
  std::string corpus;
  bool json = false;
  bool no_meta = false;
  int repetitions = 7;
  uint64_t messages = 300000;
};

Result<std::vector<std::string>> read_lines(const std::string& path) {
  auto source = bus::FileSource::open(path);
  if (!source) return source.error();
  std::vector<bus::RawMessage> raw;
  while ((*source)->next_batch(raw, 1024)) {
  }
  std::vector<std::string> lines;
  for (bus::RawMessage& r : raw) lines.push_back(std::move(r.payload));
  return lines;
}

// One pass over `lines`: each message built, extracted (`parts`), freed.
void parse_all(const std::vector<std::string>& lines, const MetaExtractor* meta, MetaParts parts,
               uint64_t& errors) {
  for (const std::string& line : lines) {
    auto m = parse_envelope(line);
    if (!m) {
      ++errors;
    } else if (meta != nullptr) {
      meta->extract(*m.value(), parts);
    }
  }
}

void run(const ParseFlags& flags) {
  auto lines = read_lines(flags.corpus);
  if (!lines || lines->empty()) {
    std::fprintf(stderr, "fmn-bench parse: %s\n",
                 lines ? "the corpus is empty" : lines.error().message.c_str());
    exit_status() = 1;
    return;
  }
  std::unique_ptr<MetaExtractor> meta;
  if (!flags.no_meta) {
    auto built = MetaExtractor::builtin(builtin_aliases());
    if (!built) {
      std::fprintf(stderr, "fmn-bench parse: %s\n", built.error().message.c_str());
      exit_status() = 1;
      return;
    }
    meta = std::move(built).value();
  }
  uint64_t corpus_bytes = 0;
  for (const std::string& l : *lines) corpus_bytes += l.size();
  uint64_t passes = (flags.messages + lines->size() - 1) / lines->size();
  std::printf("parse%s: %zu messages, %.0f bytes mean, %llu passes a repetition\n",
              meta ? " + meta" : " only", lines->size(),
              static_cast<double>(corpus_bytes) / static_cast<double>(lines->size()),
              static_cast<unsigned long long>(passes));

  uint64_t errors = 0;
  parse_all(*lines, meta.get(), MetaParts::kAll, errors);  // warm-up
  const uint64_t warm_up_errors = errors;
  // Timed by the thread's CPU clock: the figure is what one core does, whatever else the
  // machine runs meanwhile. Wall-clock time is reported beside it.
  std::vector<Run> runs, wall_runs, index_runs;
  auto timed = [&](MetaParts parts, std::vector<Run>& out, std::vector<Run>* wall_out) {
    double cpu_start = thread_cpu_seconds();
    auto start = std::chrono::steady_clock::now();
    for (uint64_t p = 0; p < passes; ++p) parse_all(*lines, meta.get(), parts, errors);
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.push_back(
        {passes * lines->size(), passes * corpus_bytes, thread_cpu_seconds() - cpu_start});
    if (wall_out != nullptr)
      wall_out->push_back({passes * lines->size(), passes * corpus_bytes, wall});
  };
  for (int rep = 0; rep < flags.repetitions; ++rep) {
    timed(MetaParts::kAll, runs, &wall_runs);
    if (meta) timed(MetaParts::kIndex, index_runs, nullptr);
  }
  Extras extras = {{"wall_ns_per_msg", median_run(wall_runs).ns_per_msg()},
                   {"parse_errors", static_cast<double>(warm_up_errors)},
                   {"meta", meta ? 1.0 : 0.0}};
  if (meta) {
    Run index = median_run(index_runs);
    std::printf("parse + index meta: median of %d: %.0f ns/msg, %.0f msg/s (one core)\n",
                flags.repetitions, index.ns_per_msg(), index.msgs_per_s());
    extras.push_back({"index_ns_per_msg", index.ns_per_msg()});
    extras.push_back({"index_msgs_per_s", index.msgs_per_s()});
    std::printf("parse + full meta:\n");
  }
  print_report(stdout, "parse", runs, flags.json, extras);
}

}  // namespace

void add_parse_command(CLI::App& app) {
  auto flags = std::make_shared<ParseFlags>();
  CLI::App* cmd =
      app.add_subcommand("parse", "Parse + meta extraction per message over a corpus, one core");
  cmd->add_option("--corpus", flags->corpus, "JSON-lines corpus")->required();
  cmd->add_flag("--json", flags->json, "End with one JSON line of the figures");
  cmd->add_flag("--no-meta", flags->no_meta, "Measure parse_envelope alone");
  cmd->add_option("--repetitions", flags->repetitions, "Timed repetitions (the median is kept)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--messages", flags->messages, "Messages a repetition parses, at least")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->callback([flags] { run(*flags); });
}

}  // namespace fmn::bench
