// ChaosSchedule: the faults of one randomized run, drawn from a seed, as a list of actions
// placed between the messages the driver publishes ("before message 17, 0.62 of the way from
// message 16: kill -9 fmn-pipeline"). Placing faults by message index and a phase within the
// gap rather than by absolute time makes a run replayable: the same seed, or the same saved
// schedule, gives the same actions at the same points of the stream. The phase makes a fault's
// moment random relative to the work a publish sets off: a fault taken right after each
// publish would meet that message's deliveries mid-exchange far more often than a crash does.
// Plain values; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace fmn::faults {

// One action of the driver. Faults that last (fmn down, SMTP refusing, SMTP slow) are a pair
// of actions: the fault, then its end.
#define FMN_CHAOS_ACTIONS(X)                                                                   \
  X(kKillPipeline, "kill-9-pipeline")     /* SIGKILL fmn-pipeline (stays down) */              \
  X(kStopPipeline, "sigterm-pipeline")    /* SIGTERM, wait for its exit */                     \
  X(kStartPipeline, "start-pipeline")     /* start it again, wait for its subscription */      \
  X(kRestartRedis, "restart-redis")       /* clean stop, then start on the same data */        \
  X(kRestartPostgres, "restart-postgres") /* fast shutdown, then start */                      \
  X(kRestartSmtp, "restart-smtp")                                                              \
  X(kRestartIrc, "restart-ngircd")          /* the recipient reconnects after */               \
  X(kRestartPublisher, "restart-publisher") /* rebind, wait for fmn to resubscribe */          \
  X(kRestartBroker, "restart-rabbitmq")     /* clean stop, start, wait for fmn to reconnect */ \
  X(kSmtpTempfail, "smtp-4xx")              /* 421 to every RCPT until kSmtpAccept */          \
  X(kSmtpRefuse, "smtp-5xx")                /* 554 to every message until kSmtpAccept */       \
  X(kSmtpSlow, "smtp-slow")                 /* two seconds per message until kSmtpAccept */    \
  X(kSmtpAccept, "smtp-accept")

enum class ChaosAction {
#define FMN_CHAOS_ENUM(name, text) name,
  FMN_CHAOS_ACTIONS(FMN_CHAOS_ENUM)
#undef FMN_CHAOS_ENUM
};

std::string_view action_name(ChaosAction action);
Result<ChaosAction> parse_action(std::string_view name);

// The bus a run publishes on. Over ZeroMQ a message published while fmn is not subscribed is
// gone; over AMQP (fedora-messaging on RabbitMQ: a durable queue, persistent messages, publisher
// confirms) the broker keeps it until fmn acknowledges it, so nothing may be missing.
enum class ChaosSource { kZeroMq, kAmqp };

std::string_view source_name(ChaosSource source);  // "zeromq", "amqp"
Result<ChaosSource> parse_source(std::string_view name);

struct ScheduledAction {
  size_t before = 0;  // taken before publishing message `before` (0-based); messages: at the end
  ChaosAction action = ChaosAction::kSmtpAccept;
  // Where in the gap between publishing message `before - 1` and message `before`, as a
  // fraction of the gap in [0, 1): 0 is right after the previous publish. An action that
  // finds the driver already past its moment (an earlier action took long) is taken at once.
  double phase = 0;
};

struct ChaosSchedule {
  uint64_t seed = 0;
  ChaosSource source = ChaosSource::kZeroMq;
  size_t messages = 0;                   // corpus messages published
  double rate = 0;                       // messages per second
  std::vector<ScheduledAction> actions;  // ordered by `before`; lasting faults never overlap
};

struct ChaosShape {
  size_t messages = 150;
  double rate = 20;
  size_t faults = 4;  // faults per run (a lasting one counts once)
  ChaosSource source = ChaosSource::kZeroMq;
};

// The schedule seed `seed` gives: `shape.faults` faults drawn uniformly among the kinds above,
// at points drawn uniformly in the stream, one after another (a lasting fault ends before the
// next begins, within 5 to 40 messages of its start). Over AMQP the publisher's restart is the
// broker's (kRestartBroker); the draws are the same, so a seed places the same faults on both.
// The phases are drawn after the faults, uniformly, so adding them left every seed's faults
// and their places as they were.
ChaosSchedule draw_schedule(uint64_t seed, const ChaosShape& shape);

// {"seed", "source", "messages", "rate", "actions": [{"before", "action", "phase"}]}, and back
// (a schedule without "source" is ZeroMQ's; an action without "phase" is taken right after the
// previous publish, as schedules saved before phases were).
std::string schedule_json(const ChaosSchedule& schedule);
Result<ChaosSchedule> parse_schedule(std::string_view json);

}  // namespace fmn::faults
