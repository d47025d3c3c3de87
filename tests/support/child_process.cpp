#include "tests/support/child_process.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

namespace fmn::test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxLogQuote = 16 << 10;  // error messages quote at most the log's tail

Error io_error(std::string message) { return Error{ErrorCode::kIo, std::move(message)}; }

// Resolves argv[0] against PATH in the parent: execv in the child then needs no allocation.
std::string find_executable(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return name;
}

enum class SpawnStage { kRedirect, kSwitchUser, kChdir, kExec };

std::string describe_spawn_failure(SpawnStage stage, int error, const SpawnOptions& options,
                                   const std::string& file) {
  std::string what;
  switch (stage) {
    case SpawnStage::kRedirect:
      what = "write its output to " + options.log.string();
      break;
    case SpawnStage::kSwitchUser:
      what = "switch to user " + options.run_as;
      break;
    case SpawnStage::kChdir:
      what = "chdir to " + options.cwd.string();
      break;
    case SpawnStage::kExec:
      what = "execute " + file;
      break;
  }
  return "cannot " + what + ": " + strerror(error);
}

// Everything the child needs, computed before fork(): after it only async-signal-safe calls.
struct ExecPlan {
  std::string file;
  std::vector<char*> argv;
  bool switch_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

[[noreturn]] void exec_child(const ExecPlan& plan, const SpawnOptions& options, pid_t parent,
                             int error_pipe) {
  auto fail = [&error_pipe](SpawnStage stage) {
    int report[2] = {static_cast<int>(stage), errno};
    [[maybe_unused]] auto n = ::write(error_pipe, report, sizeof report);
    ::_exit(127);
  };
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD}) ::signal(sig, SIG_DFL);

  int in = ::open("/dev/null", O_RDONLY);
  int out = ::open(options.log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (in < 0 || out < 0) fail(SpawnStage::kRedirect);
  if (::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(out, 2) < 0) fail(SpawnStage::kRedirect);
  if (plan.switch_user) {
    if (::setgroups(1, &plan.gid) != 0 || ::setgid(plan.gid) != 0 || ::setuid(plan.uid) != 0) {
      fail(SpawnStage::kSwitchUser);
    }
  }
  // After the credential change, which would clear it.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);
  if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) != 0) fail(SpawnStage::kChdir);
  // The test's sockets and files stay with the test, except the pipe reporting a failed exec.
  if (error_pipe != 3) {
    ::dup2(error_pipe, 3);
    error_pipe = 3;
  }
  ::fcntl(3, F_SETFD, FD_CLOEXEC);
  ::close_range(4, ~0U, 0);
  ::execv(plan.file.c_str(), plan.argv.data());
  fail(SpawnStage::kExec);
  ::_exit(127);
}

}  // namespace

std::string describe_wait_status(int wait_status) {
  if (WIFEXITED(wait_status))
    return "exited with status " + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status))
    return "was killed by signal " + std::to_string(WTERMSIG(wait_status));
  return "stopped with wait status " + std::to_string(wait_status);
}

Result<ChildProcess> ChildProcess::spawn(SpawnOptions options) {
  if (options.argv.empty()) return Error{ErrorCode::kInvalidConfig, "spawn: empty argv"};
  ExecPlan plan;
  plan.file = find_executable(options.argv[0]);
  for (auto& arg : options.argv) plan.argv.push_back(arg.data());
  plan.argv.push_back(nullptr);
  if (!options.run_as.empty() && ::geteuid() == 0) {
    const passwd* user = ::getpwnam(options.run_as.c_str());
    if (user == nullptr) return io_error("spawn: no user '" + options.run_as + "' on this machine");
    plan.switch_user = true;
    plan.uid = user->pw_uid;
    plan.gid = user->pw_gid;
  }
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
    return io_error("spawn: pipe: " + std::string(strerror(errno)));
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return io_error("spawn: fork: " + std::string(strerror(errno)));
  }
  if (pid == 0) {
    ::close(pipe_fds[0]);
    exec_child(plan, options, parent, pipe_fds[1]);
  }
  ::close(pipe_fds[1]);
  int report[2];
  ssize_t n;
  do {
    n = ::read(pipe_fds[0], report, sizeof report);
  } while (n < 0 && errno == EINTR);
  ::close(pipe_fds[0]);
  ChildProcess child(pid, std::move(options));
  if (n == static_cast<ssize_t>(sizeof report)) {
    child.reap(Duration::max());
    return io_error(describe_spawn_failure(static_cast<SpawnStage>(report[0]), report[1],
                                           child.options_, plan.file));
  }
  return child;
}

Status ChildProcess::run(SpawnOptions options, Duration timeout) {
  auto child = spawn(std::move(options));
  if (!child.ok()) return child.error();
  if (!child->reap(timeout)) {
    child->kill_now();
    return io_error(child->command_line() + " did not finish within " +
                    std::to_string(timeout.count()) + " ms; its output:\n" + child->log_text());
  }
  if (WIFEXITED(child->wait_status_) && WEXITSTATUS(child->wait_status_) == 0) return ok_status();
  return io_error(child->command_line() + " " + describe_wait_status(child->wait_status_) +
                  "; its output:\n" + child->log_text());
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      wait_status_(other.wait_status_),
      options_(std::move(other.options_)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    kill_now();
    pid_ = std::exchange(other.pid_, -1);
    wait_status_ = other.wait_status_;
    options_ = std::move(other.options_);
  }
  return *this;
}

ChildProcess::~ChildProcess() { kill_now(); }

bool ChildProcess::running() { return pid_ > 0 && !reap(Duration::zero()); }

bool ChildProcess::reap(Duration timeout) {
  if (pid_ <= 0) return true;
  const auto deadline =
      timeout == Duration::max() ? Clock::time_point::max() : Clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_ || (r < 0 && errno == ECHILD)) {
      wait_status_ = status;
      pid_ = -1;
      return true;
    }
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

Status ChildProcess::wait_ready(const std::string& what, const std::function<bool()>& ready,
                                Duration timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (ready()) return ok_status();
    if (reap(Duration::zero())) {
      return io_error(what + ": " + command_line() + " " + describe_wait_status(wait_status_) +
                      " before it was ready; its output:\n" + log_text());
    }
    if (Clock::now() >= deadline) {
      kill_now();
      return io_error(what + ": not ready within " + std::to_string(timeout.count()) + " ms (" +
                      command_line() + "); its output:\n" + log_text());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::optional<int> ChildProcess::stop(int signal, Duration grace) {
  if (pid_ <= 0) return std::nullopt;
  ::kill(pid_, signal);
  if (!reap(grace)) kill_now();
  return wait_status_;
}

void ChildProcess::kill_now() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  reap(Duration::max());
}

std::string read_log(const std::filesystem::path& log) {
  std::ifstream in(log, std::ios::binary);
  if (!in) return "(no output: " + log.string() + " is missing)";
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (text.size() > kMaxLogQuote) text = "[...]" + text.substr(text.size() - kMaxLogQuote);
  return text.empty() ? "(no output)" : text;
}

std::string ChildProcess::command_line() const {
  std::string line;
  for (const auto& arg : options_.argv) {
    if (!line.empty()) line += ' ';
    line += arg.find(' ') == std::string::npos ? arg : "'" + arg + "'";
  }
  return line;
}

}  // namespace fmn::test
