// HistoryRecorder: takes delivery records from the sink workers and writes them to the
// delivery history (sinks/delivery_history.h) on its own thread, so a slow or unreachable
// Redis never holds a delivery up.
//
// record() never blocks: when `capacity` records are already waiting, the record is dropped and
// counted (dropped(), fmn_history_dropped_total). The thread writes what is queued in batches;
// a failed write loses that batch, counted (errors()) and logged once per run. stop() writes
// what is queued, then joins; the destructor stops. A record made from a notification keeps
// bounded copies of the message's fields, once per recipient: the msg_id (core/bounded_id.h)
// and the subtitle, cut to sinks::kMaxFieldBytes as the renderer cuts a field.
// Thread-safety: record() and the counters from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/notification.h"
#include "sinks/delivery_history.h"

namespace fmn::pipeline {

class HistoryRecorder {
 public:
  // `clock` (stamps the records) outlives the recorder.
  HistoryRecorder(std::shared_ptr<sinks::DeliveryHistory> history, size_t capacity = 10'000,
                  const Clock& clock = SystemClock::instance());
  ~HistoryRecorder();
  HistoryRecorder(const HistoryRecorder&) = delete;
  HistoryRecorder& operator=(const HistoryRecorder&) = delete;

  // What became of `n`, now; `detail` says why when it failed.
  void record(const Notification& n, sinks::DeliveryStatus status, std::string detail = {});
  void record(sinks::DeliveryRecord record);
  void stop();  // idempotent

  uint64_t written() const { return written_.load(std::memory_order_relaxed); }
  uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  uint64_t errors() const { return errors_.load(std::memory_order_relaxed); }

 private:
  void run();

  const std::shared_ptr<sinks::DeliveryHistory> history_;
  const size_t capacity_;
  const Clock& clock_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::vector<sinks::DeliveryRecord> queue_;
  bool stopping_ = false;
  std::atomic<uint64_t> written_{0}, dropped_{0}, errors_{0};
  std::thread thread_;
};

}  // namespace fmn::pipeline
