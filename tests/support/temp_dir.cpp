#include "tests/support/temp_dir.h"

#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <system_error>

namespace fmn::test {

Status write_file(const std::filesystem::path& path, std::string_view text) {
  const auto temp = path.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) return Error{ErrorCode::kIo, "cannot write " + temp};
  }
  std::error_code error;
  std::filesystem::rename(temp, path, error);
  if (error) return Error{ErrorCode::kIo, "cannot rename " + temp + ": " + error.message()};
  return ok_status();
}

Result<TempDir> TempDir::create(const std::string& prefix, const std::string& owner) {
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/fmn-" + prefix + "-XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr) {
    return Error{ErrorCode::kIo, "mkdtemp " + templ + ": " + strerror(errno)};
  }
  TempDir dir{std::filesystem::path(templ)};
  if (!owner.empty() && ::geteuid() == 0) {
    const passwd* user = ::getpwnam(owner.c_str());
    if (user == nullptr) return Error{ErrorCode::kIo, "no user '" + owner + "' on this machine"};
    if (::chown(templ.c_str(), user->pw_uid, user->pw_gid) != 0) {
      return Error{ErrorCode::kIo, "chown " + templ + " to " + owner + ": " + strerror(errno)};
    }
  }
  return dir;
}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

TempDir::~TempDir() { remove(); }

void TempDir::remove() {
  if (path_.empty()) return;
  std::error_code ignored;  // a leftover temp dir is not worth failing a test for
  std::filesystem::remove_all(path_, ignored);
  path_.clear();
}

}  // namespace fmn::test
