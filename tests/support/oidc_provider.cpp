#include "tests/support/oidc_provider.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace fmn::test {
namespace {

namespace fs = std::filesystem;

Error io_error(std::string message) { return Error{ErrorCode::kIo, std::move(message)}; }

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Holds an exclusive flock on a file for its lifetime.
class FileLock {
 public:
  explicit FileLock(const fs::path& path) : fd_(::open(path.c_str(), O_CREAT | O_RDWR, 0644)) {
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

// <build>/oidc-provider with the pinned packages installed and the current provider script.
Result<fs::path> installed_provider() {
  const fs::path source = FMN_OIDC_SOURCE_DIR;
  const fs::path dir = FMN_OIDC_INSTALL_DIR;
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) return io_error("cannot create " + dir.string() + ": " + error.message());
  FileLock lock(dir / ".install.lock");
  if (!lock.ok()) return io_error("cannot lock " + (dir / ".install.lock").string());

  const std::string lockfile = read_file(source / "package-lock.json");
  const bool current = fs::exists(dir / "node_modules" / "oidc-provider" / "package.json") &&
                       read_file(dir / "package-lock.json") == lockfile;
  if (!current) {
    for (const char* name : {"package.json", "package-lock.json"}) {
      fs::copy_file(source / name, dir / name, fs::copy_options::overwrite_existing, error);
      if (error) return io_error(std::string("cannot copy ") + name + ": " + error.message());
    }
    auto installed =
        ChildProcess::run({.argv = {"npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"},
                           .log = dir / "npm-ci.log",
                           .cwd = dir},
                          std::chrono::minutes(5));
    if (!installed.ok()) {
      fs::remove(dir / "package-lock.json", error);  // so the next start tries again
      return io_error(
          "npm ci of the test OpenID provider failed (is npm installed? see "
          "scripts/install-deps): " +
          installed.error().message);
    }
  }
  // Rewritten only when changed: a provider started by a parallel test may be reading it.
  if (read_file(source / "provider.mjs") != read_file(dir / "provider.mjs")) {
    fs::copy_file(source / "provider.mjs", dir / "provider.mjs",
                  fs::copy_options::overwrite_existing, error);
    if (error) return io_error("cannot copy provider.mjs: " + error.message());
  }
  return dir;
}

}  // namespace

Result<OidcProvider> OidcProvider::start(OidcProviderOptions options) {
  auto dir = installed_provider();
  if (!dir.ok()) return dir.error();
  auto temp = TempDir::create("oidc");
  if (!temp.ok()) return temp.error();
  auto port = pick_free_port();
  if (!port.ok()) return port.error();
  ServerSpec spec{
      .name = "OpenID provider (npm oidc-provider)",
      .address = loopback_address(*port),
      .spawn = {.argv = {"node", (*dir / "provider.mjs").string(), std::to_string(*port),
                         options.redirect_uri, options.claims_in_id_token ? "yes" : "no"},
                .log = temp.value() / "provider.log",
                .cwd = *dir},
      .ready = [p = *port] { return port_accepts(p); },
  };
  auto process = ServerProcess::start(std::move(spec));
  if (!process.ok()) return process.error();
  return OidcProvider(std::move(temp).value(), std::move(process).value(), *port);
}

std::string OidcProvider::issuer() const { return "http://" + loopback_address(port_); }

}  // namespace fmn::test
