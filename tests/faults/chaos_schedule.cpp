#include "tests/faults/chaos_schedule.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <random>
#include <utility>

#include "core/json_writer.h"

namespace fmn::faults {
namespace {

struct ActionName {
  ChaosAction action;
  std::string_view name;
};

constexpr ActionName kNames[] = {
#define FMN_CHAOS_NAME(name, text) {ChaosAction::name, text},
    FMN_CHAOS_ACTIONS(FMN_CHAOS_NAME)
#undef FMN_CHAOS_NAME
};

// A fault drawn for a run: its action and, for a lasting one, the action that ends it.
struct FaultKind {
  ChaosAction begin;
  bool lasting;
  ChaosAction end;
};

constexpr FaultKind kFaults[] = {
    {ChaosAction::kKillPipeline, true, ChaosAction::kStartPipeline},
    {ChaosAction::kStopPipeline, true, ChaosAction::kStartPipeline},
    {ChaosAction::kRestartRedis, false, ChaosAction::kRestartRedis},
    {ChaosAction::kRestartPostgres, false, ChaosAction::kRestartPostgres},
    {ChaosAction::kRestartSmtp, false, ChaosAction::kRestartSmtp},
    {ChaosAction::kRestartIrc, false, ChaosAction::kRestartIrc},
    {ChaosAction::kRestartPublisher, false, ChaosAction::kRestartPublisher},
    {ChaosAction::kSmtpTempfail, true, ChaosAction::kSmtpAccept},
    {ChaosAction::kSmtpRefuse, true, ChaosAction::kSmtpAccept},
    {ChaosAction::kSmtpSlow, true, ChaosAction::kSmtpAccept},
};

constexpr std::pair<ChaosSource, std::string_view> kSources[] = {
    {ChaosSource::kZeroMq, "zeromq"},
    {ChaosSource::kAmqp, "amqp"},
};

}  // namespace

std::string_view source_name(ChaosSource source) {
  for (const auto& [s, name] : kSources) {
    if (s == source) return name;
  }
  return "?";
}

Result<ChaosSource> parse_source(std::string_view name) {
  for (const auto& [s, n] : kSources) {
    if (n == name) return s;
  }
  return Error{ErrorCode::kInvalidConfig, "unknown chaos source: " + std::string(name)};
}

std::string_view action_name(ChaosAction action) {
  for (const ActionName& n : kNames) {
    if (n.action == action) return n.name;
  }
  return "?";
}

Result<ChaosAction> parse_action(std::string_view name) {
  for (const ActionName& n : kNames) {
    if (n.name == name) return n.action;
  }
  return Error{ErrorCode::kInvalidConfig, "unknown chaos action: " + std::string(name)};
}

ChaosSchedule draw_schedule(uint64_t seed, const ChaosShape& shape) {
  // mt19937_64's output is fixed by the standard; the draws below use only that output, so a
  // seed gives the same schedule with any standard library.
  std::mt19937_64 rng(seed);
  ChaosSchedule schedule{seed, shape.source, shape.messages, shape.rate, {}};
  const size_t first = std::min<size_t>(5, shape.messages);
  const size_t span = shape.messages > 2 * first ? shape.messages - 2 * first : 1;
  std::vector<size_t> starts;
  for (size_t i = 0; i < shape.faults; ++i) starts.push_back(first + rng() % span);
  std::sort(starts.begin(), starts.end());
  for (size_t i = 0; i < starts.size(); ++i) {
    const FaultKind& kind = kFaults[rng() % std::size(kFaults)];
    const size_t length = 5 + rng() % 36;
    const bool broker =
        shape.source == ChaosSource::kAmqp && kind.begin == ChaosAction::kRestartPublisher;
    schedule.actions.push_back({starts[i], broker ? ChaosAction::kRestartBroker : kind.begin});
    if (!kind.lasting) continue;
    const size_t limit = i + 1 < starts.size() ? starts[i + 1] : shape.messages;
    schedule.actions.push_back({std::min(starts[i] + length, limit), kind.end});
  }
  // 53 bits of a draw: a double in [0, 1), as exact with any standard library.
  for (ScheduledAction& a : schedule.actions) a.phase = static_cast<double>(rng() >> 11) * 0x1p-53;
  return schedule;
}

std::string schedule_json(const ChaosSchedule& schedule) {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("seed");
  w.Uint64(schedule.seed);
  w.Key("source");
  const std::string_view source = source_name(schedule.source);
  w.String(source.data(), static_cast<rapidjson::SizeType>(source.size()));
  w.Key("messages");
  w.Uint64(schedule.messages);
  w.Key("rate");
  w.Double(schedule.rate);
  w.Key("actions");
  w.StartArray();
  for (const ScheduledAction& a : schedule.actions) {
    w.StartObject();
    w.Key("before");
    w.Uint64(a.before);
    w.Key("action");
    const std::string_view name = action_name(a.action);
    w.String(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    w.Key("phase");
    w.Double(a.phase);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return buffer.GetString();
}

Result<ChaosSchedule> parse_schedule(std::string_view json) {
  const Error bad{ErrorCode::kInvalidConfig,
                  "not a chaos schedule (seed, messages, rate, actions)"};
  rapidjson::Document d;
  // Full precision: a phase read back is the double that was written, so a replay is exact.
  d.Parse<rapidjson::kParseFullPrecisionFlag>(json.data(), json.size());
  if (d.HasParseError() || !d.IsObject()) return bad;
  // A failing run's file holds the schedule under "schedule", next to what was found.
  const rapidjson::Value& s = d.HasMember("schedule") ? d["schedule"] : d;
  if (!s.IsObject() || !s.HasMember("seed") || !s["seed"].IsUint64() || !s.HasMember("messages") ||
      !s["messages"].IsUint64() || !s.HasMember("rate") || !s["rate"].IsNumber() ||
      !s.HasMember("actions") || !s["actions"].IsArray()) {
    return bad;
  }
  ChaosSchedule schedule{s["seed"].GetUint64(),
                         ChaosSource::kZeroMq,
                         s["messages"].GetUint64(),
                         s["rate"].GetDouble(),
                         {}};
  if (s.HasMember("source")) {
    if (!s["source"].IsString()) return bad;
    auto source = parse_source(s["source"].GetString());
    if (!source) return source.error();
    schedule.source = source.value();
  }
  for (const auto& a : s["actions"].GetArray()) {
    if (!a.IsObject() || !a.HasMember("before") || !a["before"].IsUint64() ||
        !a.HasMember("action") || !a["action"].IsString()) {
      return bad;
    }
    double phase = 0;
    if (a.HasMember("phase")) {
      if (!a["phase"].IsNumber()) return bad;
      phase = a["phase"].GetDouble();
      if (!(phase >= 0 && phase < 1)) return bad;
    }
    auto action = parse_action(a["action"].GetString());
    if (!action) return action.error();
    schedule.actions.push_back({a["before"].GetUint64(), action.value(), phase});
  }
  return schedule;
}

}  // namespace fmn::faults
