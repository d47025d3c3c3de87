#include <map>

#include "core/metrics.h"
#include "engine/rule_engine.h"
#include "pipeline/amqp_intake.h"
#include "pipeline/service_impl.h"

namespace fmn::pipeline {

void Service::Impl::register_metrics(AdmissionStage& admit) {
  auto counter = [&](const char* name, const char* help, std::function<double()> fn) {
    registry.counter_fn(name, help, std::move(fn));
  };
  auto gauge = [&](const char* name, const char* help, std::function<double()> fn) {
    registry.gauge_fn(name, help, std::move(fn));
  };
  // Counters kept by the stages themselves, exposed at scrape time.
  counter("fmn_messages_received_total", "Messages read from the source.",
          [this] { return static_cast<double>(stats.received.load()); });
  counter("fmn_parse_errors_total", "Messages rejected as malformed.",
          [this] { return static_cast<double>(stats.parse_errors.load()); });
  counter("fmn_meta_fallback_messages_total",
          "Messages whose topic no meta table names: their meta came from the fallback rules.",
          [this] { return static_cast<double>(meta->fallback_count()); });
  counter("fmn_duplicates_total", "Messages dropped as duplicates (by msg_id).",
          [this] { return static_cast<double>(stats.duplicates.load()); });
  counter("fmn_notifications_total", "Notifications produced by matching.",
          [this] { return static_cast<double>(stats.notifications.load()); });
  counter("fmn_notifications_unrouted_total", "Notifications for a destination kind with no sink.",
          [this] { return static_cast<double>(router.unrouted()); });
  counter("fmn_notifications_muted_total",
          "Notifications dropped because their destination or user was muted.",
          [this] { return static_cast<double>(router.muted()); });
  if (zmq != nullptr) {
    counter("fmn_bus_malformed_total",
            "Bus messages dropped because they had more than two frames.",
            [this] { return static_cast<double>(zmq->stats().malformed); });
  }
  counter("fmn_sequence_gaps_total", "Gaps in publishers' sequence numbers.",
          [&admit] { return static_cast<double>(admit.sequence_stats().gaps); });
  counter("fmn_sequence_missing_total", "Messages missed according to sequence numbers.",
          [&admit] { return static_cast<double>(admit.sequence_stats().missing); });
  counter("fmn_sequence_restarts_total", "Publisher restarts seen in sequence numbers.",
          [&admit] { return static_cast<double>(admit.sequence_stats().restarts); });
  if (signatures) {
    for (SignatureOutcome reason :
         {SignatureOutcome::kUnsigned, SignatureOutcome::kBadSignature,
          SignatureOutcome::kUntrustedCertificate, SignatureOutcome::kMalformed}) {
      const auto& rejected = stats.signature_rejected[static_cast<size_t>(reason)];
      registry.counter_fn("fmn_signature_rejected_total",
                          "Messages dropped because their fedmsg signature did not verify.",
                          [&rejected] { return static_cast<double>(rejected.load()); },
                          {{"reason", std::string(outcome_name(reason))}});
    }
  }
  if (amqp != nullptr) register_amqp_metrics(registry, *amqp);
  register_recent_metrics();
  gauge("fmn_rule_generation", "Rule engine generations published.",
        [this] { return static_cast<double>(engine->stats().generations); });
  gauge("fmn_rules_interned", "Distinct rules held by the engine.",
        [this] { return static_cast<double>(engine->stats().rules_interned); });
  gauge("fmn_users", "Users of this shard whose rules are loaded.",
        [this] { return static_cast<double>(preferences->totals().users); });
  gauge("fmn_user_rules", "Users' rules loaded (a rule shared by many users counts for each).",
        [this] { return static_cast<double>(preferences->totals().rules); });
  gauge("fmn_rules_rejected", "Rules left out because they did not compile.",
        [this] { return static_cast<double>(preferences->totals().rules_rejected); });
  counter("fmn_preference_loads_total", "Whole populations of preferences applied.",
          [this] { return static_cast<double>(preferences->loads()); });
  counter("fmn_reload_failures_total", "Reloads (SIGHUP) whose preferences could not be read.",
          [this] { return static_cast<double>(reload_failures.load()); });
  gauge("fmn_last_reload_success",
        "0 while the last reload failed (matching runs on the rules loaded before), else 1.",
        [this] { return last_reload_ok.load() ? 1.0 : 0.0; });
  counter("fmn_preference_user_updates_total",
          "Users whose preferences changed and were applied one by one (change feed).",
          [this] { return static_cast<double>(preferences->user_updates()); });
  if (pg_listener) {
    gauge("fmn_preferences_store_up",
          "1 while the preferences database answers, 0 while matching runs on the last rules.",
          [this] { return preferences->store_healthy() ? 1.0 : 0.0; });
    counter("fmn_preferences_store_errors_total",
            "Failures to reach or read the preferences database.",
            [this] { return static_cast<double>(preferences->store_failures()); });
  }
  const char* stage_help = "Time a stage spends on one batch of messages.";
  latency.parse = &registry.histogram("fmn_stage_seconds", stage_help, metrics::latency_buckets(),
                                      {{"stage", "parse"}});
  latency.match = &registry.histogram("fmn_stage_seconds", stage_help, metrics::latency_buckets(),
                                      {{"stage", "match"}});
  latency.deliver = &registry.histogram("fmn_stage_seconds", stage_help, metrics::latency_buckets(),
                                        {{"stage", "deliver"}});
  latency.total = &registry.histogram(
      "fmn_pipeline_latency_seconds",
      "From the source handing a batch over to its notifications being in the sink queues.",
      metrics::latency_buckets());
  // A destination kind's counters are kept by several sinks (its batcher and the sink behind
  // it): each series sums them, so it appears once per kind.
  std::map<std::string, std::vector<const sinks::SinkCounters*>> by_kind;
  for (const auto& s : sinks) by_kind[std::string(s->name())].push_back(&s->counters());
  using Field = std::atomic<uint64_t> sinks::SinkCounters::*;
  auto sink_counter = [&](const char* name, const char* help, Field field) {
    for (const auto& [kind, counters] : by_kind) {
      registry.counter_fn(name, help,
                          [counters, field] {
                            uint64_t total = 0;
                            for (const sinks::SinkCounters* c : counters)
                              total += (c->*field).load();
                            return static_cast<double>(total);
                          },
                          {{"sink", kind}});
    }
  };
  sink_counter("fmn_delivered_total", "Notifications or digests a destination accepted.",
               &sinks::SinkCounters::delivered);
  sink_counter("fmn_retried_total", "Delivery attempts that will be retried.",
               &sinks::SinkCounters::retried);
  sink_counter("fmn_failed_total", "Deliveries given up.", &sinks::SinkCounters::failed);
  sink_counter("fmn_dropped_total", "Notifications dropped by a full queue.",
               &sinks::SinkCounters::dropped);
  sink_counter("fmn_truncated_total",
               "Notifications delivered cut short: larger than the sink's event size limit.",
               &sinks::SinkCounters::truncated);
  if (recorder) {
    counter("fmn_history_records_total", "Delivery records written to the users' history.",
            [this] { return static_cast<double>(recorder->written()); });
    counter("fmn_history_dropped_total",
            "Delivery records dropped because the history writer's queue was full.",
            [this] { return static_cast<double>(recorder->dropped()); });
    counter("fmn_history_errors_total",
            "Delivery records lost because the history store refused the write.",
            [this] { return static_cast<double>(recorder->errors()); });
  }
}

}  // namespace fmn::pipeline
