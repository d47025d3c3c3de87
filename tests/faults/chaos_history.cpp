#include "tests/faults/chaos_history.h"

#include <map>
#include <regex>

#include "core/json_writer.h"

namespace fmn::faults {
namespace {

using A = ChaosAction;

// The run's destinations and what the checker needs to know of each.
struct Sink {
  const char* name;
  ChaosDelivery ChaosHistory::*delivery;
  const char* summary;                    // its count in the exit summary ("email=2")
  std::vector<ChaosAction> unconfirming;  // faults that can hide a server's confirmation
};

// A digest is an email: its sink is the email sink's, and a crash after the server took it but
// before Redis heard of it sends it again (docs/reliability.md, known limits), as does a Redis
// restart that keeps the batcher from recording it sent. An SSE event
// written to the backlog whose outbox entry a kill -9 kept is published again after the restart.
const Sink kSinks[] = {
    {"email",
     &ChaosHistory::email,
     "email",
     {A::kKillPipeline, A::kStopPipeline, A::kRestartSmtp, A::kSmtpSlow}},
    {"digest",
     &ChaosHistory::digest,
     "email",
     {A::kKillPipeline, A::kStopPipeline, A::kRestartSmtp, A::kSmtpSlow, A::kRestartRedis}},
    {"irc", &ChaosHistory::irc, "irc", {A::kKillPipeline, A::kStopPipeline, A::kRestartIrc}},
    {"sse", &ChaosHistory::sse, "sse", {A::kKillPipeline, A::kStopPipeline}},
};

struct Seen {
  int count = 0;
  size_t first_epoch = 0;
  size_t last_epoch = 0;
  bool late = false;  // the first reception was late
};

bool published_while_down(const ChaosHistory& h, size_t index) {
  for (const auto& [first, end] : h.down) {
    if (index >= first && index < end) return true;
  }
  return false;
}

// Whether message `index` was, provably, never accepted for `sink` before the kill -9 that
// followed it: published after fmn's last write to that kind's outbox stream (a message is
// written after it was published; the publish time is taken before sending, both on this host's
// wall clock). Nothing is lost by fmn then: ZeroMQ does not send it again after the restart, as
// for a message published while fmn was down.
bool published_after_last_write(const ChaosHistory& h, const Sink& sink, size_t index) {
  if (index >= h.published_ms.size()) return false;
  for (const ChaosEvent& e : h.events) {
    if (e.before <= index) continue;
    if (e.action == A::kStopPipeline) return false;
    if (e.action != A::kKillPipeline) continue;
    auto written = e.outbox_written_ms.find(sink.summary);  // a digest's stream is email's
    return written != e.outbox_written_ms.end() && h.published_ms[index] > written->second;
  }
  return false;
}

// Messages published right before a kill -9 that may still be between the bus and the outbox.
constexpr size_t kBusInFlight = 10;

// Why a notification to `sink` published before message `index + 1` was never delivered, and
// whether docs/reliability.md lists that as a known limit.
std::pair<std::string, bool> loss_reason(const ChaosHistory& h, const Sink& sink, size_t index) {
  // The exit summary names how many each sink left undelivered, and how many it left in the
  // outbox for the next start: "undelivered at stop: email=2 irc=0; left in the outbox: ...".
  const std::string count = " " + std::string(sink.summary) + "=[1-9]";
  const std::regex undelivered("undelivered at stop:[^;]*" + count);
  const std::regex kept("left in the outbox:[^;]*" + count);
  bool first = true, redis_restarted = false;
  std::string killed;  // the kill -9 that found it in the outbox, when one did
  for (const ChaosEvent& e : h.events) {
    if (e.before <= index) continue;
    const std::string where = " (before message " + std::to_string(e.before) + ")";
    if (e.action == ChaosAction::kKillPipeline) {
      // The outbox keeps what the pipeline accepted; ZeroMQ does not send again what fmn had
      // read but not yet written to it, so only the last messages before a kill may be lost.
      if (index + kBusInFlight >= e.before) {
        return {"in flight from the bus at kill -9" + where + ": not yet in the outbox", true};
      }
      if (redis_restarted) {
        return {"in memory at kill -9" + where + ": accepted while Redis restarted", true};
      }
      if (killed.empty()) killed = "in the outbox at kill -9" + where + " yet never delivered";
    }
    redis_restarted = redis_restarted || e.action == ChaosAction::kRestartRedis;
    if (e.action == ChaosAction::kStopPipeline) {
      // What the last stop left in the outbox waits there for the next start (the run has
      // none); what a stop reported undelivered was never marked delivered.
      if (&e == &h.events.back() && std::regex_search(e.note, kept)) {
        return {"left in the outbox at the last SIGTERM" + where + ", reported: " + e.note, true};
      }
      const bool reported = std::regex_search(e.note, undelivered);
      if (!killed.empty() && !reported) return {killed, false};
      return {"left undelivered at SIGTERM" + where + ", " +
                  (reported ? "reported: " + e.note : std::string("not reported")),
              reported};
    }
    if (first && e.action == ChaosAction::kRestartRedis) {
      return {"processed while Redis restarted" + where + ": at most once", true};
    }
    first = false;
  }
  return {killed.empty() ? "unexplained" : killed, false};
}

bool unconfirmed(const ChaosHistory& h, const Sink& sink, const Seen& seen) {
  const size_t from = seen.first_epoch > 0 ? seen.first_epoch - 1 : 0;
  for (size_t k = from; k < seen.last_epoch && k < h.events.size(); ++k) {
    for (ChaosAction a : sink.unconfirming) {
      if (h.events[k].action == a) return true;
    }
  }
  return false;
}

void check_sink(const ChaosHistory& h, const Sink& sink, ChaosVerdict& v) {
  const ChaosDelivery& delivery = h.*sink.delivery;
  std::map<std::string, Seen> seen;
  for (const ChaosReception& r : delivery.received) {
    Seen& s = seen[r.id];
    if (s.count++ == 0) {
      s.first_epoch = r.epoch;
      s.late = r.late;
    }
    s.last_epoch = r.epoch;
  }
  for (const auto& [id, s] : seen) {
    if (!delivery.expected.contains(id)) {
      ++v.unexpected;
      v.findings.push_back({"unexpected", sink.name, id, "delivered but not expected", false});
    }
  }
  // The broker keeps every message until fmn acknowledges it, and fmn acknowledges one only once
  // its notifications are in the outbox: over AMQP nothing is excused, whenever it was published.
  const bool bus_forgets = h.schedule.source == ChaosSource::kZeroMq;
  for (size_t i = 0; i < h.published.size(); ++i) {
    const std::string& id = h.published[i];
    if (!delivery.expected.contains(id)) continue;
    ++v.expected;
    auto found = seen.find(id);
    if (found == seen.end()) {
      if (bus_forgets && published_while_down(h, i)) {
        ++v.not_received;
      } else if (bus_forgets && published_after_last_write(h, sink, i)) {
        ++v.not_received;
        ++v.not_accepted;
      } else if (delivery.refused.contains(id)) {
        ++v.refused;
      } else {
        auto [reason, known] = loss_reason(h, sink, i);
        known = known && bus_forgets;
        ++v.lost;
        v.lost_known_limit += known;
        v.findings.push_back({"lost", sink.name, id, reason, known});
      }
      continue;
    }
    ++v.delivered;
    const Seen& s = found->second;
    if (s.late) {
      ++v.late;
      v.findings.push_back({"late", sink.name, id, "delivered during the final stop", false});
    }
    if (s.count > 1) {
      const bool allowed = unconfirmed(h, sink, s);
      ++v.duplicated;
      v.duplicated_unconfirmed += allowed;
      v.findings.push_back(
          {"duplicated", sink.name, id,
           std::to_string(s.count) + " times" +
               (allowed ? ", a fault between the deliveries could hide the confirmation"
                        : ", with no fault between the deliveries"),
           allowed});
    }
  }
}

// The counts of a verdict, once: what counts() lists and add_counts() sums.
struct CountField {
  const char* name;
  size_t ChaosVerdict::*field;
};

constexpr CountField kCountFields[] = {
    {"expected", &ChaosVerdict::expected},
    {"delivered", &ChaosVerdict::delivered},
    {"not_received", &ChaosVerdict::not_received},
    {"not_accepted", &ChaosVerdict::not_accepted},
    {"refused", &ChaosVerdict::refused},
    {"lost", &ChaosVerdict::lost},
    {"lost_known_limit", &ChaosVerdict::lost_known_limit},
    {"duplicated", &ChaosVerdict::duplicated},
    {"duplicated_unconfirmed", &ChaosVerdict::duplicated_unconfirmed},
    {"late", &ChaosVerdict::late},
    {"unexpected", &ChaosVerdict::unexpected},
};

void write_string(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

}  // namespace

std::vector<std::pair<const char*, size_t>> ChaosVerdict::counts() const {
  std::vector<std::pair<const char*, size_t>> out;
  for (const CountField& f : kCountFields) out.emplace_back(f.name, this->*f.field);
  return out;
}

void ChaosVerdict::add_counts(const ChaosVerdict& other) {
  for (const CountField& f : kCountFields) this->*f.field += other.*f.field;
}

ChaosVerdict check_history(const ChaosHistory& h) {
  ChaosVerdict v;
  for (const Sink& sink : kSinks) check_sink(h, sink, v);
  return v;
}

std::string run_json(const ChaosHistory& h, const ChaosVerdict& v) {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("schedule");
  const std::string schedule = schedule_json(h.schedule);
  w.RawValue(schedule.data(), schedule.size(), rapidjson::kObjectType);
  for (const auto& [key, n] : v.counts()) {
    w.Key(key);
    w.Uint64(n);
  }
  w.Key("broken");
  w.Bool(v.broken());
  w.Key("seconds");
  w.Double(h.seconds);
  w.Key("sinks");  // what each destination was to get, and the receptions seen (with repeats)
  w.StartObject();
  for (const Sink& sink : kSinks) {
    const ChaosDelivery& d = h.*sink.delivery;
    w.Key(sink.name);
    w.StartObject();
    w.Key("expected");
    w.Uint64(d.expected.size());
    w.Key("received");
    w.Uint64(d.received.size());
    w.EndObject();
  }
  w.EndObject();
  w.Key("sse_connections");
  w.Uint64(h.sse_connections);
  w.Key("events");
  w.StartArray();
  for (const ChaosEvent& e : h.events) {
    w.StartObject();
    w.Key("before");
    w.Uint64(e.before);
    w.Key("action");
    write_string(w, action_name(e.action));
    w.Key("at_seconds");
    w.Double(e.at_seconds);
    if (!e.note.empty()) {
      w.Key("note");
      write_string(w, e.note);
    }
    if (!e.outbox_written_ms.empty()) {
      w.Key("outbox_written_ms");
      w.StartObject();
      for (const auto& [kind, ms] : e.outbox_written_ms) {
        w.Key(kind.c_str());
        w.Int64(ms);
      }
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("findings");
  w.StartArray();
  for (const ChaosFinding& f : v.findings) {
    w.StartObject();
    for (const auto& [key, value] : {std::pair<const char*, const std::string&>{"kind", f.kind},
                                     {"sink", f.sink},
                                     {"id", f.id},
                                     {"reason", f.reason}}) {
      w.Key(key);
      write_string(w, value);
    }
    w.Key("allowed");
    w.Bool(f.allowed);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return buffer.GetString();
}

}  // namespace fmn::faults
