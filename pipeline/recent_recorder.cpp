#include "pipeline/recent_recorder.h"

#include "core/envelope_parser.h"
#include "core/log.h"
#include "core/thread_name.h"

namespace fmn::pipeline {

RecentRecorder::RecentRecorder(std::shared_ptr<sinks::RecentMessages> ring,
                               std::unique_ptr<sinks::RedisRecentMessages> redis, bool writes_redis,
                               const MetaExtractor& meta, size_t max_queued, Clock& clock)
    : ring_(std::move(ring)),
      redis_(std::move(redis)),
      writes_redis_(writes_redis),
      meta_(meta),
      max_queued_(max_queued),
      clock_(clock) {
  thread_ = std::thread([this] { run(); });
  name_thread(thread_, "recent");
}

RecentRecorder::~RecentRecorder() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void RecentRecorder::offer(const ParsedBatch& batch) {
  if (batch.messages.empty()) return;
  {
    std::lock_guard lock(mu_);
    if (queue_.size() + batch.messages.size() > max_queued_) {
      counters_.dropped.fetch_add(batch.messages.size(), std::memory_order_relaxed);
      return;
    }
    queue_.insert(queue_.end(), batch.messages.begin(), batch.messages.end());
  }
  wake_.notify_one();
}

void RecentRecorder::run() {
  if (redis_ && ring_) reload();
  std::vector<MessagePtr> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, all recorded
      batch.swap(queue_);
    }
    record(batch);
    batch.clear();
  }
}

void RecentRecorder::record(const std::vector<MessagePtr>& messages) {
  if (ring_) {
    const auto now = clock_.wall();
    for (const MessagePtr& m : messages) ring_->add({m, now});
  }
  counters_.recorded.fetch_add(messages.size(), std::memory_order_relaxed);
  if (!redis_ || !writes_redis_) return;
  if (auto ok = redis_->write(messages); !ok) {
    if (counters_.redis_errors.fetch_add(1, std::memory_order_relaxed) == 0) {
      log::warn("recent_redis_write_failed",
                {{"error", ok.error().message},
                 {"effect", "recent messages are kept in memory only until Redis answers"}});
    }
  }
}

// Refills the ring with what Redis holds; messages that no longer parse are skipped.
void RecentRecorder::reload() {
  auto stored = redis_->newest(ring_->config().max_messages);
  if (!stored) {
    counters_.redis_errors.fetch_add(1, std::memory_order_relaxed);
    log::warn("recent_reload_failed", {{"error", stored.error().message}});
    return;
  }
  for (const sinks::StoredRecentMessage& s : *stored) {
    auto m = parse_envelope(s.envelope);
    if (!m) continue;
    meta_.extract(*m.value());
    ring_->add({MessagePtr(std::move(m).value()), s.received});
  }
  counters_.reloaded.store(stored->size(), std::memory_order_relaxed);
  log::info("recent_reloaded", {{"messages", ring_->size()}});
}

}  // namespace fmn::pipeline
