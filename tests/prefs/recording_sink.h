// RecordingSink: a ChangeSink for tests that keeps every call and lets the test wait for one.
//
// Thread-safe: watchers call it from their threads while the test waits. Waits are bounded so a
// broken feed fails the test instead of hanging it; the bound is a deadline, not a measurement.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "prefs/change_sink.h"

namespace fmn::prefs {

class RecordingSink : public ChangeSink {
 public:
  struct Calls {
    std::vector<std::vector<UserChange>> changes;  // one entry per users_changed() call
    std::vector<Population> replaced;
    std::vector<std::pair<bool, std::string>> statuses;
  };

  void users_changed(std::vector<UserChange> changes) override {
    record([&](Calls& c) { c.changes.push_back(std::move(changes)); });
  }
  void population_replaced(Population population) override {
    record([&](Calls& c) { c.replaced.push_back(std::move(population)); });
  }
  void store_status(bool healthy, const std::string& message) override {
    record([&](Calls& c) { c.statuses.emplace_back(healthy, message); });
  }

  // Waits until `done(calls)` holds (true) or the deadline passes (false).
  bool wait_for(const std::function<bool(const Calls&)>& done,
                std::chrono::seconds deadline = std::chrono::seconds(30)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, deadline, [&] { return done(calls_); });
  }

  Calls calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  void record(const std::function<void(Calls&)>& fn) {
    {
      std::lock_guard lock(mutex_);
      fn(calls_);
    }
    changed_.notify_all();
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  Calls calls_;
};

}  // namespace fmn::prefs
