// Batches notifications into digests in front of a sink: per (user, destination), immediate
// or collected until the time or count of the notification's DigestPolicy is reached (`every`
// after the first item, or the next local time of day `at`), with pending items in a DigestStore
// (memory or Redis) so a restart resumes them. A notification arriving while its destination is
// snoozed or in quiet hours (the policy's DeliveryWindow, core/delivery_window.h) is held, with
// the rest of its digest, until they end, and then sent as one digest; a count reached meanwhile
// waits too. A digest already due before its quiet hours began (with no item arriving since) is
// not held. Due times come from the injected Clock's wall time.
//
// Every notification is delivered at most once per destination: its delivery_id() is marked
// in the store's dedupe set (with TTL), so a replay after a restart, or a message matched by
// two rules, is not sent again. An immediate notification is marked only once the sink has
// settled it (deliver_confirmed: for IRC, once the server confirmed its lines); until then a
// repeat is recognised in memory. One the sink still held when the process stopped is not
// marked: the bus replaying it after a restart delivers it. A digest's items are marked as they
// are added (they are durable in the store until the digest settles). A digest lists at most
// `max_items` items (FMN: 1,000) and counts the rest as omitted.
// Crash safety: take() moves a digest's items in flight before the sink sees them; done()
// clears them once the sink has settled the digest (sent it, or given it up), not when it
// merely queued it for a retry. While a key's digest is unsettled, that key is not flushed
// again: its new items stay pending and are flushed once it settles. recover() (call once at
// start-up) re-delivers what a stop left in flight: a stop between the sink's success and
// done() sends that digest again (same Message-ID, so mail clients fold it); nothing is lost.
// Store errors are counted as failed and reported; the batcher keeps going. One thread at a
// time, like every Sink.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "core/clock.h"
#include "sinks/digest_store.h"
#include "sinks/sink.h"

namespace fmn::sinks {

struct DigestBatcherConfig {
  size_t max_items = 1000;
};

class DigestBatcher : public Sink {
 public:
  // `inner`, `store` and `clock` outlive the batcher.
  DigestBatcher(Sink& inner, DigestStore& store, DigestBatcherConfig config = {},
                Clock& clock = SystemClock::instance(), FailureHandler on_failure = {});

  std::string_view name() const override { return inner_.name(); }
  void deliver(std::span<const Notification> batch) override;
  // Settles a notification once it is safe elsewhere: an immediate one once the sink settled
  // it (or at once when it was already delivered), a digest item once the store holds it. One
  // the store could not be asked about (Redis restarting) is held and handled again by tick()
  // (about once a second) until the store answers; one with no callback is dropped (counted).
  void deliver_confirmed(std::span<const Notification> batch,
                         std::span<NotificationSettled> settled) override;
  // Flushes the digests that are due or were held back, then ticks the inner sink.
  void tick() override;
  void send_confirmation(const ConfirmationRequest& request) override {
    inner_.send_confirmation(request);
  }
  // Re-delivers digests left in flight by a previous run. Call before the first deliver().
  void recover();
  // Flushes every pending digest now, due or not (used at shutdown when asked to).
  void flush_all();
  size_t drain(std::chrono::milliseconds grace) override;

  // "kind:user:address", bounded in size (core/bounded_id.h).
  static std::string key_of(const Notification& n);
  // Whether `key` (from key_of) is one of `user`'s; a key bounded by hashing is nobody's.
  static bool key_of_user(std::string_view key, std::string_view user);

 private:
  void flush(const std::string& key);
  // The sink is finished with the key's digest: its items leave the store.
  void settle(const std::string& key);
  // The sink settled the immediate notification `id`: mark it delivered.
  void delivered(const std::string& id);
  void store_error(const Error& e);
  // Keeps `n`, which the store could not check or hold, for retry_unchecked(); only when
  // `outer` waits for it (a notification from the outbox).
  void hold_unchecked(const Notification& n, NotificationSettled outer);
  void retry_unchecked();

  Sink& inner_;
  DigestStore& store_;
  DigestBatcherConfig config_;
  Clock& clock_;
  FailureHandler on_failure_;
  std::vector<Notification> immediate_;
  std::vector<NotificationSettled> settled_;  // one per immediate_ notification
  std::set<std::string> on_the_way_;          // immediate ids handed over, not yet settled
  std::string encoded_;
  std::set<std::string> unsettled_;  // keys whose digest the sink still holds
  std::set<std::string> held_;       // keys to flush once their digest settles
  static constexpr std::chrono::seconds kUncheckedRetry{1};
  std::vector<Notification> unchecked_;  // the store could not check or hold them yet
  std::vector<NotificationSettled> unchecked_settled_;  // one per unchecked_ notification
  Clock::time_point next_retry_{};
  bool retrying_ = false;
};

}  // namespace fmn::sinks
