// Service::Impl: what a running Service holds, shared by the files that build and run it, one
// concept each: service.cpp (create, run, stop), service_source.cpp (which source),
// service_preferences.cpp (the store and loading), service_sinks.cpp (sinks, batchers, outboxes,
// workers, routes), service_metrics.cpp (the /metrics series), service_housekeeping.cpp
// (readiness checks, dependency probes, reloads and progress on the housekeeping thread) and
// service_dead_letters.cpp (listing, replaying and trimming the outboxes' dead letters).
// Private to pipeline/: only those files include it.
//
// Built by Service::create() on one thread; afterwards the atomics are shared with the
// housekeeping thread, the sinks' workers and the admin server, everything else is read-only.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bus/amqp_source.h"
#include "bus/source.h"
#include "bus/zmq_source.h"
#include "core/meta_extractor.h"
#include "core/metrics.h"
#include "core/signature_verifier.h"
#include "pipeline/admin_server.h"
#include "pipeline/delivery_failures.h"
#include "pipeline/delivery_router.h"
#include "pipeline/engine_matcher.h"
#include "pipeline/graph.h"
#include "pipeline/history_recorder.h"
#include "pipeline/live_preferences.h"
#include "pipeline/recent_recorder.h"
#include "pipeline/recorded_sink.h"
#include "pipeline/redis_completion_log.h"
#include "pipeline/service.h"
#include "pipeline/settlement.h"
#include "pipeline/sink_worker.h"
#include "pipeline/web_front.h"
#include "prefs/file_watcher.h"
#include "prefs/pg_change_listener.h"
#include "sinks/delivery_history.h"
#include "sinks/digest_store.h"
#include "sinks/redis_outbox.h"

namespace fmn::pipeline {

struct Service::Impl {
  ServiceConfig config;
  metrics::Registry registry;
  DeliveryFailures failures{registry};  // logs and counts the deliveries the sinks give up
  PipelineStats stats;
  std::atomic<bool> stop{false};
  std::atomic<bool> reload{false};
  std::atomic<bool> bus_reachable{false}, redis_reachable{false};  // cached probe answers
  std::atomic<uint64_t> reload_failures{0};
  std::atomic<bool> last_reload_ok{true};  // false from a failed reload until one succeeds
  bool probed = false;  // probe_dependencies() ran once; housekeeping thread after run() starts
  StageLatency latency;

  std::unique_ptr<MetaExtractor> meta;
  std::unique_ptr<SignatureVerifier> signatures;  // null: signatures not checked
  std::unique_ptr<bus::Source> source;
  bus::ZmqSource* zmq = nullptr;                       // the source, when it is the bus
  bus::AmqpSource* amqp = nullptr;                     // the source, when it is fedora-messaging
  std::unique_ptr<RedisCompletionLog> completion_log;  // the AMQP source's, with Redis
  Settlement* settlement = nullptr;                    // while run() runs, for an AMQP source
  std::unique_ptr<engine::RuleEngine> engine;
  std::unique_ptr<EngineMatcher> matcher;

  // Compiles stored rules once for validation and the population alike.
  std::shared_ptr<dsl::RuleCompiler> rule_compiler;
  std::unique_ptr<LivePreferences> preferences;
  std::unique_ptr<prefs::PreferenceStore> store;  // PostgreSQL or a file; none: built-in
  std::unique_ptr<prefs::PgChangeListener> pg_listener;
  std::unique_ptr<prefs::FileWatcher> file_watcher;  // follows the preferences file

  // Each user's last deliveries, written by the recorder (for the sinks) and read by the web
  // app; the recorder outlives the workers and the sinks that record.
  std::shared_ptr<sinks::DeliveryHistory> history;
  std::unique_ptr<HistoryRecorder> recorder;
  // One per batcher: a store is used from one thread at a time, each batcher from its worker's.
  std::vector<std::unique_ptr<sinks::DigestStore>> digest_stores;
  std::vector<std::unique_ptr<sinks::Sink>> sinks;      // owned sinks, batchers included
  std::vector<std::unique_ptr<RecordedSink>> recorded;  // around them; not counted as sinks
  // One per destination kind with a sink, when Redis is configured; outlive the workers.
  std::vector<std::unique_ptr<sinks::RedisOutbox>> outboxes;
  std::vector<std::unique_ptr<SinkWorker>> workers;
  // Drops what arrives while its destination is muted, noting it in the history.
  DeliveryRouter router{SystemClock::instance(), [this](const Notification& n) {
                          if (recorder) recorder->record(n, sinks::DeliveryStatus::kMuted);
                        }};
  std::unique_ptr<AdminServer> admin;
  std::string link_secret;  // signs unsubscribe links; never logged
  std::unique_ptr<web::WebApp> web;
  // The web app, once it runs: its store records the confirmation answers sinks receive
  // (apply_answer()). Read from the sinks' threads, which stop before the web app goes.
  std::atomic<web::WebApp*> answers{nullptr};
  // The recent-message store: the ring the web app previews over (with the web app only), its
  // copy in Redis (with state.redis), and the recorder that fills both; none with
  // recent.max_messages = 0.
  std::shared_ptr<sinks::RecentMessages> recent;
  std::unique_ptr<RecentRecorder> recent_recorder;

  // Starts the recorder when the configuration asks for a store.
  Result<bool> open_recent_messages();

  // Connects to the preferences database and starts listening to its changes.
  Result<bool> open_preferences_database();
  // Loads the preferences; a file is then followed as it changes.
  Result<bool> open_preferences();
  Result<prefs::Population> read_preferences();
  // Reads the preferences and hands them to `preferences`; returns what it read.
  Result<prefs::Population> load_preferences();
  // Opens the source the configuration names: the bus, a broker, a replay file or the demo.
  Result<bool> open_source();
  Result<bool> open_sinks();
  // A sink's confirmation answer applied to the preferences (the web app's store, so the one
  // writer of a preferences file stays one); kUnavailable without a web app.
  sinks::ConfirmationOutcome apply_answer(const sinks::ConfirmationAnswer& answer);
  // The handler `kind`'s sinks report failures to: logged, counted, and noted for the history.
  // `sink` wrapped to record in the history (recorded_sink.h).
  sinks::Sink& record(sinks::Sink& sink, RecordedSink::Records records);
  // `outbox`: that kind's, or null to keep its queue in memory only.
  SinkWorker& add_worker(sinks::Sink& sink, sinks::RedisOutbox* outbox = nullptr);
  // With Redis: its address (state.redis), the prefix the default.
  std::optional<sinks::RedisConfig> redis_config() const;
  // The admin listener's /dead-letters: every kind's, one tab-separated line each.
  Result<std::string> list_dead_letters(const std::string& user);
  // The admin listener's /dead-letters/replay: up to `limit` of each kind's dead letters
  // (only `user`'s when not empty), oldest first, delivered again; one line per kind.
  Result<std::string> replay_dead_letters(const std::string& user, size_t limit);
  // Applies each outbox's dead-letter retention (outbox.dead_letters_max, _max_age_days).
  void trim_dead_letters();
  Result<sinks::RedisOutbox*> open_outbox(const std::optional<sinks::RedisConfig>& redis,
                                          DestinationKind kind);
  void register_metrics(AdmissionStage& admit);
  void register_recent_metrics();
  // Takes the admin port, so that a taken port stops the start-up; serving begins in run().
  Result<bool> listen_admin();
  void probe_dependencies();
  // Until `done`: reloads when asked, probes dependencies, logs progress.
  void housekeeping(const std::atomic<bool>& done);
};

}  // namespace fmn::pipeline
