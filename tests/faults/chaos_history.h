// check_history: the verdict on one chaos run (chaos_run.h), Jepsen-style: every notification
// the servers recorded is compared with the set the reference interpreter expects, and each
// difference is classified.
//
// - not_received: expected, but published while fmn-pipeline was not subscribed (killed,
//   stopped, restarting). ZeroMQ PUB/SUB keeps nothing for an absent subscriber: gone by the
//   bus's design, counted apart. So is one published before a kill -9 but after fmn's last
//   write to its outbox stream (`not_accepted`, part of `not_received`): fmn never had it.
// - refused: an email the SMTP server refused with 5xx (fmn gives it up, as promised).
// - lost: expected, published while fmn was subscribed, never delivered. Each carries a reason;
//   `known_limit` marks a loss docs/reliability.md lists as a known limit (a notification held
//   in memory at a kill -9 or left undelivered at a SIGTERM; one processed while Redis restarted,
//   at most once). Any other loss is a broken promise.
// - Over AMQP (schedule.source) the broker keeps what fmn has not acknowledged, and fmn
//   acknowledges a message only once its notifications are in the outbox: nothing is
//   not_received, and every loss is a broken promise (no known limit applies).
// - duplicated: delivered more than once; `duplicated_unconfirmed` counts those where a fault
//   between the deliveries could have kept fmn from reading the server's confirmation (the
//   server or fmn restarted, or the SMTP server answered slowly), which the design allows.
// - late: delivered only after the settle wait, during the final stop.
// Plain functions; thread-compatible.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tests/faults/chaos_run.h"

namespace fmn::faults {

struct ChaosFinding {
  std::string kind;  // "lost", "duplicated", "late"
  std::string sink;  // "email", "digest", "irc" or "sse"
  std::string id;
  std::string reason;
  bool allowed = false;  // a known limit (lost) or an unconfirmed duplicate
};

struct ChaosVerdict {
  size_t expected = 0;
  size_t delivered = 0;
  size_t not_received = 0;
  size_t not_accepted =
      0;  // of `not_received`: published after the last outbox write before a kill
  size_t refused = 0;
  size_t lost = 0;
  size_t lost_known_limit = 0;  // of `lost`
  size_t duplicated = 0;
  size_t duplicated_unconfirmed = 0;  // of `duplicated`
  size_t late = 0;
  size_t unexpected = 0;  // delivered but not expected at all
  std::vector<ChaosFinding> findings;

  // Each count above by its JSON name, in declaration order.
  std::vector<std::pair<const char*, size_t>> counts() const;
  // Adds `other`'s counts to these (findings stay apart: they name one run's notifications).
  void add_counts(const ChaosVerdict& other);

  // A promise broken: a loss that is not a known limit, a duplicate with a confirmation, or an
  // unexpected delivery.
  bool broken() const {
    return lost > lost_known_limit || duplicated > duplicated_unconfirmed || unexpected > 0;
  }
  // Anything worth replaying: broken(), or any loss, duplicate or late delivery.
  bool failed() const { return broken() || lost > 0 || duplicated > 0 || late > 0; }
};

ChaosVerdict check_history(const ChaosHistory& history);

// One JSON object: the schedule (replayable with parse_schedule), the events as taken, the
// verdict's counts and findings.
std::string run_json(const ChaosHistory& history, const ChaosVerdict& verdict);

}  // namespace fmn::faults
