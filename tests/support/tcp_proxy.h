// TcpProxy: a TCP proxy on 127.0.0.1:<free port> to a server on another loopback port, which can
// lose a reply on purpose: once drop_next_reply() was called, the next data the server sends on
// any connection is not passed on, and that connection is closed on both sides. The client has
// then written its request and the server has handled it, but the client never learns so — the
// case a client retrying after a lost connection must handle.
//
// One thread forwards every connection; the destructor stops it and closes them all. Methods
// are thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "core/result.h"

namespace fmn::test {

class TcpProxy {
 public:
  // A proxy to 127.0.0.1:`target_port`, listening once this returns.
  static Result<std::unique_ptr<TcpProxy>> start(int target_port);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const { return port_; }
  void drop_next_reply() { drop_armed_ = true; }
  // Replies dropped so far.
  int dropped() const { return dropped_; }

 private:
  TcpProxy(int listener, int port, int target_port, int wake_read, int wake_write);
  void run();

  const int listener_, port_, target_port_, wake_read_, wake_write_;
  std::atomic<bool> drop_armed_{false};
  std::atomic<int> dropped_{0};
  std::thread thread_;
};

}  // namespace fmn::test
