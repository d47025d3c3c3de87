// OutboxWriter: writes a sink worker's batches to its kind's outbox on a thread of its own, so
// the graph's last stage routes the next batch while Redis answers for this one.
//
// write() queues a batch and returns at once. The thread takes every batch queued meanwhile (at
// most kMaxGroup), appends them in one transaction (RedisOutbox::append_all: one round trip
// however many), then hands each to `written`, in the order write() took them, with its entry
// id. A batch reaches `written` only once Redis holds it, so anything that follows from it (the
// sink delivering it, SinkWorker::completed(), a broker source acknowledging its messages) comes
// after it was durable. When Redis fails, the batches go on with an empty entry id (delivered
// from memory, as without an outbox) and `failed` is told.
// The writer holds no bound of its own: its owner counts what it queues (SinkWorker's capacity).
// stop() writes what is queued, then joins; idempotent, and the destructor calls it.
// Thread-safety: write() from one thread at a time (their order is the entries' order); the
// callbacks run on the writer's thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/notification.h"
#include "sinks/redis_outbox.h"

namespace fmn::pipeline {

class OutboxWriter {
 public:
  using Batch = std::shared_ptr<const std::vector<Notification>>;
  using Written = std::function<void(Batch batch, std::string entry_id)>;
  using Failed = std::function<void(const Error&)>;
  static constexpr size_t kMaxGroup = 64;  // batches per transaction

  // `outbox` outlives the writer.
  OutboxWriter(sinks::RedisOutbox& outbox, Written written, Failed failed);
  ~OutboxWriter();
  OutboxWriter(const OutboxWriter&) = delete;
  OutboxWriter& operator=(const OutboxWriter&) = delete;

  void write(Batch batch);
  void stop();

 private:
  void run();

  sinks::RedisOutbox& outbox_;
  const Written written_;
  const Failed failed_;
  std::mutex mu_;
  std::condition_variable not_empty_;
  std::vector<Batch> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fmn::pipeline
