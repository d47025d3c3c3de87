// fmn-pipeline: the notification service. Flags and signals only; the work is in pipeline/.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <deque>
#include <string>
#include <thread>

#include "core/log.h"
#include "core/thread_name.h"
#include "core/version.h"
#include "pipeline/config_check.h"
#include "pipeline/service.h"
#include "sinks/destination_sinks.h"

namespace {

// Signals are taken synchronously by one thread (sigwait), so no work runs in a handler.
void handle_signals(fmn::pipeline::Service& service, sigset_t set) {
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) return;
    if (sig == SIGHUP) {
      service.request_reload();
    } else {
      if (sig == SIGUSR2) return;  // our own wake-up at exit
      fmn::log::info("shutdown", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"},
                                  {"effect", "draining in-flight messages and sink queues"}});
      service.request_stop();
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  // The configuration file is read first; flags given on the command line then override it.
  fmn::pipeline::ServiceConfig config;
  {
    CLI::App pre;
    pre.set_help_flag();
    pre.allow_extras();
    std::string config_file, checked_file;
    pre.add_option("-c,--config", config_file);
    pre.add_option("--check-config", checked_file)->expected(0, 1);
    pre.parse(argc, argv);
    if (config_file.empty()) config_file = checked_file;
    if (!config_file.empty()) {
      auto from_file = fmn::pipeline::read_service_config(config_file);
      if (!from_file) {
        std::fprintf(stderr, "fmn-pipeline: %s\n", from_file.error().message.c_str());
        return 2;
      }
      config = from_file.value();
    }
  }

  CLI::App app{
      "fmn-pipeline: matches fedmsg bus messages against users' notification rules and "
      "delivers the notifications (email, IRC, SSE, stdout).\n"
      "Without a configuration file, bus endpoints or a replay file it runs the embedded demo: "
      "the recorded corpus replayed through built-in preferences, state in memory, "
      "notifications printed. SIGTERM/SIGINT drain and stop; SIGHUP reloads the "
      "preferences."};
  std::string config_file;
  app.add_option("-c,--config", config_file, "TOML configuration (see contrib/fmn.toml)");
  std::string checked_file;
  app.add_option("--check-config", checked_file,
                 "Check the configuration (FILE, or --config's) and flags, the preferences and "
                 "every configured server, print what would run, and exit: 0 if a start should "
                 "succeed, 1 otherwise")
      ->expected(0, 1);
  app.add_option("--replay", config.replay,
                 "Read messages from a JSON-lines file (- for stdin) instead of the bus");
  app.add_option("--replay-rate", config.replay_rate, "Replay at this many messages per second");
  app.add_option("--replay-speed", config.replay_speed,
                 "Replay following recorded timestamps, this many times faster");
  app.add_option("--connect", config.connect, "Bus endpoint to subscribe to (repeatable)");
  app.add_option("--topic", config.topics, "Topic prefix to subscribe to (repeatable)");
  app.add_option("--amqp", config.amqp,
                 "fedora-messaging broker URL, amqp:// or amqps:// (repeatable; instead of "
                 "--connect)");
  app.add_option("--prefs", config.prefs_file, "Preferences file (TOML)");
  app.add_option("--prefs-db", config.prefs_database,
                 "Preferences in PostgreSQL (conninfo or URL), followed live");
  app.add_option("--engine", config.engine, "Rule evaluation: interp, jit or auto");
  app.add_option("--redis", config.redis, "host:port of Redis for durable delivery state");
  // The destination kinds' flags (--smtp, --irc, --sse-listen...), from their settings' table.
  struct SinkFlag {
    fmn::DestinationKind kind;
    std::string_view key;
    CLI::Option* option;
    std::string value;
  };
  std::deque<SinkFlag> sink_flags;
  for (const fmn::sinks::DestinationSink& sink : fmn::sinks::destination_sinks()) {
    for (const fmn::sinks::SinkSetting& key : sink.settings) {
      if (key.option.empty()) continue;
      SinkFlag& flag = sink_flags.emplace_back(SinkFlag{sink.kind, key.key, nullptr, ""});
      flag.option =
          app.add_option(std::string(key.option), flag.value, std::string(key.option_help));
    }
  }
  app.add_option("--web-listen", config.web_listen, "host:port of the web app");
  app.add_option("--public-url", config.public_url,
                 "Base URL of the web app, for links in notifications");
  app.add_option("--secret-key-file", config.secret_key_file,
                 "File holding the key that signs unsubscribe links");
  app.add_flag("--web-demo", config.web_demo,
               "Demo: sign in as any user of the preferences (loopback only)");
  app.add_option("--admin-listen", config.admin_listen, "host:port of /metrics and health");
  std::string shard;
  app.add_option("--shard", shard, "This instance's share of users, I/N (0-based I)");
  app.add_flag("!--no-stdout", config.stdout_fallback,
               "Do not print notifications whose destination kind has no sink");
  app.add_option("--log-level", config.log_level, "debug, info, warn or error");
  app.add_option("--log-format", config.log_format, "text or json");
  app.add_option("--progress", config.progress_seconds,
                 "Log a progress line this often while messages flow (seconds; 0: never)");
  app.set_version_flag("--version", std::string("fmn-pipeline ") + fmn::kVersion);
  CLI11_PARSE(app, argc, argv);
  for (const SinkFlag& flag : sink_flags) {
    if (flag.option->count() > 0) config.sink(flag.kind).set(flag.key, flag.value);
  }

  if (!shard.empty()) {
    unsigned index = 0, count = 0;
    if (std::sscanf(shard.c_str(), "%u/%u", &index, &count) != 2) {
      std::fprintf(stderr, "fmn-pipeline: --shard: expected I/N, got '%s'\n", shard.c_str());
      return 2;
    }
    config.shard_index = index;
    config.shard_count = count;
  }

  if (app.count("--check-config") > 0) {
    return fmn::pipeline::check_config(config, stdout) == 0 ? 0 : 1;
  }

  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGUSR2}) sigaddset(&set, sig);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // every thread started from here inherits it

  auto service = fmn::pipeline::Service::create(config);
  if (!service) {
    std::fprintf(stderr, "fmn-pipeline: %s\n", service.error().message.c_str());
    return 1;
  }
  std::thread signals(handle_signals, std::ref(**service), set);
  fmn::name_thread(signals, "signals");
  fmn::pipeline::ServiceSummary s = (*service)->run();
  pthread_kill(signals.native_handle(), SIGUSR2);
  signals.join();
  // A recorded sample skips the sequence numbers of the messages not kept in it.
  const auto kind = fmn::pipeline::source_kind(config);
  const bool replayed =
      kind == fmn::pipeline::SourceKind::kReplay || kind == fmn::pipeline::SourceKind::kDemo;
  const char* gaps_note = replayed && s.sequence_gaps > 0
                              ? "sequence gaps are expected when replaying a recorded sample"
                              : "";
  std::string undelivered;  // "email=2 irc=0": what each sink left for the next start
  for (const auto& [sink, count] : s.undelivered) {
    undelivered += (undelivered.empty() ? "" : " ") + sink + "=" + std::to_string(count);
  }
  std::string kept;  // what stays in the Redis outbox for the next start
  for (const auto& [sink, count] : s.left_in_outbox) {
    kept += (kept.empty() ? "" : " ") + sink + "=" + std::to_string(count);
  }
  if (config.log_format == "json") {
    fmn::log::info("stopped", {{"messages", s.received},
                               {"parse_errors", s.parse_errors},
                               {"duplicates", s.duplicates},
                               {"notifications", s.notifications},
                               {"unrouted", s.unrouted},
                               {"sequence_gaps", s.sequence_gaps},
                               {"missing", s.missing},
                               {"seconds", s.seconds},
                               {"undelivered", undelivered},
                               {"left_in_outbox", kept},
                               {"note", gaps_note}});
    return 0;
  }
  std::fprintf(
      stderr,
      "fmn-pipeline: %llu messages read, %llu parse errors, %llu duplicates, %llu "
      "notifications (%llu unrouted), %llu sequence gaps (%llu missing) in %.3f s%s%s\n",
      static_cast<unsigned long long>(s.received), static_cast<unsigned long long>(s.parse_errors),
      static_cast<unsigned long long>(s.duplicates),
      static_cast<unsigned long long>(s.notifications), static_cast<unsigned long long>(s.unrouted),
      static_cast<unsigned long long>(s.sequence_gaps), static_cast<unsigned long long>(s.missing),
      s.seconds, *gaps_note != '\0' ? "; " : "", gaps_note);
  if (!undelivered.empty()) {
    std::fprintf(stderr, "fmn-pipeline: undelivered at stop: %s\n", undelivered.c_str());
  }
  if (!kept.empty()) std::fprintf(stderr, "fmn-pipeline: left in the outbox: %s\n", kept.c_str());
  return 0;
}
