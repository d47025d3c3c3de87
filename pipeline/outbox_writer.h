// OutboxWriter: writes a sink worker's batches to its kind's outbox on a thread of its own, so
// the graph's last stage routes the next batch while Redis answers for this one.
//
// write() queues a batch and returns at once. The thread takes every batch queued meanwhile (at
// most kMaxGroup), appends them in one transaction (RedisOutbox::append_all: one round trip
// however many), then hands each to `written`, in the order write() took them, with its entry
// id. A batch reaches `written` only once Redis holds it, so anything that follows from it (the
// sink delivering it, SinkWorker::completed(), a broker source acknowledging its messages) comes
// after it was durable. When Redis fails, `failed` is told, and then it depends on the source:
//  - kDeliverFromMemory (a bus that cannot replay, ZeroMQ): the batches go on with an empty entry
//    id, delivered from memory as without an outbox: a notification lost in a crash beats one
//    never sent.
//  - kHold (a broker that keeps what is not acknowledged): the batches wait, and the append is
//    tried again with backoff (0.1 s doubling to 5 s) until Redis takes them. Nothing reaches
//    `written`, so nothing is acknowledged; the owner's bound fills and holds the pipeline up,
//    and the broker keeps the rest. Once giving up (abandon(), stop()), what still fails after
//    one last try goes to `unwritten`: its messages stay unacknowledged, and the broker delivers
//    them again to the next consumer. So does every batch after it, untried: a later batch
//    written would count as completed in its place and let the owner acknowledge its messages.
// The writer holds no bound of its own: its owner counts what it queues (SinkWorker's capacity).
// stop() writes what is queued, then joins; idempotent, and the destructor calls it.
// Thread-safety: write() from one thread at a time (their order is the entries' order); the
// callbacks run on the writer's thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
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
  using Unwritten = std::function<void(std::span<const Batch> batches)>;
  enum class OnFailure { kDeliverFromMemory, kHold };
  static constexpr size_t kMaxGroup = 64;  // batches per transaction

  // `outbox` outlives the writer. `unwritten` is only called with kHold.
  OutboxWriter(sinks::RedisOutbox& outbox, OnFailure on_failure, Written written, Failed failed,
               Unwritten unwritten = {});
  ~OutboxWriter();
  OutboxWriter(const OutboxWriter&) = delete;
  OutboxWriter& operator=(const OutboxWriter&) = delete;

  void write(Batch batch);
  // kHold: stop retrying (a shutdown with Redis away must not wait for it); what fails from now
  // on is unwritten after one try. Returns at once.
  void abandon();
  void stop();

 private:
  void run();
  // kHold: appends until Redis takes the group or the writer gives up.
  Result<std::vector<std::string>> append_held(
      std::span<const std::span<const Notification>> spans);

  sinks::RedisOutbox& outbox_;
  const OnFailure on_failure_;
  const Written written_;
  const Failed failed_;
  const Unwritten unwritten_;
  std::mutex mu_;
  std::condition_variable not_empty_, give_up_;
  std::vector<Batch> queue_;
  bool stopping_ = false;
  bool giving_up_ = false;  // abandon() or stop()
  bool dropped_ = false;    // kHold: a batch went to `unwritten`; writer thread only
  std::thread thread_;
};

}  // namespace fmn::pipeline
