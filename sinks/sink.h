// Where notifications end: email, IRC, SSE, stdout, or a counter for benches. One interface for
// all of them.
//
// The pipeline calls a sink from one thread at a time (each destination kind has its own queue
// and thread, so a slow sink never delays another). No method throws: a failed delivery is
// retried or recorded by the sink itself and shows in its counters. Counters may be read from
// any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "core/notification.h"
#include "sinks/confirmation.h"
#include "sinks/digest.h"
#include "sinks/settled.h"

namespace fmn::sinks {

struct SinkCounters {
  std::atomic<uint64_t> delivered{0};  // notifications (or digests) the destination accepted
  std::atomic<uint64_t> retried{0};    // attempts that failed temporarily and will be retried
  std::atomic<uint64_t> failed{0};     // given up: refused for good, or out of attempts
  std::atomic<uint64_t> rejected{0};   // never attempted: invalid address or unusable content
  std::atomic<uint64_t> dropped{0};    // discarded because a bounded queue was full
  std::atomic<uint64_t> truncated{0};  // delivered cut short: larger than the sink's event limit
};

// Why a delivery was given up, for the operator's log and for disabling a destination that
// refuses mail for good (FMN disabled an address on a permanent 550).
struct DeliveryFailure {
  std::string user;
  std::string address;
  bool permanent = false;  // the destination refused it; false: out of attempts, or rejected
  std::string detail;
};
using FailureHandler = std::function<void(const DeliveryFailure&)>;

// Called by a sink once it is finished with one notification handed to deliver_confirmed() or
// deliver_digest(): sinks/settled.h.
using NotificationSettled = Settled;

class Sink {
 public:
  virtual ~Sink() = default;
  virtual std::string_view name() const = 0;
  virtual void deliver(std::span<const Notification> batch) = 0;
  // A batch the caller has no further use for: a sink that keeps its notifications (a router
  // handing them to queues) may move them out rather than copy them, leaving them valid but
  // unspecified. By default, deliver().
  virtual void deliver_owned(std::span<Notification> batch) { deliver(batch); }
  // Delivers a digest as one message where the medium allows (an email listing every item),
  // and calls `settled[i]` once finished with `digest.items[i]`, possibly before returning: each
  // item with its own outcome (a given-up one with its reason), which for a digest sent as one
  // message is the message's. By default each item is delivered on its own, as by
  // deliver_confirmed(). REQUIRES: settled.size() == digest.items.size().
  virtual void deliver_digest(const Digest& digest, std::span<NotificationSettled> settled) {
    deliver_confirmed(digest.items, settled);
  }
  // Like deliver(), and calls `settled[i]` once finished with `batch[i]`: for a sink that
  // confirms deliveries (IRC: the server's PONG after the lines), only then; never for a
  // notification still held when the sink stops. By default right after deliver().
  // REQUIRES: settled.size() == batch.size().
  virtual void deliver_confirmed(std::span<const Notification> batch,
                                 std::span<NotificationSettled> settled) {
    deliver(batch);
    for (NotificationSettled& s : settled) s();
  }
  // Sends a confirmation request to a new address of this sink's kind (the only message it gets
  // until confirmed). Default: the sink has no way to ask; the request is dropped, counted.
  virtual void send_confirmation(const ConfirmationRequest& request) {
    (void)request;
    counters_.rejected.fetch_add(1, std::memory_order_relaxed);
  }
  // Called about once a second by the sink's thread: retries what is due. Default: nothing.
  virtual void tick() {}
  // The service is stopping: delivers what the sink still holds, for at most `grace`, then
  // closes its connections. Returns how many notifications (or digests) are left undelivered;
  // their settled callbacks are never called. Default: nothing held, 0.
  virtual size_t drain(std::chrono::milliseconds grace) {
    (void)grace;
    return 0;
  }
  const SinkCounters& counters() const { return counters_; }

 protected:
  SinkCounters counters_;
};

}  // namespace fmn::sinks
