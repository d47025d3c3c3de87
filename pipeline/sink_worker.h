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
// Thread-safety: submit() and depth() from any thread; the sink is only touched by the worker.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/notification.h"
#include "sinks/sink.h"

namespace fmn::pipeline {

class SinkWorker {
 public:
  // `sink` outlives the worker.
  SinkWorker(sinks::Sink& sink, size_t capacity,
             std::chrono::milliseconds stop_grace = std::chrono::milliseconds(10'000),
             std::chrono::milliseconds tick_interval = std::chrono::milliseconds(200));
  ~SinkWorker();

  void submit(std::shared_ptr<const std::vector<Notification>> batch);
  size_t depth() const;  // notifications queued
  // Batches taken by submit(), and batches the sink has finished deliver() for: once
  // completed() reaches a value submitted() had, every batch submitted until then is delivered.
  uint64_t submitted() const { return submitted_.load(std::memory_order_acquire); }
  uint64_t completed() const { return completed_.load(std::memory_order_acquire); }
  // Delivers everything queued, then stops the thread. Idempotent.
  void stop();
  // Notifications the sink still held when stop() ended its grace period.
  size_t undelivered() const { return undelivered_; }
  sinks::Sink& sink() { return sink_; }

 private:
  void run();

  sinks::Sink& sink_;
  const size_t capacity_;
  const std::chrono::milliseconds stop_grace_;
  const std::chrono::milliseconds tick_interval_;
  size_t undelivered_ = 0;  // written by the thread before it ends, read after join
  mutable std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<std::shared_ptr<const std::vector<Notification>>> queue_;
  size_t queued_ = 0;  // notifications in queue_
  bool stopping_ = false;
  std::atomic<bool> stopped_{false};
  std::atomic<uint64_t> submitted_{0}, completed_{0};
  std::thread thread_;
};

}  // namespace fmn::pipeline
