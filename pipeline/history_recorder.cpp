#include "pipeline/history_recorder.h"

#include "core/log.h"

namespace fmn::pipeline {

HistoryRecorder::HistoryRecorder(std::shared_ptr<sinks::DeliveryHistory> history, size_t capacity)
    : history_(std::move(history)), capacity_(capacity > 0 ? capacity : 1) {
  thread_ = std::thread([this] { run(); });
}

HistoryRecorder::~HistoryRecorder() { stop(); }

void HistoryRecorder::record(sinks::DeliveryRecord record) {
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= capacity_ || stopping_) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    queue_.push_back(std::move(record));
  }
  wake_.notify_one();
}

void HistoryRecorder::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void HistoryRecorder::run() {
  std::vector<sinks::DeliveryRecord> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, everything written
      batch.swap(queue_);
    }
    auto written = history_->append(batch);
    if (written) {
      written_.fetch_add(batch.size(), std::memory_order_relaxed);
    } else if (errors_.fetch_add(batch.size(), std::memory_order_relaxed) == 0) {
      log::warn("history_write_failed",
                {{"store", history_->describe()}, {"detail", written.error().message}});
    }
    batch.clear();
  }
}

}  // namespace fmn::pipeline
