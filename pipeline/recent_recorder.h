// RecentRecorder: keeps the recent-message store (sinks/recent_messages.h) filled from the
// pipeline without slowing it. The admission stage offers each admitted batch; offer() only
// queues the batch's message pointers (a short lock, no I/O, no allocation per message beyond
// the queue's), and when `max_queued` messages already wait the batch is dropped and counted.
// The recorder's thread adds the messages to the ring and, with Redis and `writes_redis`,
// appends them to the durable copy (redis_recent_messages.h), a write per drained batch (of
// the shards of a scaled-out service, which all see every message, one writes). At start that
// thread
// first refills the ring from Redis (the newest max_messages), so previews see the traffic of
// before a restart.
//
// offer() is thread-safe; the destructor writes what is queued and joins the thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/meta_extractor.h"
#include "pipeline/batches.h"
#include "sinks/recent_messages.h"
#include "sinks/redis_recent_messages.h"

namespace fmn::pipeline {

struct RecentRecorderCounters {
  std::atomic<uint64_t> recorded{0};      // messages recorded (ring and Redis)
  std::atomic<uint64_t> dropped{0};       // messages not recorded: the queue was full
  std::atomic<uint64_t> redis_errors{0};  // failed writes (their messages are in the ring only)
  std::atomic<uint64_t> reloaded{0};      // messages read back from Redis at start
};

class RecentRecorder {
 public:
  // `ring` may be null (Redis only), `redis` too (memory only). `meta` (to parse what Redis gives
  // back) and `clock` outlive the recorder.
  RecentRecorder(std::shared_ptr<sinks::RecentMessages> ring,
                 std::unique_ptr<sinks::RedisRecentMessages> redis, bool writes_redis,
                 const MetaExtractor& meta, size_t max_queued,
                 Clock& clock = SystemClock::instance());
  ~RecentRecorder();

  void offer(const ParsedBatch& batch);

  const RecentRecorderCounters& counters() const { return counters_; }

 private:
  void run();
  void reload();
  void record(const std::vector<MessagePtr>& messages);

  std::shared_ptr<sinks::RecentMessages> ring_;
  std::unique_ptr<sinks::RedisRecentMessages> redis_;
  const bool writes_redis_;
  const MetaExtractor& meta_;
  const size_t max_queued_;
  Clock& clock_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::vector<MessagePtr> queue_;  // guarded by mu_
  bool stopping_ = false;          // guarded by mu_
  RecentRecorderCounters counters_;
  std::thread thread_;
};

}  // namespace fmn::pipeline
