// fmn-replay: plays a recorded JSON-lines corpus onto a ZeroMQ PUB endpoint as fedmsg traffic,
// like fedmsg-logger/fedmsg-relay, or onto a RabbitMQ broker as fedora-messaging messages
// (--amqp), for demos, tests and benches. Flags only; the work is in bus/replayer.h and
// bus/amqp_publisher.h.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>

#include "bus/amqp_publisher.h"
#include "bus/replayer.h"
#include "bus/zmq_publisher.h"
#include "core/version.h"

int main(int argc, char** argv) {
  CLI::App app{
      "fmn-replay: publishes a JSON-lines corpus of fedmsg envelopes on ZeroMQ (two frames: "
      "topic, JSON), rewriting msg_id, i and timestamp so every message is new."};
  std::string corpus_path;
  fmn::bus::ZmqPublisherOptions publisher;
  fmn::bus::ReplayOptions replay;
  double rate = 0;
  double speed = 0;
  size_t wait_subscriptions = 0;
  int wait_timeout_ms = 10000;
  int linger_ms = 5000;
  bool allow_drop = false;
  bool quiet = false;
  app.add_option("corpus", corpus_path, "JSON-lines file, one envelope a line (- for stdin)")
      ->required();
  app.add_option("--bind", publisher.bind,
                 "Endpoint to bind, e.g. tcp://127.0.0.1:9940 (tcp://127.0.0.1:* picks a port; "
                 "the bound endpoint is printed)");
  app.add_option("--connect", publisher.connect, "Endpoint to connect to, e.g. a relay's SUB");
  fmn::bus::AmqpPublisherOptions amqp;
  app.add_option("--amqp", amqp.url,
                 "Publish to this RabbitMQ broker instead (amqp:// or amqps://), as "
                 "fedora-messaging does: amq.topic, routing key = topic, persistent, headers");
  app.add_option("--amqp-ca", amqp.tls.ca_cert, "amqps: CA certificate (PEM) of the broker");
  app.add_option("--amqp-cert", amqp.tls.client_cert, "amqps: client certificate (PEM)");
  app.add_option("--amqp-key", amqp.tls.client_key, "amqps: the client certificate's key (PEM)");
  app.add_option("--rate", rate, "Messages per second; 0 sends as fast as possible")
      ->capture_default_str();
  app.add_option("--speed", speed,
                 "Pace by the recorded timestamps, this many times faster than recorded "
                 "(gaps capped at 10 s); overrides --rate");
  app.add_option("--loops", replay.loops, "Times to play the corpus")->capture_default_str();
  app.add_option("--skip-seq", replay.skip_seq_at,
                 "Message numbers (1-based over the run) before which the publisher skips one "
                 "\"i\" value, to inject gaps");
  app.add_option("--run-id", replay.run_id, "Run id in generated msg_ids (default: random)");
  app.add_option("--wait-subscribers", wait_subscriptions,
                 "Wait until this many subscriptions are active before sending")
      ->capture_default_str();
  app.add_option("--wait-timeout", wait_timeout_ms, "Give up waiting for subscribers after (ms)")
      ->capture_default_str();
  app.add_option("--hwm", publisher.sndhwm, "Messages queued per subscriber; 0 = unlimited")
      ->capture_default_str();
  app.add_option("--linger", linger_ms, "On exit, time given to queued messages to leave (ms)")
      ->capture_default_str();
  app.add_flag("--allow-drop", allow_drop,
               "Drop messages for a subscriber whose queue is full instead of waiting for it");
  app.add_flag("-q,--quiet", quiet, "Print only errors");
  app.set_version_flag("--version", std::string("fmn-replay ") + fmn::kVersion);
  CLI11_PARSE(app, argc, argv);

  if (speed > 0) {
    replay.pacing = fmn::bus::PacingOptions::recorded(speed);
  } else if (rate > 0) {
    replay.pacing = fmn::bus::PacingOptions::fixed_rate(rate);
  }
  publisher.block_when_full = !allow_drop;
  publisher.linger = std::chrono::milliseconds(linger_ms);

  auto corpus = fmn::bus::ReplayCorpus::load_file(corpus_path);
  if (!corpus) {
    std::fprintf(stderr, "fmn-replay: %s\n", corpus.error().message.c_str());
    return 1;
  }
  if (!amqp.url.empty()) {
    auto meta = fmn::MetaExtractor::builtin(fmn::builtin_aliases());
    if (!meta) {
      std::fprintf(stderr, "fmn-replay: %s\n", meta.error().message.c_str());
      return 1;
    }
    auto broker = fmn::bus::AmqpPublisher::create(amqp, **meta);
    if (!broker) {
      std::fprintf(stderr, "fmn-replay: %s\n", broker.error().message.c_str());
      return 1;
    }
    fmn::bus::Replayer replayer(*corpus, replay);
    fmn::bus::AmqpPublisher& out = **broker;
    auto summary = replayer.run(
        [&](std::string_view topic, std::string_view payload) { return out.send(topic, payload); });
    bool confirmed = out.flush();
    if (!quiet) {
      std::printf("fmn-replay: published %llu messages to the broker, %llu failed, %s, in %.3f s\n",
                  static_cast<unsigned long long>(summary.sent),
                  static_cast<unsigned long long>(summary.failed),
                  confirmed ? "all confirmed" : "NOT all confirmed", summary.seconds);
    }
    return summary.failed == 0 && confirmed ? 0 : 2;
  }
  auto pub = fmn::bus::ZmqPublisher::create(publisher);
  if (!pub) {
    std::fprintf(stderr, "fmn-replay: %s\n", pub.error().message.c_str());
    return 1;
  }
  for (const std::string& endpoint : (*pub)->endpoints()) {
    if (!quiet) std::printf("fmn-replay: bound %s\n", endpoint.c_str());
  }
  std::fflush(stdout);
  if (wait_subscriptions > 0) {
    size_t seen = (*pub)->wait_for_subscriptions(wait_subscriptions,
                                                 std::chrono::milliseconds(wait_timeout_ms));
    if (seen < wait_subscriptions) {
      std::fprintf(stderr, "fmn-replay: %zu of %zu subscriptions after %d ms; giving up\n", seen,
                   wait_subscriptions, wait_timeout_ms);
      return 1;
    }
  }
  fmn::bus::Replayer replayer(*corpus, replay);
  fmn::bus::ZmqPublisher& socket = **pub;
  auto summary = replayer.run([&](std::string_view topic, std::string_view payload) {
    return socket.send(topic, payload);
  });
  if (!quiet) {
    std::printf(
        "fmn-replay: sent %llu messages (%u loop%s of %zu records, %zu publishers), %llu failed, "
        "%llu i values skipped, in %.3f s (%.0f msg/s); run id %016llx\n",
        static_cast<unsigned long long>(summary.sent), summary.loops, summary.loops == 1 ? "" : "s",
        corpus->records().size(), corpus->publishers().size(),
        static_cast<unsigned long long>(summary.failed),
        static_cast<unsigned long long>(summary.skipped_seq), summary.seconds,
        summary.seconds > 0 ? static_cast<double>(summary.sent) / summary.seconds : 0.0,
        static_cast<unsigned long long>(replayer.run_id()));
  }
  return summary.failed == 0 ? 0 : 2;
}
