#include "tests/faults/chaos_campaign.h"

namespace fmn::faults {

std::string ChaosCampaignTotals::json_fields() const {
  std::string out =
      "\"runs\":" + std::to_string(runs) + ",\"broken_runs\":" + std::to_string(broken_runs);
  out += ",\"not_run\":" + std::to_string(not_run.size()) + ",\"not_run_seeds\":[";
  for (size_t i = 0; i < not_run.size(); ++i) {
    out += (i > 0 ? "," : "") + std::to_string(not_run[i]);
  }
  out += "]";
  for (const auto& [key, n] : counts.counts()) {
    out += std::string(",\"") + key + "\":" + std::to_string(n);
  }
  return out;
}

ChaosCampaignTotals run_campaign(std::span<const ChaosSchedule> schedules,
                                 const ChaosRunner& runner, const ChaosCampaignReport& report) {
  ChaosCampaignTotals totals;
  for (const ChaosSchedule& schedule : schedules) {
    const auto not_carried_out = [&](const Error& e, bool again) {
      if (report.not_carried_out) report.not_carried_out(schedule, e, again);
    };
    auto history = runner(schedule);
    if (!history) {
      not_carried_out(history.error(), true);
      history = runner(schedule);
    }
    if (!history) {
      not_carried_out(history.error(), false);
      totals.not_run.push_back(schedule.seed);
      continue;
    }
    const ChaosVerdict verdict = check_history(history.value());
    ++totals.runs;
    totals.broken_runs += verdict.broken();
    totals.counts.add_counts(verdict);
    if (report.judged) report.judged(history.value(), verdict);
  }
  return totals;
}

}  // namespace fmn::faults
