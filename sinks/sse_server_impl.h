// The SSE server's inside, shared by sse_server.cpp (listening, publishing, fan-out) and
// sse_session.cpp (one client). Each network thread owns its NetworkThread (sessions,
// subscriptions, heartbeat); the backlog is shared under its mutex; the inbox under its own;
// the rest is atomics or fixed after start.
#pragma once

#include <atomic>
#include <boost/asio.hpp>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "net/listener.h"
#include "sinks/sse_backlog.h"
#include "sinks/sse_server.h"

namespace fmn::sinks {

class SseSession;

// One network thread: its io_context, the sessions it serves by the feed they read, and those
// of them waiting for queue budget. Only that thread touches `feeds`, `waiting` and `heartbeat`;
// other threads read `waiters` and set `wake_posted` to wake it when they release budget.
struct SseNetworkThread {
  SseNetworkThread() : heartbeat(io) {}
  boost::asio::io_context io;
  boost::asio::steady_timer heartbeat;
  std::unordered_map<std::string, std::vector<std::shared_ptr<SseSession>>> feeds;
  std::deque<std::weak_ptr<SseSession>> waiting;  // lagging clients refused budget, oldest first
  std::atomic<size_t> waiters{0};                 // waiting.size()
  std::atomic<bool> wake_posted{false};           // a wake from another thread is on its way
  std::thread thread;
};

class SseServer::Impl {
 public:
  Impl(SseServerConfig config, FeedAuth auth);

  Result<bool> listen();
  void run();
  void stop();
  uint64_t publish(std::string feed, std::string data, std::string key);
  // Whether `bytes` more fit in all clients' queues.
  bool queues_have_room(size_t bytes) const {
    return queued_.load(std::memory_order_relaxed) + bytes <= config_.queued_budget_bytes;
  }
  // What a catch-up may queue: half a client queue, so a long gap never makes a client lag.
  size_t catch_up_room() const { return config_.max_queued_bytes / 2; }
  // Whether a lagging client of `thread` may catch up now: the budget has room and nobody on its
  // thread waits before it.
  bool may_resume(const SseNetworkThread& thread) const {
    return thread.waiting.empty() && queues_have_room(catch_up_room());
  }
  // Queues a lagging client of `thread` that found no room; a wake resumes it in turn.
  void wait_for_room(SseNetworkThread& thread, std::weak_ptr<SseSession> session);
  // Called on `thread` whenever queue budget is released there (a write completed, a client
  // closed) and on its heartbeat: resumes its waiting clients in order, as many as the budget has
  // room for, at most kWakePerRelease, and while room is left has the other threads with waiting
  // clients do the same (one post each, not one per release).
  void wake_waiting(SseNetworkThread& thread);
  void note_memory();
  // Hands `done` the feed's events after `last_id`, on network thread `on`: at once from memory,
  // or, when memory does not reach back that far (for a new client, last_id 0: when memory has
  // none) and Redis is configured, once the backlog's reader thread has read the older ones
  // from Redis. No network thread waits for Redis. Called on `on`.
  void recent(SseNetworkThread& on, const std::string& feed, uint64_t last_id,
              SseRedisBacklog::Events done);

  SseServerConfig config_;
  FeedAuth auth_;
  std::vector<std::unique_ptr<SseNetworkThread>> threads_;  // [0] accepts and fans out
  std::unique_ptr<net::Listener> listener_;                 // after threads_: destroyed before them
  std::unique_ptr<SseRedisBacklog> stored_;                 // null: memory only
  std::atomic<size_t> clients_{0};
  std::atomic<size_t> queued_{0};  // all sessions' unsent bytes
  std::atomic<size_t> backlog_bytes_{0}, pending_bytes_{0}, peak_memory_{0};
  std::atomic<uint64_t> stored_through_{0};  // SseServer::stored_through()
  std::atomic<uint64_t> frames_{0};
  std::atomic<uint64_t> oversized_{0};
  std::atomic<uint64_t> lags_{0}, lag_notices_{0}, missed_{0}, slow_{0}, publish_waits_{0};
  std::atomic<bool> stopped_{false};
  int port_ = 0;

 private:
  struct Published {
    std::string feed, data, key;
    std::chrono::steady_clock::time_point at;
    uint64_t place;  // SseServer::publish()'s
  };
  struct Batch;
  void accept(boost::asio::ip::tcp::socket socket, net::ConnectionSlot slot);
  void beat(SseNetworkThread& thread);
  void fan_out();  // on threads_[0]: the inbox into the backlog, then to every thread's clients
  void offer(SseNetworkThread& thread, const std::shared_ptr<Batch>& batch);
  void wake_waiting_of(SseNetworkThread& thread);  // on `thread`: its own waiting clients

  std::mutex backlog_mutex_;
  SseBacklog backlog_;  // guarded by backlog_mutex_
  std::atomic<size_t> next_thread_{0};
  std::mutex inbox_mutex_;
  std::condition_variable room_;  // pending_bytes_ fell
  std::vector<Published> inbox_;  // guarded by inbox_mutex_
  uint64_t published_ = 0;        // guarded by inbox_mutex_: the last place given
};

}  // namespace fmn::sinks
