#include "tests/faults/pipeline_process.h"

#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/loopback.h"
#include "tests/web/http_test_client.h"

namespace fmn::faults {
namespace {

using namespace std::chrono_literals;

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

test::HttpReply admin_request(const std::string& method, int port, const std::string& path) {
  return test::http_request(
      method, "http://" + std::string(test::kLoopback) + ":" + std::to_string(port) + path);
}

test::HttpReply admin_get(int port, const std::string& path) {
  return admin_request("GET", port, path);
}

}  // namespace

Result<PipelineProcess> PipelineProcess::start(PipelineOptions options) {
  auto dir = test::TempDir::create("faults-pipeline");
  if (!dir) return dir.error();
  auto port = test::pick_free_port();
  if (!port) return port.error();
  write_file(dir.value() / "prefs.toml", options.prefs_toml);
  const std::string prefs = options.prefs_database.empty()
                                ? "file = \"" + (dir.value() / "prefs.toml").string() + "\""
                                : "database = \"" + options.prefs_database + "\"";
  // Only what the scenario configures: no printing of unrouted notifications.
  write_file(dir.value() / "fmn.toml",
             "[prefs]\n" + prefs + "\n[stdout]\nfallback = false\n[sse]\nlisten = \"" +
                 options.sse_listen + "\"\n[admin]\nlisten = \"" +
                 test::loopback_address(port.value()) + "\"\n" + options.config_toml);
  PipelineProcess p(std::move(dir).value(), port.value());
  auto launched = p.launch();
  if (!launched) return launched.error();
  return p;
}

test::Status PipelineProcess::launch() {
  test::SpawnOptions spawn;
  spawn.argv = {std::string(FMN_BIN_DIR) + "/fmn-pipeline", "--config",
                (dir_.path() / "fmn.toml").string()};
  spawn.log = dir_.path() / "pipeline.log";
  auto child = test::ChildProcess::spawn(spawn);
  if (!child) return child.error();
  child_.emplace(std::move(child).value());
  int port = admin_port_;
  return child_->wait_ready(
      "fmn-pipeline", [port] { return test::port_accepts(port); }, 60s);
}

test::Status PipelineProcess::restart() {
  child_.reset();
  return launch();
}

void PipelineProcess::kill() {
  if (child_) child_->kill_now();
}

test::Status PipelineProcess::terminate(test::Duration grace) {
  if (!child_) return Error{ErrorCode::kIo, "fmn-pipeline is not running"};
  std::optional<int> status = child_->stop(SIGTERM, grace);
  if (!status || !WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
    return Error{ErrorCode::kIo, "fmn-pipeline " +
                                     (status ? test::describe_wait_status(*status)
                                             : std::string("was already gone")) +
                                     "\n" + log_text()};
  }
  return test::ok_status();
}

Result<std::string> PipelineProcess::admin_text(const std::string& path) const {
  auto response = admin_get(admin_port_, path);
  if (response.status != 200) {
    return Error{ErrorCode::kIo, "admin " + path + ": no 200 answer"};
  }
  return response.body;
}

Result<std::string> PipelineProcess::admin_post(const std::string& path) const {
  auto response = admin_request("POST", admin_port_, path);
  if (response.status != 200) {
    return Error{ErrorCode::kIo, "admin POST " + path + ": answered " +
                                     std::to_string(response.status) + ": " + response.body};
  }
  return response.body;
}

std::string PipelineProcess::metrics_text() const {
  auto response = admin_get(admin_port_, "/metrics");
  return response.status == 200 ? response.body : std::string();
}

int PipelineProcess::readiness() const {
  auto response = admin_get(admin_port_, "/readyz");
  return static_cast<int>(response.status);
}

std::optional<double> PipelineProcess::metric(std::string_view name,
                                              std::string_view labels) const {
  std::istringstream in(metrics_text());
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with(name)) continue;
    char next = line.size() > name.size() ? line[name.size()] : '\0';
    if (next != ' ' && next != '{') continue;
    size_t space = line.rfind(' ');
    if (line.substr(0, space).find(labels) == std::string::npos) continue;
    return std::stod(line.substr(space + 1));
  }
  return std::nullopt;
}

test::Status PipelineProcess::wait_metric(std::string_view name, std::string_view labels,
                                          const std::function<bool(double)>& holds,
                                          test::Duration timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::optional<double> value;
  while (std::chrono::steady_clock::now() < deadline) {
    value = metric(name, labels);
    if (value && holds(*value)) return test::ok_status();
    std::this_thread::sleep_for(100ms);
  }
  return Error{ErrorCode::kIo, "metric " + std::string(name) + "{" + std::string(labels) +
                                   "} never reached the expected value (last: " +
                                   (value ? std::to_string(*value) : std::string("absent")) +
                                   ")\n--- metrics ---\n" + metrics_text() + "\n--- log ---\n" +
                                   log_text()};
}

}  // namespace fmn::faults
