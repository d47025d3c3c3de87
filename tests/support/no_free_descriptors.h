// Runs the whole process out of file descriptors while it lives: RLIMIT_NOFILE lowered to a
// few above the lowest free descriptor, and every descriptor left below it taken. A server
// under test then fails to accept (EMFILE); sockets made before still connect. release() (or
// the destructor) gives them back and restores the limit. request_out_of_descriptors() is what a
// server's test of that case sends. Header only; not thread-safe.
//
// Under AddressSanitizer or ThreadSanitizer the case cannot be shown in-process: their runtimes
// open descriptors of their own on any thread (UBSan's memory probes take a pipe), so they fail
// and report at random; tests skip it there (kSanitizerNeedsDescriptors) and run it in the
// plain build.
#pragma once

#include <sys/resource.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "tests/support/raw_http_client.h"

namespace fmn::test {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitizerNeedsDescriptors = true;
#else
inline constexpr bool kSanitizerNeedsDescriptors = false;
#endif

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

struct ReplyOutOfDescriptors {
  bool exhausted = false;  // whether descriptors did run out (else nothing was sent)
  std::string text;        // what the server answered, up to its close
  bool closed = false;     // whether it closed the connection
};

// Sends `request` to the server on `port` while the process has no descriptor free, and reads
// the answer until the server closes the connection (or 10 s pass).
inline ReplyOutOfDescriptors request_out_of_descriptors(int port, const std::string& request) {
  // The client's socket exists before descriptors run out: connecting needs no new one, but
  // the server's accept() does.
  Client client(port);
  NoFreeDescriptors exhausted;
  ReplyOutOfDescriptors reply;
  reply.exhausted = exhausted.ok();
  if (!reply.exhausted) return reply;
  client.connect();
  client.send(request);
  reply.text = client.read_until("never sent");
  reply.closed = client.closed();
  return reply;
}

}  // namespace fmn::test
