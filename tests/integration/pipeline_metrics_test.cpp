// The operator's view of a running fmn-pipeline over HTTP: /metrics holds the counters,
// gauges and histograms the requirements list, in a well-formed Prometheus text exposition
// (checked here line by line, and by `promtool check metrics` when Debian's prometheus package
// is installed); /healthz always answers, /readyz follows the bus.
// Started under a stand-in for systemd, the service says READY=1 and, on SIGTERM, STOPPING=1.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "tests/integration/pipeline_process.h"
#include "tests/support/loopback.h"
#include "tests/support/zmq_publisher.h"

namespace fmn::test {
namespace {

constexpr Duration kTimeout = std::chrono::seconds(60);

// Checks `text` against the Prometheus text format 0.0.4 and its naming conventions; returns
// the problems found, and fills `families` with each family's type.
std::vector<std::string> exposition_problems(const std::string& text,
                                             std::map<std::string, std::string>& families) {
  static const std::regex help("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+");
  static const std::regex type("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram)");
  static const std::regex sample(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\.)*\",?)*\\})? "
      "(-?[0-9.e+-]+|\\+Inf|NaN)");
  std::vector<std::string> problems;
  std::set<std::string> helped, series;
  std::map<std::string, double> last_bucket;  // per histogram series: cumulative counts rise
  std::istringstream lines(text);
  size_t n = 0;
  for (std::string line; std::getline(lines, line);) {
    ++n;
    std::smatch m;
    auto problem = [&](const std::string& what) {
      problems.push_back("line " + std::to_string(n) + ": " + what + ": " + line);
    };
    if (std::regex_match(line, m, help)) {
      if (!helped.insert(m[1]).second) problem("second HELP");
    } else if (std::regex_match(line, m, type)) {
      if (!helped.count(m[1])) problem("TYPE before HELP");
      if (!families.emplace(m[1], m[2]).second) problem("second TYPE");
      if (m[2] == "counter" && !m[1].str().ends_with("_total")) problem("counter without _total");
      if (m[1].str().rfind("fmn_", 0) != 0) problem("name without the fmn_ prefix");
    } else if (std::regex_match(line, m, sample)) {
      std::string name = m[1], labels = m[2];
      if (!series.insert(name + labels).second) problem("repeated series");
      std::string family = name;
      for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        if (name.ends_with(suffix) && !families.count(name) &&
            families.count(name.substr(0, name.size() - std::strlen(suffix)))) {
          family = name.substr(0, name.size() - std::strlen(suffix));
        }
      }
      if (!families.count(family)) problem("sample before its TYPE");
      if (families[family] == "histogram" && name.ends_with("_bucket")) {
        if (labels.find("le=\"") == std::string::npos) problem("bucket without le");
        std::string key = std::regex_replace(labels, std::regex(",?le=\"[^\"]*\""), "");
        double v = std::stod(m[5]);
        if (v < last_bucket[family + key]) problem("bucket counts fall");
        last_bucket[family + key] = v;
        if (labels.find("le=\"+Inf\"") != std::string::npos) last_bucket[family + key] = 0;
      }
    } else {
      problem("not a HELP, TYPE or sample line");
    }
  }
  if (!text.ends_with("\n")) problems.push_back("no final newline");
  return problems;
}

// Problems `promtool check metrics` finds in `text`; empty when promtool is not installed.
std::string promtool_problems(const std::string& text) {
  const char* promtool = "/usr/bin/promtool";
  if (::access(promtool, X_OK) != 0) return "";
  const std::string path = ::testing::TempDir() + "fmn-metrics-" + std::to_string(::getpid());
  {
    std::ofstream out(path);
    out << text;
  }
  const std::string command = std::string(promtool) + " check metrics < " + path + " 2>&1";
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return "promtool did not start";
  char buf[512];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) output.append(buf, n);
  const int status = ::pclose(pipe);
  std::remove(path.c_str());
  return status == 0 ? "" : "promtool: " + output;
}

void expect_valid_exposition(const std::string& text,
                             std::map<std::string, std::string>& families) {
  std::vector<std::string> problems = exposition_problems(text, families);
  EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems) << "\n" << text;
  EXPECT_EQ(promtool_problems(text), "") << text;
}

// A datagram socket standing in for systemd's $NOTIFY_SOCKET.
class NotifySocket {
 public:
  NotifySocket() {
    path_ = ::testing::TempDir() + "fmn-notify-" + std::to_string(::getpid());
    ::unlink(path_.c_str());
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
    ok_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~NotifySocket() {
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  bool ok() const { return ok_; }
  const std::string& path() const { return path_; }
  // Every state received so far, without waiting.
  std::vector<std::string> received() {
    std::vector<std::string> out;
    char buf[256];
    for (ssize_t n; (n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT)) > 0;) {
      out.emplace_back(buf, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  std::string path_;
  int fd_ = -1;
  bool ok_ = false;
};

Status wait_ready_status(PipelineProcess& p, int status) {
  auto deadline = std::chrono::steady_clock::now() + kTimeout;
  std::pair<int, std::string> last;
  while (std::chrono::steady_clock::now() < deadline) {
    last = p.get("/readyz");
    if (last.first == status) return ok_status();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Error{ErrorCode::kIo, "/readyz: " + std::to_string(last.first) + " " + last.second};
}

TEST(PipelineMetrics, MetricsHealthAndReadinessOverHttp) {
  NotifySocket notify;
  ASSERT_TRUE(notify.ok());
  ::setenv("NOTIFY_SOCKET", notify.path().c_str(), 1);  // inherited by the child
  auto port = pick_free_port();
  ASSERT_TRUE(port.ok()) << port.error().message;
  const std::string bus = "tcp://127.0.0.1:" + std::to_string(*port);
  auto p = PipelineProcess::start("metrics", {"--connect", bus}, kTimeout);
  ::unsetenv("NOTIFY_SOCKET");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(notify.received(), std::vector<std::string>{"READY=1"});

  // No publisher yet: alive, but not ready.
  EXPECT_EQ(p->get("/healthz").first, 200);
  auto ready = p->get("/readyz");
  EXPECT_EQ(ready.first, 503);
  EXPECT_EQ(ready.second, "rules: ok\nreload: ok\nbus: not ready\n");

  // The publisher comes up: ready once the bus probe sees it (every few seconds).
  auto publisher = ZmqPublisher::start(*port);
  ASSERT_TRUE(publisher.ok()) << publisher.error().message;
  Status is_ready = wait_ready_status(*p, 200);
  ASSERT_TRUE(is_ready.ok()) << is_ready.error().message;
  EXPECT_EQ(p->get("/readyz").second, "rules: ok\nreload: ok\nbus: ok\n");
  auto messages = read_bus_messages(kCorpusFile);
  ASSERT_TRUE(messages.ok()) << messages.error().message;
  ASSERT_TRUE(publisher->wait_for_subscriptions(1, kTimeout).ok());
  ASSERT_TRUE(publisher->play(*messages).ok());
  Status all = p->wait_metric("fmn_messages_received_total", kCorpusMessages, kTimeout);
  ASSERT_TRUE(all.ok()) << all.error().message;

  auto [status, text] = p->get("/metrics");
  ASSERT_EQ(status, 200);
  std::map<std::string, std::string> families;
  expect_valid_exposition(text, families);

  const std::map<std::string, std::string> required = {
      {"fmn_messages_received_total", "counter"},
      {"fmn_parse_errors_total", "counter"},
      {"fmn_duplicates_total", "counter"},
      {"fmn_meta_fallback_messages_total", "counter"},
      {"fmn_sequence_gaps_total", "counter"},
      {"fmn_bus_malformed_total", "counter"},
      {"fmn_notifications_total", "counter"},
      {"fmn_notifications_unrouted_total", "counter"},
      {"fmn_notifications_muted_total", "counter"},
      {"fmn_delivered_total", "counter"},
      {"fmn_retried_total", "counter"},
      {"fmn_failed_total", "counter"},
      {"fmn_dropped_total", "counter"},
      {"fmn_sink_queue_notifications", "gauge"},
      {"fmn_rule_generation", "gauge"},
      {"fmn_rules_interned", "gauge"},
      {"fmn_users", "gauge"},
      {"fmn_user_rules", "gauge"},
      {"fmn_stage_seconds", "histogram"},
      {"fmn_pipeline_latency_seconds", "histogram"},
  };
  for (const auto& [name, type] : required) {
    EXPECT_EQ(families[name], type) << name << " in\n" << text;
  }
  EXPECT_EQ(p->metric("fmn_messages_received_total"), kCorpusMessages);
  EXPECT_EQ(p->metric("fmn_parse_errors_total"), 0);
  EXPECT_EQ(p->metric("fmn_meta_fallback_messages_total"), 0);  // the tables cover the corpus
  EXPECT_GT(p->metric("fmn_sequence_gaps_total"), 0);  // the recorded corpus has gaps in `i`
  std::optional<double> notifications = p->metric("fmn_notifications_total");
  ASSERT_TRUE(notifications.has_value());
  EXPECT_GT(*notifications, 0);
  EXPECT_EQ(p->metric("fmn_delivered_total{sink=\"stdout\"}"), notifications);
  EXPECT_EQ(p->metric("fmn_users"), 3);  // the built-in demo preferences
  std::optional<double> batches = p->metric("fmn_stage_seconds_count{stage=\"match\"}");
  ASSERT_TRUE(batches.has_value());
  EXPECT_GT(*batches, 0);
  EXPECT_EQ(p->metric("fmn_stage_seconds_bucket{stage=\"match\",le=\"+Inf\"}"), batches);
  EXPECT_EQ(p->metric("fmn_pipeline_latency_seconds_count"), batches);

  // The bus goes away: not ready any more, still alive.
  ASSERT_TRUE(publisher->stop().ok());
  Status not_ready = wait_ready_status(*p, 503);
  EXPECT_TRUE(not_ready.ok()) << not_ready.error().message;
  EXPECT_EQ(p->get("/healthz").first, 200);

  std::optional<int> exit = p->process().stop(SIGTERM, kTimeout);
  ASSERT_TRUE(exit && WIFEXITED(*exit) && WEXITSTATUS(*exit) == 0) << p->output();
  EXPECT_EQ(notify.received(), std::vector<std::string>{"STOPPING=1"});
}

// Each destination kind's email and IRC counters are kept by two sinks (the digest batcher and
// the sink behind it); each series still appears once.
TEST(PipelineMetrics, EverySinkSeriesAppearsOnce) {
  auto bus = pick_free_port();
  auto smtp = pick_free_port();
  auto irc = pick_free_port();
  ASSERT_TRUE(bus.ok() && smtp.ok() && irc.ok());
  auto p = PipelineProcess::start(
      "metrics-sinks",
      {"--connect", "tcp://127.0.0.1:" + std::to_string(*bus), "--smtp",
       "smtp://127.0.0.1:" + std::to_string(*smtp), "--irc", "127.0.0.1:" + std::to_string(*irc)},
      kTimeout);
  ASSERT_TRUE(p.ok()) << p.error().message;
  auto [status, text] = p->get("/metrics");
  ASSERT_EQ(status, 200);
  std::map<std::string, std::string> families;
  expect_valid_exposition(text, families);
  for (const char* kind : {"email", "irc"}) {
    for (const char* family :
         {"fmn_delivered_total", "fmn_retried_total", "fmn_failed_total", "fmn_dropped_total"}) {
      const std::string series = std::string(family) + "{sink=\"" + kind + "\"}";
      EXPECT_EQ(p->metric(series), 0) << series << " in\n" << text;
    }
  }
}

TEST(PipelineMetrics, TheExpositionCheckFindsMistakes) {
  std::map<std::string, std::string> families;
  EXPECT_TRUE(exposition_problems("# HELP fmn_x_total X.\n# TYPE fmn_x_total counter\n"
                                  "fmn_x_total{sink=\"a\"} 1\n",
                                  families)
                  .empty());
  for (const char* bad : {
           "# HELP fmn_x X.\n# TYPE fmn_x counter\nfmn_x 1\n",                  // no _total
           "fmn_y_total 1\n",                                                   // no TYPE
           "# HELP fmn_x_total X.\n# TYPE fmn_x_total counter\nfmn_x_total\n",  // no value
           "# HELP fmn_h H.\n# TYPE fmn_h histogram\nfmn_h_bucket{le=\"1\"} 5\n"
           "fmn_h_bucket{le=\"+Inf\"} 4\n",  // counts fall
       }) {
    families.clear();
    EXPECT_FALSE(exposition_problems(bad, families).empty()) << bad;
  }
}

}  // namespace
}  // namespace fmn::test
