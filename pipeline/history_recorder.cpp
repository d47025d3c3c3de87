#include "pipeline/history_recorder.h"

#include "core/bounded_id.h"
#include "core/log.h"
#include "core/thread_name.h"
#include "sinks/renderer.h"
#include "sinks/text_escape.h"

namespace fmn::pipeline {

HistoryRecorder::HistoryRecorder(std::shared_ptr<sinks::DeliveryHistory> history, size_t capacity,
                                 const Clock& clock)
    : history_(std::move(history)), capacity_(capacity > 0 ? capacity : 1), clock_(clock) {
  thread_ = std::thread([this] { run(); });
  name_thread(thread_, "history");
}

void HistoryRecorder::record(const Notification& n, sinks::DeliveryStatus status,
                             std::string detail) {
  sinks::DeliveryRecord r;
  r.at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.wall().time_since_epoch())
                .count();
  r.user = n.user();
  r.kind = destination_kind_name(n.destination);
  r.address = n.address();
  r.rule = n.rule_name();
  if (n.message) {
    // Kept per recipient: nothing of unbounded length (topics are at most kMaxTopicBytes).
    r.msg_id = bounded_id(n.message->msg_id);
    r.topic = n.message->topic;
    if (const auto& subtitle = n.message->meta.subtitle) {
      sinks::append_truncated(r.subtitle, *subtitle, sinks::kMaxFieldBytes);
    }
  }
  r.status = status;
  r.detail = std::move(detail);
  record(std::move(r));
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
