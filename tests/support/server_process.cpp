#include "tests/support/server_process.h"

#include <sys/wait.h>

#include <iostream>
#include <thread>

namespace fmn::test {

Result<ServerProcess> ServerProcess::start(ServerSpec spec) {
  ServerProcess server(std::move(spec));
  if (auto launched = server.launch(); !launched.ok()) return launched.error();
  announce_real_server(server.spec_.name + " (pid " + std::to_string(server.child_->pid()) +
                       ") ready on " + server.spec_.address);
  return server;
}

Status ServerProcess::launch() {
  auto child = ChildProcess::spawn(spec_.spawn);
  if (!child.ok()) return Error{ErrorCode::kIo, spec_.name + ": " + child.error().message};
  child_.emplace(std::move(child).value());
  return child_->wait_ready(spec_.name + " on " + spec_.address, spec_.ready, spec_.ready_timeout);
}

Status ServerProcess::stop() {
  if (!running()) return Error{ErrorCode::kIo, spec_.name + " is not running"};
  const auto status = child_->stop(spec_.stop_signal, std::chrono::seconds(30));
  child_.reset();
  // Servers exit 0 on their shutdown signal; some (ngIRCd) end with that signal instead.
  if (status &&
      (WIFEXITED(*status) ? WEXITSTATUS(*status) == 0
                          : WIFSIGNALED(*status) && WTERMSIG(*status) == spec_.stop_signal)) {
    return ok_status();
  }
  return Error{ErrorCode::kIo, spec_.name + " " + describe_wait_status(status.value_or(0)) +
                                   " on shutdown; its output:\n" + log_text()};
}

Status ServerProcess::restart() {
  if (running()) {
    if (auto stopped = stop(); !stopped.ok()) return stopped;
  }
  const auto deadline = std::chrono::steady_clock::now() + spec_.ready_timeout;
  for (;;) {
    auto launched = launch();
    if (launched.ok()) {
      announce_real_server(spec_.name + " (pid " + std::to_string(child_->pid()) +
                           ") restarted on " + spec_.address);
      return launched;
    }
    if (std::chrono::steady_clock::now() >= deadline) return launched;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void ServerProcess::kill() {
  if (child_) child_->kill_now();
  child_.reset();
}

std::string ServerProcess::log_text() const { return read_log(spec_.spawn.log); }

void announce_real_server(const std::string& line) {
  std::cout << "[real server] " << line << std::endl;
}

}  // namespace fmn::test
