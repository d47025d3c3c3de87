// run_chaos: one randomized fault run against the real servers, recorded as a history for
// check_history (chaos_history.h) to judge.
//
// It starts PostgreSQL (preferences), Redis (state, append-only file on), the SMTP recorder,
// ngIRCd with a recipient connected, the bus of `schedule.source` (chaos_bus.h: a ZeroMQ
// publisher, or RabbitMQ publishing fedora-messaging messages) and fmn-pipeline with its SSE
// server (started before the first message, so over AMQP its durable queue is bound); publishes
// the first
// `schedule.messages` corpus messages at `schedule.rate` per second, taking each scheduled action
// before the message it is placed at; then waits for the deliveries to settle and stops
// fmn-pipeline with SIGTERM. Everything a history says was delivered comes from the servers'
// own records or a real client: the SMTP recorder's files (immediate emails by X-Fedmsg-Id,
// digest emails by the items they list), the lines the IRC recipient read, and the events an
// SSE client (curl, resuming with Last-Event-ID after each restart) read from its feed.
// Blocking; runs on the calling thread (the servers are its children).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"
#include "tests/faults/chaos_schedule.h"

namespace fmn::faults {

// One notification as a server recorded it.
struct ChaosReception {
  std::string id;     // the msg_id it notifies of
  size_t epoch = 0;   // actions taken before the driver first saw it
  bool late = false;  // seen only after the settle wait, during the final stop
};

// One action as the driver took it.
struct ChaosEvent {
  size_t before = 0;
  ChaosAction action = ChaosAction::kSmtpAccept;
  double at_seconds = 0;  // since the first message was published
  std::string note;       // e.g. fmn-pipeline's exit summary after a SIGTERM
  // After a kill -9: when fmn last wrote to each outbox stream ("email", "irc", "sse"), Redis'
  // wall-clock milliseconds (the stream's last-generated-id); a kind missing: not known.
  std::map<std::string, int64_t> outbox_written_ms;
};

// What one destination of the run was to get and got.
struct ChaosDelivery {
  std::set<std::string> expected;        // msg_ids the reference interpreter matched
  std::vector<ChaosReception> received;  // in the order the driver saw them
  std::set<std::string> refused;         // refused with 5xx by the SMTP server (email kinds)
};

struct ChaosHistory {
  ChaosSchedule schedule;
  std::vector<std::string> published;           // msg_id of each message, in order
  std::vector<int64_t> published_ms;            // wall-clock ms taken just before each was sent
  std::vector<std::pair<size_t, size_t>> down;  // [first, end) messages fmn was not running for
  std::vector<ChaosEvent> events;
  // Each destination is one user's: ralph's immediate emails, jdoe's email digests (each item
  // a reception), decause's IRC lines, alice's SSE feed.
  ChaosDelivery email, digest, irc, sse;
  size_t sse_connections = 0;  // feed connections the SSE client made (one more per restart)
  double seconds = 0;          // the whole run
};

struct ChaosRunOptions {
  std::chrono::seconds quiet{10};   // the settle wait ends after this long without a delivery
  std::chrono::seconds settle{60};  // ... or this long after the last message at most
};

// An error only when the run could not be carried out (a server would not start).
Result<ChaosHistory> run_chaos(const ChaosSchedule& schedule, const ChaosRunOptions& options = {});

}  // namespace fmn::faults
