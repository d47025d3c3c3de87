#include "pipeline/sink_worker.h"

#include "core/log.h"
#include "core/thread_name.h"

namespace fmn::pipeline {
SinkWorker::SinkWorker(sinks::Sink& sink, size_t capacity, std::chrono::milliseconds stop_grace,
                       std::chrono::milliseconds tick_interval, sinks::RedisOutbox* outbox,
                       DeadLetters dead_letters, OutboxWriter::OnFailure on_outbox_failure)
    : sink_(sink),
      capacity_(capacity > 0 ? capacity : 1),
      stop_grace_(stop_grace),
      tick_interval_(tick_interval),
      outbox_(outbox),
      dead_letters_handler_(std::move(dead_letters)) {
  if (outbox_ != nullptr) {
    recover_pending_ = !recover();
    writer_ = std::make_unique<OutboxWriter>(
        *outbox_, on_outbox_failure,
        [this](OutboxWriter::Batch batch, std::string entry_id) {
          const bool durable = !entry_id.empty();
          push({std::move(batch), std::move(entry_id), durable});
          if (durable) completed_.fetch_add(1, std::memory_order_release);
        },
        [this](const Error& e) { outbox_error(e); },
        [this](std::span<const OutboxWriter::Batch> batches) { drop_unwritten(batches); });
  }
  thread_ = std::thread([this] { run(); });
  name_thread(thread_, "sink-" + std::string(sink_.name()));
}

SinkWorker::~SinkWorker() { stop(); }

bool SinkWorker::recover() {
  auto recovery = outbox_->recover();
  if (!recovery) {
    outbox_error(recovery.error());
    return false;
  }
  if (dead_letters_handler_ && !recovery->dead.empty()) dead_letters_handler_(recovery->dead);
  size_t recovered = 0;
  {
    std::lock_guard lock(mu_);  // taken again from the worker's thread when Redis was down
    for (sinks::OutboxEntry& entry : recovery->entries) {
      if (entry.notifications.empty()) continue;
      recovered += entry.notifications.size();
      queued_ += entry.notifications.size();
      // Not this run's: its messages were acknowledged before, and it is durable already. It
      // stays out of submitted() and completed(), which a take-back later in the run would
      // otherwise advance past batches this run submitted and Redis does not hold yet.
      queue_.push_back(
          {std::make_shared<const std::vector<Notification>>(std::move(entry.notifications)),
           std::move(entry.id), true});
    }
  }
  recovered_.fetch_add(recovered, std::memory_order_relaxed);
  if (recovered > 0 || recovery->dead_lettered > 0 || recovery->undecodable > 0) {
    log::info("outbox_recovered", {{"sink", std::string(sink_.name())},
                                   {"notifications", std::to_string(recovered)},
                                   {"dead_lettered", std::to_string(recovery->dead_lettered)},
                                   {"undecodable", std::to_string(recovery->undecodable)}});
  }
  return true;
}

void SinkWorker::submit(std::shared_ptr<const std::vector<Notification>> batch) {
  if (!batch || batch->empty()) return;
  reserve(batch->size());
  if (writer_) {
    writer_->write(std::move(batch));
  } else {
    push({std::move(batch), {}});
  }
}

void SinkWorker::reserve(size_t n) {
  std::unique_lock lock(mu_);
  not_full_.wait(lock, [&] { return queued_ == 0 || queued_ + n <= capacity_ || stopping_; });
  queued_ += n;
  submitted_.fetch_add(1, std::memory_order_release);
}

void SinkWorker::push(Batch batch) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(batch));
  }
  not_empty_.notify_one();
}

size_t SinkWorker::depth() const {
  std::lock_guard lock(mu_);
  return queued_;
}

void SinkWorker::stop() {
  if (stopped_.exchange(true)) return;
  if (writer_) writer_->stop();  // everything submitted is queued after this
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  not_empty_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void SinkWorker::give_up_holding() {
  if (writer_) writer_->abandon();
}

void SinkWorker::drop_unwritten(std::span<const OutboxWriter::Batch> batches) {
  size_t n = 0;
  for (const OutboxWriter::Batch& b : batches) n += b->size();
  {
    std::lock_guard lock(mu_);
    queued_ -= n;
  }
  not_full_.notify_all();
  unwritten_.fetch_add(n, std::memory_order_relaxed);
  log::warn("outbox_unwritten",
            {{"sink", std::string(sink_.name())},
             {"notifications", std::to_string(n)},
             {"effect", "not acknowledged: the broker delivers their messages again"}});
}

void SinkWorker::deliver(const Batch& batch) {
  if (batch.entry_id.empty()) {
    sink_.deliver(*batch.notifications);
    return;
  }
  // The entry leaves the outbox once every notification in it is settled; one given up goes to
  // the dead letters with it. Each callback holds two words (small enough for std::function to
  // keep without allocating).
  const size_t n = batch.notifications->size();
  auto entry = unsettled_entries_.insert(unsettled_entries_.end(), {this, batch, n});
  settled_.clear();
  for (size_t i = 0; i < n; ++i) {
    settled_.emplace_back([entry, i](std::string_view failure) {
      SinkWorker& w = *entry->worker;
      --w.unsettled_;
      if (!failure.empty()) {
        w.dead_letters_.push_back(
            {(*entry->batch.notifications)[i], std::string(failure), entry->batch.entry_id, i});
      }
      if (--entry->left > 0) return;
      w.settled_ids_.push_back(std::move(entry->batch.entry_id));
      w.unsettled_entries_.erase(entry);
    });
  }
  unsettled_ += n;
  sink_.deliver_confirmed(*batch.notifications, settled_);
}

void SinkWorker::remove_settled(bool now) {
  if (settled_ids_.empty() && dead_letters_.empty()) return;
  if (!now && settled_ids_.size() < kRemoveGroup && dead_letters_.empty()) return;
  auto removed = outbox_->remove(settled_ids_, dead_letters_);
  if (!removed) {
    outbox_error(removed.error());  // kept: removed with the next ones
    return;
  }
  settled_ids_.clear();
  dead_letters_.clear();
}

void SinkWorker::outbox_error(const Error& e) {
  if (outbox_errors_.fetch_add(1, std::memory_order_relaxed) == 0) {
    log::warn("outbox_error", {{"sink", std::string(sink_.name())}, {"detail", e.message}});
  }
}

void SinkWorker::send_confirmation(sinks::ConfirmationRequest request) {
  {
    std::lock_guard lock(mu_);
    confirmations_.push_back(std::move(request));
  }
  not_empty_.notify_one();
}

void SinkWorker::send_single(Notification notification) {
  {
    std::lock_guard lock(mu_);
    singles_.push_back(std::move(notification));
  }
  not_empty_.notify_one();
}

void SinkWorker::run() {
  auto next_tick = std::chrono::steady_clock::now() + tick_interval_;
  for (;;) {
    std::optional<Batch> batch;
    std::deque<sinks::ConfirmationRequest> confirmations;
    std::vector<Notification> singles;
    bool idle = false;  // nothing queued after this round's batch
    {
      std::unique_lock lock(mu_);
      not_empty_.wait_until(lock, next_tick, [&] {
        return !queue_.empty() || !confirmations_.empty() || !singles_.empty() || stopping_;
      });
      confirmations.swap(confirmations_);
      singles.swap(singles_);
      if (!queue_.empty()) {
        batch = std::move(queue_.front());
        queue_.pop_front();
        queued_ -= batch->notifications->size();
        not_full_.notify_all();
        idle = queue_.empty();
      } else if (stopping_ && confirmations.empty() && singles.empty()) {
        break;
      }
    }
    for (const sinks::ConfirmationRequest& request : confirmations) {
      sink_.send_confirmation(request);
    }
    if (!singles.empty()) sink_.deliver(singles);
    if (batch) {
      deliver(*batch);
      if (!batch->completed) completed_.fetch_add(1, std::memory_order_release);
    }
    bool ticked = false;
    if (auto now = std::chrono::steady_clock::now(); now >= next_tick) {
      if (recover_pending_) recover_pending_ = !recover();  // Redis was down at the start
      sink_.tick();
      next_tick = now + tick_interval_;
      ticked = true;
    }
    if (outbox_ != nullptr) remove_settled(idle || !batch || ticked);
  }
  sink_.tick();
  undelivered_ = sink_.drain(stop_grace_);
  if (outbox_ != nullptr) remove_settled(true);
}

}  // namespace fmn::pipeline
