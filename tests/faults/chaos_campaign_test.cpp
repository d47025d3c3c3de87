// run_campaign with a runner that stands in for run_chaos: which runs are tried again, which are
// counted as not run, and that the campaign goes on after either.
#include "tests/faults/chaos_campaign.h"

#include <gtest/gtest.h>

#include <map>

namespace fmn::faults {
namespace {

ChaosSchedule seeded(uint64_t seed) {
  ChaosSchedule s;
  s.seed = seed;
  return s;
}

// A carried-out run where `id` reached the email sink: expected and delivered once, or, with
// `expected` false, delivered without the rules calling for it (a broken promise).
ChaosHistory history_of(const ChaosSchedule& schedule, bool expected) {
  ChaosHistory h;
  h.schedule = schedule;
  const std::string id = "msg-" + std::to_string(schedule.seed);
  h.published.push_back(id);
  h.published_ms.push_back(0);
  if (expected) h.email.expected.insert(id);
  h.email.received.push_back({id, 0, false});
  return h;
}

struct Outcome {
  int failures = 0;     // attempts that cannot be carried out before one that can
  bool broken = false;  // the carried-out run delivers something unexpected
};

TEST(ChaosCampaign, ARunThatCannotStartIsTriedOnceMoreThenCountedAsNotRunAndTheRestGoOn) {
  const std::vector<ChaosSchedule> schedules = {seeded(1), seeded(2), seeded(3), seeded(4)};
  std::map<uint64_t, Outcome> outcome = {
      {1, {}}, {2, {.failures = 1}}, {3, {.failures = 5}}, {4, {.broken = true}}};
  std::map<uint64_t, int> attempts;
  auto runner = [&](const ChaosSchedule& s) -> Result<ChaosHistory> {
    Outcome& o = outcome.at(s.seed);
    ++attempts[s.seed];
    if (o.failures > 0) {
      --o.failures;
      return Error{ErrorCode::kIo, "RabbitMQ: dist_port_already_used"};
    }
    return history_of(s, !o.broken);
  };
  std::vector<std::pair<uint64_t, bool>> not_carried_out;  // seed, tried again
  std::vector<uint64_t> judged;
  ChaosCampaignReport report;
  report.not_carried_out = [&](const ChaosSchedule& s, const Error& e, bool again) {
    EXPECT_EQ(e.message, "RabbitMQ: dist_port_already_used");
    not_carried_out.emplace_back(s.seed, again);
  };
  report.judged = [&](const ChaosHistory& h, const ChaosVerdict&) {
    judged.push_back(h.schedule.seed);
  };

  const ChaosCampaignTotals totals = run_campaign(schedules, runner, report);

  EXPECT_EQ(attempts, (std::map<uint64_t, int>{{1, 1}, {2, 2}, {3, 2}, {4, 1}}));
  EXPECT_EQ(not_carried_out,
            (std::vector<std::pair<uint64_t, bool>>{{2, true}, {3, true}, {3, false}}));
  EXPECT_EQ(judged, (std::vector<uint64_t>{1, 2, 4}));
  EXPECT_EQ(totals.runs, 3u);
  EXPECT_EQ(totals.not_run, std::vector<uint64_t>{3});
  EXPECT_EQ(totals.broken_runs, 1u);
  EXPECT_EQ(totals.counts.expected, 2u);
  EXPECT_EQ(totals.counts.delivered, 2u);
  EXPECT_EQ(totals.counts.unexpected, 1u);
  const std::string json = totals.json_fields();
  EXPECT_NE(json.find("\"runs\":3,\"broken_runs\":1,\"not_run\":1,\"not_run_seeds\":[3]"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"unexpected\":1"), std::string::npos) << json;
}

}  // namespace
}  // namespace fmn::faults
