#include "pipeline/service.h"

#include <chrono>
#include <thread>

#include "core/log.h"
#include "core/thread_name.h"
#include "engine/rule_engine.h"
#include "pipeline/service_impl.h"
#include "pipeline/systemd_notify.h"

namespace fmn::pipeline {
namespace {

// Ends a source early when asked: the graph then drains what is in flight and returns.
class StoppableSource : public bus::Source {
 public:
  StoppableSource(bus::Source& inner, const std::atomic<bool>& stop) : inner_(inner), stop_(stop) {}
  bool next_batch(std::vector<bus::RawMessage>& out, size_t max) override {
    if (stop_.load(std::memory_order_relaxed)) return false;
    return inner_.next_batch(out, max) && !stop_.load(std::memory_order_relaxed);
  }

 private:
  bus::Source& inner_;
  const std::atomic<bool>& stop_;
};

log::Level parse_level(const std::string& s) {
  if (s == "debug") return log::Level::kDebug;
  if (s == "warn") return log::Level::kWarn;
  if (s == "error") return log::Level::kError;
  return log::Level::kInfo;
}

}  // namespace

Service::Service(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Service::~Service() {
  for (auto& w : impl_->workers) w->stop();
  if (impl_->recorder) impl_->recorder->stop();
  if (impl_->admin) impl_->admin->stop();
  if (impl_->web) impl_->web->stop();
}

Result<std::unique_ptr<Service>> Service::create(const ServiceConfig& config) {
  if (auto ok = validate(config); !ok) return ok.error();
  log::configure(parse_level(config.log_level),
                 config.log_format == "json" ? log::Format::kJson : log::Format::kText);
  auto impl = std::make_unique<Impl>();
  impl->config = config;

  auto meta = MetaExtractor::builtin(builtin_aliases());
  if (!meta) return meta.error();
  impl->meta = std::move(meta).value();
  if (config.validate_signatures) {
    auto verifier = SignatureVerifier::create(config.ca_cert, config.crl);
    if (!verifier) return verifier.error();
    impl->signatures = std::move(verifier).value();
    log::info("signatures_checked", {{"ca_cert", config.ca_cert}, {"crl", config.crl}});
  }

  engine::EngineOptions engine_options;
  engine::parse_engine_mode(config.engine, engine_options.mode);
  auto engine = engine::RuleEngine::create(engine_options);
  if (!engine) return engine.error();
  impl->engine = std::move(engine).value();
  impl->matcher = std::make_unique<EngineMatcher>(*impl->engine);
  impl->rule_compiler = std::make_shared<dsl::RuleCompiler>(config.rule_cache);
  impl->preferences = std::make_unique<LivePreferences>(
      *impl->engine, Shard{config.shard_index, config.shard_count},
      !config.prefs_database.empty() ? "database"
      : config.prefs_file.empty()    ? "built-in"
                                     : config.prefs_file,
      impl->rule_compiler);
  if (auto ok = impl->open_preferences(); !ok) return ok.error();
  auto secret = link_secret(config);
  if (!secret) return secret.error();
  impl->link_secret = std::move(secret).value();
  if (auto ok = impl->open_sinks(); !ok) return ok.error();
  if (auto ok = impl->open_recent_messages(); !ok) return ok.error();
  if (!config.web_listen.empty()) {
    Impl* self = impl.get();
    auto web = open_web_app(
        config, impl->link_secret, impl->rule_compiler, impl->recent,
        [self](const sinks::ConfirmationRequest& r) { return self->router.send_confirmation(r); },
        [self](const Notification& n) { return self->router.send_single(n); }, impl->history,
        impl->registry);
    if (!web) return web.error();
    impl->web = std::move(web).value();
    impl->answers.store(impl->web.get());
  }

  if (auto ok = impl->open_source(); !ok) return ok.error();
  if (!config.admin_listen.empty()) {
    if (auto ok = impl->listen_admin(); !ok) return ok.error();
  }
  return std::unique_ptr<Service>(new Service(std::move(impl)));
}

void Service::request_stop() {
  if (!impl_->stop.exchange(true)) systemd_notify("STOPPING=1");
  impl_->source->stop();  // an idle bus or stdin does not hold the stop up
  for (auto& w : impl_->workers) w->give_up_holding();  // nor Redis away, with a broker source
}

void Service::request_reload() { impl_->reload.store(true); }

ServiceSummary Service::run() {
  Impl& s = *impl_;
  AdmissionStage admit(s.stats, s.config.dedupe_window, s.recent_recorder.get());
  s.register_metrics(admit);
  s.probe_dependencies();
  if (s.admin) {
    s.admin->serve();
    log::info("admin_listening",
              {{"address", s.config.admin_listen.substr(0, s.config.admin_listen.rfind(':'))},
               {"port", s.admin->port()}});
  }
  systemd_notify("READY=1");

  // A broker source acknowledges a message only once its notifications are in the outbox (or,
  // without one, with the sinks).
  std::optional<Settlement> settlement;
  if (s.amqp != nullptr) {
    std::vector<const SinkWorker*> workers;
    for (const auto& w : s.workers) workers.push_back(w.get());
    settlement.emplace(std::move(workers),
                       [amqp = s.amqp](std::span<const uint64_t> done) { amqp->settle(done); });
    s.settlement = &*settlement;
    s.amqp->set_waiting_hook([&settlement] { settlement->poll(); });
  }

  std::atomic<bool> done{false};
  std::thread housekeeper([&] { s.housekeeping(done); });
  name_thread(housekeeper, "housekeeping");

  auto parse_error = [](const std::string& what) { log::warn("parse_error", {{"detail", what}}); };
  auto signature_rejected = [](const Message& m, const SignatureCheck& check) {
    log::warn("signature_rejected", {{"msg_id", m.msg_id},
                                     {"topic", m.topic},
                                     {"reason", outcome_name(check.outcome)},
                                     {"detail", check.detail}});
  };
  ParseStage parse(*s.meta, s.stats, parse_error, {s.signatures.get(), signature_rejected});
  StoppableSource source(*s.source, s.stop);
  GraphOptions graph{s.config.batch_size, s.config.max_in_flight, s.latency, s.settlement};
  auto start = std::chrono::steady_clock::now();
  run_graph(source, parse, *s.matcher, s.router, s.stats, graph, &admit);
  for (auto& w : s.workers) w->stop();  // delivers what is queued
  if (s.recorder) s.recorder->stop();   // writes what they recorded
  if (settlement) {
    s.amqp->set_waiting_hook({});
    settlement->poll();
    s.amqp->finish();  // the last acks
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  done.store(true);
  housekeeper.join();
  s.settlement = nullptr;

  bus::SequenceStats seq = admit.sequence_stats();
  ServiceSummary summary{s.stats.received.load(),
                         s.stats.parse_errors.load(),
                         s.stats.duplicates.load(),
                         s.stats.notifications.load(),
                         s.router.unrouted(),
                         seq.gaps,
                         seq.missing,
                         seconds,
                         {}};
  for (const auto& w : s.workers) {
    summary.undelivered.emplace_back(std::string(w->sink().name()), w->undelivered());
    if (w->has_outbox()) {
      summary.left_in_outbox.emplace_back(std::string(w->sink().name()), w->left_in_outbox());
    }
  }
  return summary;
}

}  // namespace fmn::pipeline
