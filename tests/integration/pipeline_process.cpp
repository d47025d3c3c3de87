#include "tests/integration/pipeline_process.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/web/http_test_client.h"

namespace fmn::test {
namespace {

std::filesystem::path log_path(const std::string& name) {
  // The pid keeps concurrent runs of the same test apart.
  std::filesystem::path path =
      ::testing::TempDir() + "fmn-" + name + "-" + std::to_string(::getpid()) + ".log";
  std::filesystem::remove(path);
  return path;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// `flags` after no SSE server and no progress lines, unless `flags` set those themselves.
void add_flags(std::vector<std::string>& argv, std::vector<std::string> flags) {
  for (const char* flag : {"--sse-listen", "--progress"}) {
    if (std::find(flags.begin(), flags.end(), flag) == flags.end()) {
      argv.insert(argv.end(), {flag, std::string_view(flag) == "--progress" ? "0" : ""});
    }
  }
  argv.insert(argv.end(), flags.begin(), flags.end());
}

}  // namespace

Result<PipelineProcess> PipelineProcess::start(const std::string& name,
                                               std::vector<std::string> flags, Duration timeout) {
  SpawnOptions options;
  options.argv = {std::string(FMN_BIN_DIR) + "/fmn-pipeline", "--admin-listen", "127.0.0.1:0"};
  add_flags(options.argv, std::move(flags));
  options.log = log_path(name);
  auto child = ChildProcess::spawn(options);
  if (!child) return child.error();
  const std::regex listening("admin_listening address=\\S+ port=([0-9]+)");
  std::smatch match;
  std::string log;
  Status ready = child->wait_ready(
      name, [&] { return std::regex_search(log = child->log_text(), match, listening); }, timeout);
  if (!ready) return ready.error();
  PipelineProcess p(std::move(child).value(), options.log, std::stoi(match[1].str()));
  if (auto up = p.wait_metric("fmn_messages_received_total", 0, timeout); !up) return up.error();
  return p;
}

std::pair<int, std::string> PipelineProcess::get(const std::string& path) const {
  const auto reply = http_request("GET", "http://127.0.0.1:" + std::to_string(admin_port_) + path);
  return {static_cast<int>(reply.status), reply.body};
}

std::optional<double> PipelineProcess::metric(const std::string& series) const {
  auto [status, body] = get("/metrics");
  if (status != 200) return std::nullopt;
  std::istringstream lines(body);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return std::nullopt;
}

Status PipelineProcess::wait_metric(const std::string& series, double value, Duration timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::optional<double> last;
  while (std::chrono::steady_clock::now() < deadline) {
    last = metric(series);
    if (last && *last >= value) return ok_status();
    if (!process_.running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Error{ErrorCode::kIo, series + " did not reach " + std::to_string(value) +
                                   " (last: " + (last ? std::to_string(*last) : "none") +
                                   "); output:\n" + process_.log_text()};
}

std::string PipelineProcess::output() const { return read_file(log_); }

std::vector<std::string> notification_lines(const std::string& output) {
  std::vector<std::string> out;
  std::istringstream lines(output);
  const std::regex log_line("^[0-9]{4}-[0-9]{2}-[0-9]{2}T");
  for (std::string line; std::getline(lines, line);) {
    if (line.find(" <- [") != std::string::npos && !std::regex_search(line, log_line)) {
      out.push_back(line);
    }
  }
  return out;
}

std::optional<PipelineSummary> parse_summary(const std::string& output) {
  const std::regex summary(
      "fmn-pipeline: ([0-9]+) messages read, [0-9]+ parse errors, [0-9]+ duplicates, ([0-9]+) "
      "notifications \\(([0-9]+) unrouted\\), ([0-9]+) sequence gaps");
  std::smatch m;
  if (!std::regex_search(output, m, summary)) return std::nullopt;
  return PipelineSummary{std::stoull(m[1].str()), std::stoull(m[2].str()), std::stoull(m[3].str()),
                         std::stoull(m[4].str())};
}

Result<std::string> run_pipeline(const std::string& name, std::vector<std::string> flags,
                                 Duration timeout) {
  SpawnOptions options;
  options.argv = {std::string(FMN_BIN_DIR) + "/fmn-pipeline", "--admin-listen", ""};
  add_flags(options.argv, std::move(flags));
  options.log = log_path(name);
  if (Status ran = ChildProcess::run(options, timeout); !ran) return ran.error();
  return read_file(options.log);
}

Result<ChildProcess> start_replay(const std::string& name, const std::string& endpoint,
                                  size_t subscribers, std::vector<std::string> flags) {
  SpawnOptions options;
  options.argv = {std::string(FMN_BIN_DIR) + "/fmn-replay",
                  kCorpusFile,
                  "--bind",
                  endpoint,
                  "--wait-subscribers",
                  std::to_string(subscribers),
                  "--hwm",
                  "0"};
  options.argv.insert(options.argv.end(), flags.begin(), flags.end());
  options.log = log_path(name);
  return ChildProcess::spawn(options);
}

Result<int> wait_exit(ChildProcess& child, Duration timeout) {
  std::optional<int> status = child.stop(0, timeout);  // signal 0: only wait
  if (!status) return Error{ErrorCode::kIo, child.command_line() + " was already reaped"};
  if (!WIFEXITED(*status)) {
    return Error{ErrorCode::kIo, child.command_line() + " " + describe_wait_status(*status) +
                                     "; output:\n" + child.log_text()};
  }
  return *status;
}

}  // namespace fmn::test
