// run_chaos: one randomized fault run against the real servers, recorded as a history for
// check_history (chaos_history.h) to judge.
//
// It starts PostgreSQL (preferences), Redis (state, append-only file on), the SMTP recorder,
// ngIRCd with a recipient connected, a ZeroMQ publisher and fmn-pipeline; publishes the first
// `schedule.messages` corpus messages at `schedule.rate` per second, taking each scheduled action
// before the message it is placed at; then waits for the deliveries to settle and stops
// fmn-pipeline with SIGTERM. Everything a history says was delivered comes from the servers'
// own records: the SMTP recorder's files and the lines the IRC recipient read.
// Blocking; runs on the calling thread (the servers are its children).
#pragma once

#include <chrono>
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
};

struct ChaosHistory {
  ChaosSchedule schedule;
  std::vector<std::string> published;           // msg_id of each message, in order
  std::set<std::string> email_expected;         // the interpreter's matches, email destination
  std::set<std::string> irc_expected;           // ... IRC destination
  std::vector<std::pair<size_t, size_t>> down;  // [first, end) messages fmn was not subscribed for
  std::vector<ChaosEvent> events;
  std::vector<ChaosReception> email;  // accepted by the SMTP server, in order
  std::vector<ChaosReception> irc;    // PRIVMSGs the recipient read, in order
  std::set<std::string> refused;      // emails the SMTP server refused with 5xx
  double seconds = 0;                 // the whole run
};

struct ChaosRunOptions {
  std::chrono::seconds quiet{10};   // the settle wait ends after this long without a delivery
  std::chrono::seconds settle{60};  // ... or this long after the last message at most
};

// An error only when the run could not be carried out (a server would not start).
Result<ChaosHistory> run_chaos(const ChaosSchedule& schedule, const ChaosRunOptions& options = {});

}  // namespace fmn::faults
