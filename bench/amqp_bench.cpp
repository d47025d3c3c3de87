// fmn-bench amqp: fedora-messaging consumption from a local RabbitMQ. Each repetition preloads
// two durable queues with the same corpus messages (published as fmn-replay --amqp does), then
// drains one with a no-op consumer (rabbitmq-c, the same library, acking every batch with
// `multiple`) and the other with fmn: the AMQP source, parse + meta, admission, the rule engine,
// the delivery router, a sink queue into a counting sink, and acks only once settled. The clock
// runs from the first delivery to the last ack. fmn's rate over the no-op's says whether the
// broker or fmn is the bound. The CPU each consumer used per message (all its threads) says the
// same on a machine busy with other work, where the rates measure who got the cores: fmn
// competes with the broker for them, the no-op consumer hardly does; fmn's is also printed by
// kind of thread (bench/thread_cpu.h: the reader, the stages, the sink). --isolate gives the broker
// the first CPU and the consumers the others, as when the broker runs on a host of its own:
// then the rates say whether the broker or the consumer is the bound, not who got the cores.
// Without --amqp a private broker is started (tests/support).
#include <amqp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <string>

#include "bench/bench_commands.h"
#include "bench/bench_report.h"
#include "bench/engine_setup.h"
#include "bench/thread_cpu.h"
#include "bus/amqp_connection.h"
#include "bus/amqp_publisher.h"
#include "bus/amqp_source.h"
#include "bus/replayer.h"
#include "pipeline/admission_stage.h"
#include "pipeline/delivery_router.h"
#include "pipeline/graph.h"
#include "pipeline/settlement.h"
#include "sinks/counting_sink.h"
#include "tests/support/cpu_affinity.h"
#include "tests/support/rabbitmq_server.h"

namespace fmn::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct AmqpFlags {
  EngineSetupFlags setup;
  std::string url;
  bool json = false;
  int repetitions = 3;
  uint64_t messages = 50000;
  uint16_t prefetch = 1000;
  bool isolate = false;
};

// The CPUs this thread may run on, split into the first and the rest; nullopt with fewer than 2.
struct CpuSplit {
  cpu_set_t first, rest;
};
std::optional<CpuSplit> split_cpus() {
  const cpu_set_t all = test::allowed_cpus();
  if (CPU_COUNT(&all) < 2) return std::nullopt;
  CpuSplit split{test::first_cpu(all), all};
  CPU_XOR(&split.rest, &all, &split.first);
  return split;
}

bool fail(const std::string& what) {
  std::fprintf(stderr, "fmn-bench amqp: %s\n", what.c_str());
  exit_status() = 1;
  return false;
}

// Declares `queue` bound to amq.topic for everything and publishes `count` corpus messages.
bool preload(const AmqpFlags& flags, const EngineSetup& setup, const std::string& queue,
             uint64_t count) {
  auto c =
      bus::AmqpConnection::open(flags.url, {}, std::chrono::seconds(0), std::chrono::seconds(10));
  if (!c) return fail(c.error().message);
  amqp_connection_state_t s = (*c)->state();
  amqp_queue_declare(s, bus::AmqpConnection::kChannel, amqp_cstring_bytes(queue.c_str()), 0, 1, 0,
                     0, amqp_empty_table);
  amqp_queue_purge(s, bus::AmqpConnection::kChannel, amqp_cstring_bytes(queue.c_str()));
  amqp_queue_bind(s, bus::AmqpConnection::kChannel, amqp_cstring_bytes(queue.c_str()),
                  amqp_cstring_bytes("amq.topic"), amqp_cstring_bytes("#"), amqp_empty_table);
  if (amqp_get_rpc_reply(s).reply_type != AMQP_RESPONSE_NORMAL) {
    return fail((*c)->last_error("declare " + queue));
  }
  auto publisher = bus::AmqpPublisher::create({flags.url}, setup.meta());
  if (!publisher) return fail(publisher.error().message);
  size_t n = setup.corpus().records().size();
  bus::ReplayOptions replay;
  replay.loops = static_cast<uint32_t>((count + n - 1) / n);
  bus::Replayer replayer(setup.corpus(), replay);
  uint64_t sent = 0;
  replayer.run([&](std::string_view topic, std::string_view payload) {
    return sent++ >= count || (*publisher)->send(topic, payload);
  });
  return (*publisher)->flush() || fail("the broker did not confirm the preload");
}

void drop_queue(const AmqpFlags& flags, const std::string& queue) {
  auto c =
      bus::AmqpConnection::open(flags.url, {}, std::chrono::seconds(0), std::chrono::seconds(10));
  if (c) {
    amqp_queue_delete((*c)->state(), bus::AmqpConnection::kChannel,
                      amqp_cstring_bytes(queue.c_str()), 0, 0);
  }
}

// A consumer's run and the CPU its process used for it.
struct Consumed {
  Run run;
  double cpu_seconds = 0;
  std::map<std::string, double> cpu_by_thread;  // seconds, by kind (bench/thread_cpu.h)
  double cpu_us_per_msg() const { return per_msg_us(cpu_seconds); }
  double per_msg_us(double seconds) const {
    return run.messages ? seconds * 1e6 / run.messages : 0;
  }
};

// The no-op consumer: takes deliveries and acks them, nothing else.
std::optional<Run> consume_noop(const AmqpFlags& flags, const std::string& queue, uint64_t count) {
  auto c =
      bus::AmqpConnection::open(flags.url, {}, std::chrono::seconds(30), std::chrono::seconds(10));
  if (!c) return fail(c.error().message), std::nullopt;
  amqp_connection_state_t s = (*c)->state();
  amqp_basic_qos(s, bus::AmqpConnection::kChannel, 0, flags.prefetch, 0);
  amqp_basic_consume(s, bus::AmqpConnection::kChannel, amqp_cstring_bytes(queue.c_str()),
                     amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
  Run run;
  Clock::time_point first{};
  uint64_t got = 0;
  while (got < count) {
    amqp_maybe_release_buffers(s);
    amqp_envelope_t e;
    timeval timeout{10, 0};
    if (amqp_consume_message(s, &e, &timeout, 0).reply_type != AMQP_RESPONSE_NORMAL) break;
    if (got++ == 0) first = Clock::now();
    run.bytes += e.message.body.len;
    if (got % 128 == 0 || got == count) {
      amqp_basic_ack(s, bus::AmqpConnection::kChannel, e.delivery_tag, 1);
    }
    amqp_destroy_envelope(&e);
  }
  run.messages = got;
  run.seconds = std::chrono::duration<double>(Clock::now() - first).count();
  return run;
}

// Ends the AMQP source after `count` messages and notes when the first arrived.
class CountedSource : public bus::Source {
 public:
  CountedSource(bus::Source& inner, uint64_t count) : inner_(inner), left_(count) {}
  bool next_batch(std::vector<bus::RawMessage>& out, size_t max) override {
    if (left_ == 0) return false;
    size_t before = out.size();
    bool more = inner_.next_batch(out, std::min<uint64_t>(max, left_));
    if (out.size() > before && first_ == Clock::time_point{}) first_ = Clock::now();
    left_ -= std::min<uint64_t>(left_, out.size() - before);
    return more && left_ > 0;
  }
  Clock::time_point first() const { return first_; }

 private:
  bus::Source& inner_;
  uint64_t left_;
  Clock::time_point first_{};
};

std::optional<Run> consume_fmn(const AmqpFlags& flags, const EngineSetup& setup,
                               const std::string& queue, uint64_t count, uint64_t& notifications) {
  bus::AmqpSourceOptions options;
  options.urls = {flags.url};
  options.queue = queue;
  options.prefetch = flags.prefetch;
  auto source = bus::AmqpSource::create(options);
  if (!source) return fail(source.error().message), std::nullopt;
  sinks::CountingSink sink;
  pipeline::SinkWorker worker(sink, 65536);
  pipeline::DeliveryRouter router;
  router.route_unrouted(worker);
  pipeline::PipelineStats stats;
  pipeline::ParseStage parse(setup.meta(), stats, [](const std::string&) {});
  pipeline::AdmissionStage admit(stats, 100000);
  bus::AmqpSource& amqp = **source;
  pipeline::Settlement settlement({&worker},
                                  [&amqp](std::span<const uint64_t> done) { amqp.settle(done); });
  amqp.set_waiting_hook([&settlement] { settlement.poll(); });
  CountedSource counted(amqp, count);
  pipeline::GraphOptions graph;
  graph.settlement = &settlement;
  pipeline::run_graph(counted, parse, setup.matcher(), router, stats, graph, &admit);
  worker.stop();
  settlement.poll();
  amqp.finish();
  auto end = Clock::now();
  Run run;
  run.messages = amqp.stats().acked;
  run.seconds = std::chrono::duration<double>(end - counted.first()).count();
  notifications += sink.counters().delivered.load();
  return run;
}

void run(AmqpFlags flags) {
  // Set before any thread starts: the broker (a child) inherits the first CPU, and every thread
  // of this process, oneTBB's included, the others.
  std::optional<CpuSplit> cpus;
  if (flags.isolate) {
    cpus = split_cpus();
    if (!cpus) return (void)fail("--isolate needs at least two CPUs");
    if (flags.url.empty()) test::run_on(cpus->first);
  }
  std::optional<test::RabbitMqServer> broker;
  if (flags.url.empty()) {
    auto started = test::RabbitMqServer::start();
    if (!started.ok()) return (void)fail(started.error().message);
    broker.emplace(std::move(started).value());
    flags.url = broker->url();
  }
  if (cpus) test::run_on(cpus->rest);
  auto setup = EngineSetup::create(flags.setup);
  if (!setup) return (void)fail(setup.error().message);
  (*setup)->print_population(stdout);
  std::printf(
      "amqp: %llu messages a repetition, prefetch %u, fmn vs a no-op consumer (rabbitmq-c)%s\n",
      static_cast<unsigned long long>(flags.messages), flags.prefetch,
      !cpus                ? ", sharing the CPUs with the broker"
      : broker.has_value() ? ", the broker on the first CPU and the consumers on the others"
                           : ", the consumers off the first CPU");
  std::vector<Run> fmn_runs, noop_runs;
  std::vector<double> fmn_cpu, noop_cpu;  // µs per message
  uint64_t notifications = 0, short_runs = 0;
  auto timed = [](auto consume) -> std::optional<Consumed> {
    ThreadCpuSampler threads;
    double start = process_cpu_seconds();
    std::optional<Run> run = consume();
    if (!run) return std::nullopt;
    const double cpu = process_cpu_seconds() - start;
    return Consumed{*run, cpu, threads.stop()};
  };
  for (int rep = 0; rep < flags.repetitions; ++rep) {
    const std::string noop_queue = "fmn-bench-noop", fmn_queue = "fmn-bench-fmn";
    if (!preload(flags, **setup, noop_queue, flags.messages)) return;
    auto noop = timed([&] { return consume_noop(flags, noop_queue, flags.messages); });
    drop_queue(flags, noop_queue);
    if (!preload(flags, **setup, fmn_queue, flags.messages)) return;
    auto fmn = timed(
        [&] { return consume_fmn(flags, **setup, fmn_queue, flags.messages, notifications); });
    drop_queue(flags, fmn_queue);
    if (!noop || !fmn) return;
    short_runs += (noop->run.messages != flags.messages) + (fmn->run.messages != flags.messages);
    noop_runs.push_back(noop->run);
    fmn_runs.push_back(fmn->run);
    noop_cpu.push_back(noop->cpu_us_per_msg());
    fmn_cpu.push_back(fmn->cpu_us_per_msg());
    std::printf(
        "  repetition %d: fmn %.0f msg/s (%.1f µs CPU/msg), no-op %.0f msg/s (%.1f µs CPU/msg)\n",
        rep + 1, fmn->run.msgs_per_s(), fmn_cpu.back(), noop->run.msgs_per_s(), noop_cpu.back());
    std::printf("    fmn's CPU a message by thread:");
    for (const auto& [kind, seconds] : fmn->cpu_by_thread) {
      std::printf(" %s %.2f µs;", kind.c_str(), fmn->per_msg_us(seconds));
    }
    std::printf("\n");
  }
  double noop_rate = median_run(noop_runs).msgs_per_s();
  double fmn_rate = median_run(fmn_runs).msgs_per_s();
  auto median = [](std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    return v[v.size() / 2];
  };
  print_report(stdout, "amqp", fmn_runs, flags.json,
               {{"noop_msgs_per_s", noop_rate},
                {"ratio_vs_noop", noop_rate > 0 ? fmn_rate / noop_rate : 0},
                {"cpu_us_per_msg", median(fmn_cpu)},
                {"noop_cpu_us_per_msg", median(noop_cpu)},
                {"notifications", static_cast<double>(notifications)},
                {"short_runs", static_cast<double>(short_runs)},
                {"isolated", cpus ? 1.0 : 0.0}});
  if (short_runs > 0) exit_status() = 1;
}

}  // namespace

void add_amqp_command(CLI::App& app) {
  auto flags = std::make_shared<AmqpFlags>();
  CLI::App* cmd = app.add_subcommand(
      "amqp",
      "fedora-messaging consumption (parse, match, counting sink, acks) vs a no-op consumer");
  add_engine_setup_options(*cmd, flags->setup);
  cmd->add_option("--amqp", flags->url, "Broker URL; default: start a private rabbitmq-server");
  cmd->add_flag("--json", flags->json, "End with one JSON line of the figures");
  cmd->add_option("--repetitions", flags->repetitions, "Timed repetitions (the median is kept)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--messages", flags->messages, "Messages each consumer drains a repetition")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--prefetch", flags->prefetch, "basic.qos prefetch of both consumers")
      ->capture_default_str();
  cmd->add_flag("--isolate", flags->isolate,
                "The private broker on the first CPU, the consumers on the others (Linux)");
  cmd->callback([flags] { run(*flags); });
}

}  // namespace fmn::bench
