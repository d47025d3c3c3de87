#include <chrono>

#include "bus/file_source.h"
#include "bus/zmq_source.h"
#include "core/log.h"
#include "pipeline/amqp_intake.h"
#include "pipeline/service_impl.h"

namespace fmn::embedded {
std::string_view demo_corpus();
}  // namespace fmn::embedded

namespace fmn::pipeline {

Result<bool> Service::Impl::open_source() {
  bus::PacingOptions pacing;
  if (config.replay_rate > 0) pacing = bus::PacingOptions::fixed_rate(config.replay_rate);
  if (config.replay_speed > 0) pacing = bus::PacingOptions::recorded(config.replay_speed);
  const SourceKind kind = source_kind(config);
  if (kind == SourceKind::kDemo) {
    // validate() allows no source only without a configuration file.
    auto corpus = bus::FileSource::from_text(embedded::demo_corpus(), pacing);
    if (!corpus) return corpus.error();
    source = std::move(corpus).value();
    log::info("demo",
              {{"source", "the embedded recorded corpus (corpus/fedmsg-real.jsonl)"},
               {"hint", "--connect ENDPOINT subscribes to a bus, --replay FILE reads one"}});
  } else if (kind == SourceKind::kReplay) {
    auto file = bus::FileSource::open(config.replay, pacing);
    if (!file) return file.error();
    source = std::move(file).value();
  } else if (kind == SourceKind::kAmqp) {
    auto intake = open_amqp_intake(config);
    if (!intake) return intake.error();
    completion_log = std::move(intake->completion_log);
    amqp = intake->source.get();
    source = std::move(intake->source);
  } else {
    bus::ZmqSourceOptions options;
    options.connect = config.connect;
    options.topics = config.topics;
    options.rcvhwm = config.high_water_mark;
    options.batch_wait = std::chrono::microseconds(static_cast<int64_t>(config.batch_wait_us));
    auto bus = bus::ZmqSource::create(options);
    if (!bus) return bus.error();
    zmq = bus->get();
    source = std::move(bus).value();
  }
  return true;
}

}  // namespace fmn::pipeline
