// TempDir: a fresh directory under $TMPDIR (or /tmp), removed with everything in it when the
// TempDir is destroyed. Move-only; not thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"
#include "tests/support/status.h"

namespace fmn::test {

class TempDir {
 public:
  // Creates "<tmp>/fmn-<prefix>-XXXXXX". When `owner` is a user name and the process runs as
  // root, the directory is handed to that user (mode 0700), for servers that run as that user.
  static Result<TempDir> create(const std::string& prefix, const std::string& owner = "");

  TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  explicit TempDir(std::filesystem::path path) : path_(std::move(path)) {}
  void remove();

  std::filesystem::path path_;
};

// Writes `text` to `path` through a temporary file and a rename: a reader (a server polling
// its mode file) sees the old text or the new one, whole.
Status write_file(const std::filesystem::path& path, std::string_view text);

}  // namespace fmn::test
