#include "pipeline/outbox_writer.h"

#include <algorithm>
#include <chrono>
#include <span>

#include "core/thread_name.h"

namespace fmn::pipeline {

OutboxWriter::OutboxWriter(sinks::RedisOutbox& outbox, OnFailure on_failure, Written written,
                           Failed failed, Unwritten unwritten)
    : outbox_(outbox),
      on_failure_(on_failure),
      written_(std::move(written)),
      failed_(std::move(failed)),
      unwritten_(std::move(unwritten)) {
  thread_ = std::thread([this] { run(); });
  name_thread(thread_, "outbox-" + outbox_.kind());
}

OutboxWriter::~OutboxWriter() { stop(); }

void OutboxWriter::write(Batch batch) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(batch));
  }
  not_empty_.notify_one();
}

void OutboxWriter::abandon() {
  {
    std::lock_guard lock(mu_);
    giving_up_ = true;
  }
  give_up_.notify_one();
}

void OutboxWriter::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    giving_up_ = true;
  }
  not_empty_.notify_one();
  give_up_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void OutboxWriter::run() {
  std::vector<Batch> taken;
  std::vector<std::span<const Notification>> spans;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      not_empty_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, and everything written
      const size_t n = std::min(queue_.size(), kMaxGroup);
      taken.assign(std::make_move_iterator(queue_.begin()),
                   std::make_move_iterator(queue_.begin() + static_cast<ptrdiff_t>(n)));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(n));
    }
    spans.clear();
    for (const Batch& b : taken) spans.emplace_back(*b);
    if (on_failure_ == OnFailure::kHold) {
      if (!dropped_) {
        if (auto ids = append_held(spans)) {
          for (size_t i = 0; i < taken.size(); ++i)
            written_(std::move(taken[i]), std::move((*ids)[i]));
          continue;
        }
        dropped_ = true;
      }
      if (unwritten_) unwritten_(taken);
      taken.clear();
      continue;
    }
    auto ids = outbox_.append_all(spans);
    if (!ids) failed_(ids.error());
    for (size_t i = 0; i < taken.size(); ++i) {
      written_(std::move(taken[i]), ids ? std::move((*ids)[i]) : std::string());
    }
  }
}

Result<std::vector<std::string>> OutboxWriter::append_held(
    std::span<const std::span<const Notification>> spans) {
  constexpr std::chrono::milliseconds kFirstRetry{100}, kLastRetry{5'000};
  std::chrono::milliseconds delay = kFirstRetry;
  for (;;) {
    auto ids = outbox_.append_all(spans);
    if (ids) return ids;
    failed_(ids.error());
    std::unique_lock lock(mu_);
    if (giving_up_) return ids;
    give_up_.wait_for(lock, delay, [&] { return giving_up_; });
    delay = std::min(2 * delay, kLastRetry);
  }
}

}  // namespace fmn::pipeline
