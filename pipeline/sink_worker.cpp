#include "pipeline/sink_worker.h"

namespace fmn::pipeline {

SinkWorker::SinkWorker(sinks::Sink& sink, size_t capacity, std::chrono::milliseconds stop_grace,
                       std::chrono::milliseconds tick_interval)
    : sink_(sink),
      capacity_(capacity > 0 ? capacity : 1),
      stop_grace_(stop_grace),
      tick_interval_(tick_interval) {
  thread_ = std::thread([this] { run(); });
}

SinkWorker::~SinkWorker() { stop(); }

void SinkWorker::submit(std::shared_ptr<const std::vector<Notification>> batch) {
  if (!batch || batch->empty()) return;
  std::unique_lock lock(mu_);
  not_full_.wait(
      lock, [&] { return queue_.empty() || queued_ + batch->size() <= capacity_ || stopping_; });
  queued_ += batch->size();
  queue_.push_back(std::move(batch));
  submitted_.fetch_add(1, std::memory_order_release);
  not_empty_.notify_one();
}

size_t SinkWorker::depth() const {
  std::lock_guard lock(mu_);
  return queued_;
}

void SinkWorker::stop() {
  if (stopped_.exchange(true)) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  not_empty_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void SinkWorker::run() {
  auto next_tick = std::chrono::steady_clock::now() + tick_interval_;
  for (;;) {
    std::shared_ptr<const std::vector<Notification>> batch;
    {
      std::unique_lock lock(mu_);
      not_empty_.wait_until(lock, next_tick, [&] { return !queue_.empty() || stopping_; });
      if (!queue_.empty()) {
        batch = std::move(queue_.front());
        queue_.pop_front();
        queued_ -= batch->size();
        not_full_.notify_all();
      } else if (stopping_) {
        break;
      }
    }
    if (batch) {
      sink_.deliver(*batch);
      completed_.fetch_add(1, std::memory_order_release);
    }
    if (auto now = std::chrono::steady_clock::now(); now >= next_tick) {
      sink_.tick();
      next_tick = now + tick_interval_;
    }
  }
  sink_.tick();
  undelivered_ = sink_.drain(stop_grace_);
}

}  // namespace fmn::pipeline
