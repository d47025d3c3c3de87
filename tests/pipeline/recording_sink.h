// A sink for the pipeline's tests: keeps what it is given, and can hold its delivering thread
// at a gate, so a test can fill the queue in front of it without timing anything.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sinks/sink.h"

namespace fmn::pipeline::testing {

class RecordingSink : public sinks::Sink {
 public:
  std::string_view name() const override { return "recording"; }

  void deliver(std::span<const Notification> batch) override {
    std::unique_lock lock(mu_);
    ++entered_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return open_; });
    for (const Notification& n : batch) users_.emplace_back(n.user());
    batches_.push_back(batch.size());
    counters_.delivered.fetch_add(batch.size(), std::memory_order_relaxed);
  }
  void send_confirmation(const sinks::ConfirmationRequest& request) override {
    std::lock_guard lock(mu_);
    confirmations_.push_back(request.address);
    confirmation_threads_.push_back(std::this_thread::get_id());
  }
  void tick() override {
    std::lock_guard lock(mu_);
    ++ticks_;
    changed_.notify_all();
  }

  // Closed: deliver() waits inside until open() is called.
  void close() {
    std::lock_guard lock(mu_);
    open_ = false;
  }
  void open() {
    std::lock_guard lock(mu_);
    open_ = true;
    changed_.notify_all();
  }
  // Waits until deliver() has been entered `n` times in all.
  void wait_entered(int n) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return entered_ >= n; });
  }
  void wait_ticks(int n) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return ticks_ >= n; });
  }

  std::vector<std::string> users() const {
    std::lock_guard lock(mu_);
    return users_;
  }
  std::vector<size_t> batches() const {
    std::lock_guard lock(mu_);
    return batches_;
  }

  std::vector<std::string> confirmations() const {
    std::lock_guard lock(mu_);
    return confirmations_;
  }
  std::vector<std::thread::id> confirmation_threads() const {
    std::lock_guard lock(mu_);
    return confirmation_threads_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable changed_;
  bool open_ = true;
  int entered_ = 0;
  int ticks_ = 0;
  std::vector<std::string> users_;          // in delivery order
  std::vector<size_t> batches_;             // sizes, in delivery order
  std::vector<std::string> confirmations_;  // addresses asked, in order
  std::vector<std::thread::id> confirmation_threads_;
};

// A batch of notifications for users "<prefix>0", "<prefix>1"... of one destination kind.
inline std::shared_ptr<std::vector<Notification>> batch_of(
    const std::string& prefix, size_t n, DestinationKind kind = DestinationKind::kEmail) {
  auto batch = std::make_shared<std::vector<Notification>>();
  for (size_t i = 0; i < n; ++i) {
    Notification& x = batch->emplace_back();
    x.set_names(prefix + std::to_string(i), "", "");
    x.destination = kind;
  }
  return batch;
}

}  // namespace fmn::pipeline::testing
