// Figures of a bench run, summarised the same way by every fmn-bench subcommand: each
// repetition's throughput, then the median, and with --json a last line holding one JSON object
// with at least msgs_per_s and ns_per_msg.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fmn::bench {

struct Run {
  uint64_t messages = 0;
  uint64_t bytes = 0;
  double seconds = 0;
  double ns_per_msg() const;
  double msgs_per_s() const;
  double gb_per_s() const;
};

// Extra figures for the report: name and value, printed in the text and added to the JSON.
using Extras = std::vector<std::pair<std::string, double>>;

// CPU time used so far by the calling thread: what one core did, whatever else the machine ran.
double thread_cpu_seconds();
// CPU time used so far by all the process's threads (not its children).
double process_cpu_seconds();

// The process's resident set now, in MB (from /proc/self/statm); 0 when it cannot be read.
double rss_mb();

// The repetition with the median ns/msg. REQUIRES: !runs.empty().
Run median_run(std::vector<Run> runs);

// Prints each run, then the median with `extras`; with `json` the last line is the JSON object
// {"bench": name, "msgs_per_s", "ns_per_msg", "gb_per_s", "messages", "repetitions", extras...}.
void print_report(std::FILE* out, std::string_view name, const std::vector<Run>& runs, bool json,
                  const Extras& extras = {});

}  // namespace fmn::bench
