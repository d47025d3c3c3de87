// SinkWorker: one destination kind's own queue and thread, so a slow sink (an SMTP server that
// times out, an IRC server flood-limiting us) never delays the others.
//
// submit() hands a batch over; when the batch would take the queue past `capacity`
// notifications it blocks (back-pressure up the graph, visible as the queue-depth gauge)
// rather than growing memory. Counting notifications, not batches, keeps the bound when a
// backlog makes every batch full. An empty queue takes any batch, however large. The thread calls
// the sink's deliver() for each batch and tick() at least every `tick_interval` (digest timers,
// retries, IRC keepalive). stop() delivers what is queued, lets the sink drain what it still
// holds for at most `stop_grace` (Sink::drain), then joins; undelivered() then says how many
// notifications were left.
// With an outbox (sinks/redis_outbox.h), submit() hands the batch to the worker's OutboxWriter
// and returns at once (the caller routes its next batch while Redis answers); the batch joins
// the queue only once the outbox holds it, so the sink never sees, and completed() never counts,
// a batch that is not durable yet: completed() reaching a value of submitted() is the point
// where a source may acknowledge its messages (Settlement). A batch the outbox holds counts as
// completed at once, before the sink has it: from then on the outbox delivers it, after a crash
// too, so a broker need not keep (and, after a crash, deliver again) a message whose
// notifications a slow sink of another kind has not reached yet. A batch delivered from memory
// (no outbox, or Redis down under kDeliverFromMemory) counts once the sink took it. Entries leave
// the outbox once the sink settled them (Sink::deliver_confirmed), in one removal when the queue
// is empty, at a tick, once kRemoveGroup are waiting or with a dead letter among them (under load
// one round trip for many entries, without it at once); what a previous run left there
// is claimed when the worker is built and delivered first (when Redis is down then, by the thread
// once it is back). Whatever the sink has not settled when stop() ends stays in the outbox for the
// next start (left_in_outbox()); what the claim dead-letters (handed out too often) goes to
// `dead_letters`. Should the outbox fail (Redis down), it is counted (outbox_errors()) and the
// worker does as `on_outbox_failure` says (OutboxWriter::OnFailure): deliver the batch from memory
// as without an outbox, or hold it until Redis takes it (a broker source: its messages stay
// unacknowledged, and submit() blocks once the held batches fill the capacity). give_up_holding()
// (at shutdown) ends the wait: what Redis still refuses is dropped and counted (unwritten()), left
// to the broker to deliver again. A notification the sink gave up for good (an SMTP 5xx for its
// recipient, out of attempts) is settled like the others and its entry leaves the outbox as usual,
// but the notification is first written to the kind's dead letters (RedisOutbox::remove), so only
// it is set apart. Thread-safety: submit(), depth() and the counters from any thread; the sink is
// only touched by the worker.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "core/notification.h"
#include "pipeline/outbox_writer.h"
#include "sinks/redis_outbox.h"
#include "sinks/sink.h"

namespace fmn::pipeline {

class SinkWorker {
 public:
  // Told what the outbox's recovery dead-lettered (never delivered): during construction, or on
  // the worker's thread when Redis was down then.
  using DeadLetters = std::function<void(std::span<const Notification>)>;
  // `sink` and `outbox` (may be null: memory only) outlive the worker.
  SinkWorker(
      sinks::Sink& sink, size_t capacity,
      std::chrono::milliseconds stop_grace = std::chrono::milliseconds(10'000),
      std::chrono::milliseconds tick_interval = std::chrono::milliseconds(200),
      sinks::RedisOutbox* outbox = nullptr, DeadLetters dead_letters = {},
      OutboxWriter::OnFailure on_outbox_failure = OutboxWriter::OnFailure::kDeliverFromMemory);
  ~SinkWorker();

  void submit(std::shared_ptr<const std::vector<Notification>> batch);
  size_t depth() const;  // notifications queued
  // Queues a confirmation request for the sink (Sink::send_confirmation), sent on the worker's
  // thread before the next batch. Thread-safe; never blocks.
  void send_confirmation(sinks::ConfirmationRequest request);
  // Queues one notification beside the batches (a user's test notification): delivered on the
  // worker's thread before the next batch, outside the outbox and the queue's bound. Thread-safe;
  // never blocks.
  void send_single(Notification notification);
  // Batches taken by submit(), and batches in the outbox or (without it) that the sink has
  // finished deliver() for: once completed() reaches a value submitted() had, every batch
  // submitted until then is durable or delivered. Entries taken back from the outbox count in
  // neither (a previous run's, durable already).
  uint64_t submitted() const { return submitted_.load(std::memory_order_acquire); }
  uint64_t completed() const { return completed_.load(std::memory_order_acquire); }
  // Delivers everything queued, then stops the thread. Idempotent.
  void stop();
  // With a holding outbox: stops waiting for Redis (see above). Returns at once.
  void give_up_holding();
  // Notifications dropped because the outbox could not take them when holding was given up.
  uint64_t unwritten() const { return unwritten_.load(std::memory_order_relaxed); }
  // Notifications the sink still held when stop() ended its grace period.
  size_t undelivered() const { return undelivered_; }
  // Notifications this run took from the outbox and left there unsettled at stop (their
  // entries stay). After stop().
  size_t left_in_outbox() const { return unsettled_; }
  bool has_outbox() const { return outbox_ != nullptr; }
  const sinks::RedisOutbox* outbox() const { return outbox_; }
  uint64_t recovered() const { return recovered_.load(std::memory_order_relaxed); }
  uint64_t outbox_errors() const { return outbox_errors_.load(std::memory_order_relaxed); }
  sinks::Sink& sink() { return sink_; }

 private:
  struct Batch {
    std::shared_ptr<const std::vector<Notification>> notifications;
    std::string entry_id;    // empty: not in the outbox
    bool completed = false;  // counted by completed() when Redis took it, not when delivered
  };
  // Takes back what a previous run left in the outbox, queued first; false when Redis could not
  // be asked (then the thread asks again at each tick until it can).
  bool recover();
  // Waits until the queue (with what the writer holds) has room for `n` notifications, then
  // counts them and the batch as submitted.
  void reserve(size_t n);
  // Queues a batch reserve() counted.
  void push(Batch batch);
  void run();
  void deliver(const Batch& batch);
  // Removes the entries settled since the last call from the outbox.
  // Removes the settled entries when `now` or there are enough of them (see above).
  void remove_settled(bool now);
  static constexpr size_t kRemoveGroup = 32;
  void outbox_error(const Error& e);
  void drop_unwritten(std::span<const OutboxWriter::Batch> batches);

  sinks::Sink& sink_;
  const size_t capacity_;
  const std::chrono::milliseconds stop_grace_;
  const std::chrono::milliseconds tick_interval_;
  size_t undelivered_ = 0;  // written by the thread before it ends, read after join
  mutable std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<Batch> queue_;
  std::deque<sinks::ConfirmationRequest> confirmations_;
  std::vector<Notification> singles_;
  size_t queued_ = 0;  // notifications in queue_ and with the writer
  bool stopping_ = false;
  std::atomic<bool> stopped_{false};
  std::atomic<uint64_t> submitted_{0}, completed_{0};
  sinks::RedisOutbox* outbox_;
  struct UnsettledEntry {
    SinkWorker* worker;
    Batch batch;
    size_t left;  // notifications not settled yet
  };
  std::list<UnsettledEntry> unsettled_entries_;      // worker thread only
  std::vector<sinks::NotificationSettled> settled_;  // worker thread only, reused per batch
  std::vector<std::string> settled_ids_;             // worker thread only
  std::vector<sinks::DeadLetter> dead_letters_;      // given up since the last removal
  size_t unsettled_ = 0;  // notifications; worker thread only; read after join
  std::atomic<uint64_t> recovered_{0};
  const DeadLetters dead_letters_handler_;
  bool recover_pending_ = false;  // the start's recover() failed; worker thread after the start
  std::atomic<uint64_t> outbox_errors_{0}, unwritten_{0};
  std::unique_ptr<OutboxWriter> writer_;  // with an outbox
  std::thread thread_;
};

}  // namespace fmn::pipeline
