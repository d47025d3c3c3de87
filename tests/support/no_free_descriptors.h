// Runs the whole process out of file descriptors while it lives: RLIMIT_NOFILE lowered to a
// few above the lowest free descriptor, and every descriptor left below it taken. A server
// under test then fails to accept (EMFILE); sockets made before still connect. release() (or
// the destructor) gives them back and restores the limit. Header only; not thread-safe.
#pragma once

#include <sys/resource.h>
#include <unistd.h>

#include <vector>

namespace fmn::test {

class NoFreeDescriptors {
 public:
  NoFreeDescriptors() {
    if (::getrlimit(RLIMIT_NOFILE, &saved_) != 0) return;
    const int lowest_free = ::dup(0);
    if (lowest_free < 0) return;
    ::close(lowest_free);
    rlimit low = saved_;
    low.rlim_cur = static_cast<rlim_t>(lowest_free + 8);
    if (::setrlimit(RLIMIT_NOFILE, &low) != 0) return;
    lowered_ = true;
    for (int fd; (fd = ::dup(0)) >= 0;) hogs_.push_back(fd);
  }
  ~NoFreeDescriptors() { release(); }
  NoFreeDescriptors(const NoFreeDescriptors&) = delete;
  NoFreeDescriptors& operator=(const NoFreeDescriptors&) = delete;

  // Whether the limit could be lowered (descriptors did run out).
  bool ok() const { return lowered_; }
  void release() {
    for (int fd : hogs_) ::close(fd);
    hogs_.clear();
    if (lowered_) ::setrlimit(RLIMIT_NOFILE, &saved_);
    lowered_ = false;
  }

 private:
  rlimit saved_{};
  bool lowered_ = false;
  std::vector<int> hogs_;
};

}  // namespace fmn::test
