// fmn-bench edit-live: how soon a rule edit saved in the web app is live in the pipeline, with
// the preferences in PostgreSQL, as production runs them.
//
// A private PostgreSQL holds a generated population (--users) and the user who edits; the real
// fmn-pipeline runs over it (prefs.database, followed through the change feed) with its web app,
// its SSE server and a ZeroMQ bus. That user signs in (the demo sign-in), adds an SSE feed and
// opens it. Each of --edits rounds saves a new text for one rule through `PUT /api/v1/rules/<name>`
// — `topic == "...bench.edit.<round>"`, which nothing matched before — then, from the API's 2xx
// answer on, publishes a message of that topic on the bus every millisecond until the feed
// receives one. The figure is the time from the answer to that event: the change feed, the
// rule's compilation and swap into the engine, and the message's way from the bus to the feed
// (well under a millisecond).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_commands.h"
#include "bench/bench_report.h"
#include "bench/match_population.h"
#include "prefs/dsl_rule_validator.h"
#include "prefs/file_store.h"
#include "prefs/pg_store.h"
#include "tests/faults/pipeline_process.h"
#include "tests/support/postgres_server.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/zmq_publisher.h"
#include "tests/web/http_test_client.h"

namespace fmn::bench {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// The user who edits; no generated name looks like it.
constexpr const char* kEditor = "bench-editor";

struct EditLiveFlags {
  size_t users = 10000;
  int edits = 50;
  std::string corpus = "corpus/fedmsg-real.jsonl";
  bool json = false;
};

std::string edited_topic(int round) {
  return "org.fedoraproject.prod.bench.edit." + std::to_string(round);
}

// Publishes a message of the current topic every millisecond while one is set; the bus socket
// is used by this thread only.
class Pulse {
 public:
  explicit Pulse(test::ZmqPublisher& bus) : bus_(bus), thread_([this] { run(); }) {}
  ~Pulse() {
    stop_.store(true);
    thread_.join();
  }
  void set(std::string topic) {
    std::lock_guard lock(mutex_);
    topic_ = std::move(topic);
  }

 private:
  void run() {
    // `i` counts the messages sent (no gap for the pipeline to count), from 1.
    for (uint64_t n = 0; !stop_.load(); std::this_thread::sleep_for(1ms)) {
      std::string topic;
      {
        std::lock_guard lock(mutex_);
        topic = topic_;
      }
      if (topic.empty()) continue;
      const std::string i = std::to_string(++n);
      (void)bus_.publish(topic, R"({"topic":")" + topic + R"(","msg_id":"2026-bench-edit-)" + i +
                                    R"(","i":)" + i +
                                    R"(,"timestamp":1764900000.0,"username":"bench","msg":{}})");
    }
  }

  test::ZmqPublisher& bus_;
  std::mutex mutex_;
  std::string topic_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The population in PostgreSQL: generated users and the editor, with nothing yet.
test::Status import_population(const std::string& conninfo, const EditLiveFlags& flags) {
  auto vocabulary = bench_vocabulary(flags.corpus, 25000);
  if (!vocabulary) return vocabulary.error();
  prefs::Population population =
      prefs::generate_population(*vocabulary, prefs::GeneratorOptions{.users = flags.users});
  population.users.push_back(prefs::User{.name = kEditor});
  auto store = prefs::PgStore::open(conninfo, prefs::dsl_rule_validator());
  if (!store) return store.error();
  auto replaced = (*store)->replace_all(population);
  if (!replaced) return replaced.error();
  return test::ok_status();
}

double percentile(const std::vector<double>& sorted, double p) {
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()))];
}

void run(const EditLiveFlags& flags) {
  auto fail = [](const std::string& what) {
    std::fprintf(stderr, "fmn-bench edit-live: %s\n", what.c_str());
    exit_status() = 1;
  };
  auto pg = test::PostgresServer::start();
  if (!pg) return fail(pg.error().message);
  if (auto imported = import_population(pg->connection_string(), flags); !imported) {
    return fail(imported.error().message);
  }
  auto bus = test::ZmqPublisher::start();
  if (!bus) return fail(bus.error().message);
  auto web_port = test::pick_free_port();
  auto sse_port = test::pick_free_port();
  if (!web_port || !sse_port) return fail("no free port");
  const std::string app = "http://127.0.0.1:" + std::to_string(*web_port);
  faults::PipelineOptions options;
  options.prefs_database = pg->connection_string();
  options.sse_listen = test::loopback_address(*sse_port);
  options.config_toml = "[source]\nconnect = [\"" + bus->endpoint() + "\"]\n[web]\nlisten = \"" +
                        test::loopback_address(*web_port) + "\"\npublic_url = \"" + app +
                        "\"\ndemo = true\n";
  auto pipeline = faults::PipelineProcess::start(options);
  if (!pipeline) return fail(pipeline.error().message);
  if (auto subscribed = bus->wait_for_subscriptions(1, 60s); !subscribed) {
    return fail(subscribed.error().message + "\n" + pipeline->log_text());
  }

  const test::SignedIn editor = test::demo_sign_in(app, kEditor);
  if (editor.csrf.empty()) return fail("the demo sign-in was refused\n" + pipeline->log_text());
  const std::vector<std::string> headers{editor.cookie, editor.csrf,
                                         "Content-Type: application/json"};
  const test::HttpReply feed = test::http_request("POST", app + "/api/v1/destinations", headers,
                                                  R"({"name":"feed","kind":"sse"})");
  if (feed.status != 201) return fail("adding the feed: " + feed.body);
  const test::HttpReply rule =
      test::http_request("POST", app + "/api/v1/rules", headers,
                         R"({"name":"edited","source":"topic == \")" + edited_topic(-1) +
                             R"(\"","deliveries":[{"destination":"feed"}]})");
  if (rule.status != 201) return fail("adding the rule: " + rule.body);

  // The feed opens once the pipeline has applied the new destination.
  const std::string request = test::get("/feeds/" + test::json_string_member(feed.body, "address") +
                                        "?token=" + test::json_string_member(feed.body, "token"));
  std::unique_ptr<test::Client> stream;
  for (auto deadline = Clock::now() + 30s; Clock::now() < deadline;) {
    stream = std::make_unique<test::Client>(*sse_port, request);
    if (stream->read_until("\r\n\r\n").starts_with("HTTP/1.1 200")) break;
    stream.reset();
    std::this_thread::sleep_for(10ms);
  }
  if (!stream) return fail("the feed never opened\n" + pipeline->log_text());

  std::vector<double> live_ms, save_ms;
  {
    Pulse pulse(*bus);
    for (int round = 0; round < flags.edits; ++round) {
      const Clock::time_point sent = Clock::now();
      const test::HttpReply saved =
          test::http_request("PUT", app + "/api/v1/rules/edited", headers,
                             R"({"source":"topic == \")" + edited_topic(round) + R"(\""})");
      const Clock::time_point answered = Clock::now();
      save_ms.push_back(std::chrono::duration<double, std::milli>(answered - sent).count());
      if (saved.status / 100 != 2) return fail("saving the edit: " + saved.body);
      pulse.set(edited_topic(round));
      // The topic, closed by its quote: round 1 is not taken for round 10.
      const std::string event = edited_topic(round) + "\"";
      if (stream->read_until(event).find(event) == std::string::npos) {
        return fail("round " + std::to_string(round) + ": no event within 10 s\n" +
                    pipeline->log_text());
      }
      live_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - answered).count());
      pulse.set("");
    }
  }
  std::sort(live_ms.begin(), live_ms.end());
  std::sort(save_ms.begin(), save_ms.end());
  const double median = percentile(live_ms, 0.5), p99 = percentile(live_ms, 0.99);
  std::printf("%zu users in PostgreSQL; %zu edits saved through PUT /api/v1/rules/<name>\n",
              flags.users + 1, live_ms.size());
  std::printf(
      "edit live (API answer -> a message only the edit matches reaches the feed): "
      "median %.1f ms, p99 %.1f ms, max %.1f ms\n",
      median, p99, live_ms.back());
  std::printf("the saves themselves (PUT sent -> 2xx): median %.1f ms, p99 %.1f ms\n",
              percentile(save_ms, 0.5), percentile(save_ms, 0.99));
  double total_ms = 0;
  for (double ms : live_ms) total_ms += ms;
  // As a throughput report: edits as the messages, their summed wait as the time (ns/msg is the
  // mean).
  print_report(stdout, "edit-live", {Run{live_ms.size(), 0, total_ms / 1000}}, flags.json,
               {{"n", double(live_ms.size())},
                {"users", double(flags.users + 1)},
                {"median_ms", median},
                {"p99_ms", p99},
                {"max_ms", live_ms.back()},
                {"save_median_ms", percentile(save_ms, 0.5)}});
  if (auto stopped = pipeline->terminate(); !stopped) fail(stopped.error().message);
}

}  // namespace

void add_edit_live_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "edit-live",
      "Rule edits saved through the web app's API, PostgreSQL mode: time until each is live");
  static EditLiveFlags flags;
  cmd->add_option("--users", flags.users, "Generated users in PostgreSQL besides the editor")
      ->capture_default_str();
  cmd->add_option("--edits", flags.edits, "Edits measured")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--corpus", flags.corpus, "Corpus whose vocabulary the population uses")
      ->capture_default_str();
  cmd->add_flag("--json", flags.json, "Last line: one JSON object");
  cmd->callback([] { run(flags); });
}

}  // namespace fmn::bench
