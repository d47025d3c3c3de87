// run_campaign: chaos runs one after the other (fmn-bench chaos), their verdicts added up.
//
// A run that cannot be carried out (the runner's error: a server would not start, e.g. on a port
// another process took between the driver finding it free and the server binding it) says
// nothing about fmn: it is tried once more (run_chaos finds its ports anew), and when it fails
// again its seed is counted as not run and the campaign goes on with the next. Plain functions;
// the callbacks run on the caller's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "tests/faults/chaos_history.h"

namespace fmn::faults {

struct ChaosCampaignTotals {
  size_t runs = 0;                // carried out
  size_t broken_runs = 0;         // of them, runs that broke a promise (ChaosVerdict::broken)
  std::vector<uint64_t> not_run;  // the seeds that could not be carried out, twice
  ChaosVerdict counts;            // the carried-out runs' counts added up

  // "runs":N,"broken_runs":N,"not_run":N,"not_run_seeds":[...], then each count of `counts`.
  std::string json_fields() const;
};

using ChaosRunner = std::function<Result<ChaosHistory>(const ChaosSchedule&)>;

struct ChaosCampaignReport {
  // A run could not be carried out; `again`: it is tried once more.
  std::function<void(const ChaosSchedule&, const Error&, bool again)> not_carried_out;
  // A run carried out, with its verdict.
  std::function<void(const ChaosHistory&, const ChaosVerdict&)> judged;
};

ChaosCampaignTotals run_campaign(std::span<const ChaosSchedule> schedules,
                                 const ChaosRunner& runner, const ChaosCampaignReport& report);

}  // namespace fmn::faults
