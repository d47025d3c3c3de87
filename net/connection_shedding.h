// Turning a connection away cleanly, for the Asio servers: an HTTP 503 with Retry-After instead
// of a bare close (a client then backs off instead of reconnecting at once or seeing a reset),
// and a reserve descriptor, so that even a process out of descriptors (EMFILE/ENFILE) can
// accept a waiting connection to answer it, instead of leaving it hanging in the listen queue.
// Not thread-safe: used by a listener's strand (listener.h).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <chrono>

namespace fmn::net {

// Answers `socket` "503 Service Unavailable" with `Retry-After: retry_after`, without waiting
// (the response fits a fresh socket's send buffer; if it does not, the client gets a bare
// close), and closes it.
void refuse_busy(boost::asio::ip::tcp::socket& socket, std::chrono::seconds retry_after);

// One descriptor held open (on /dev/null) to be given up when the process has no other.
class ReserveDescriptor {
 public:
  ReserveDescriptor();  // takes it; held() is false if even that failed
  ~ReserveDescriptor();
  ReserveDescriptor(const ReserveDescriptor&) = delete;
  ReserveDescriptor& operator=(const ReserveDescriptor&) = delete;

  bool held() const { return fd_ >= 0; }
  // Closes it, so the next descriptor the process opens can succeed; false if none was held.
  bool release();
  // Takes it again (when one is free); returns held().
  bool retake();

 private:
  int fd_ = -1;
};

// What became of a connection accepted through the reserve.
enum class ReserveAccept {
  kNone,     // no reserve, or no connection waiting
  kRefused,  // descriptors were out: answered refuse_busy() and closed
  kServe,    // descriptors were free again (some closed since accept failed): in `socket`
};

// Accepts one connection already waiting on `acceptor` into `socket` by giving up `reserve`
// for it, then takes the reserve again. When that fails, the process is still out of
// descriptors: the connection is answered refuse_busy(), and the reserve taken once more.
ReserveAccept accept_with_reserve(boost::asio::ip::tcp::acceptor& acceptor,
                                  ReserveDescriptor& reserve, std::chrono::seconds retry_after,
                                  boost::asio::ip::tcp::socket& socket);

}  // namespace fmn::net
