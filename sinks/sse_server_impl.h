// The SSE server's inside, shared by sse_server.cpp (listening, publishing, fan-out) and
// sse_session.cpp (one client). Everything but the atomics and the inbox is owned by the I/O
// thread.
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

class SseServer::Impl {
 public:
  Impl(SseServerConfig config, FeedAuth auth);

  Result<bool> listen();
  void run() {
    thread_ = std::thread([this] { io_.run(); });
  }
  void stop();
  void publish(std::string feed, std::string data);
  void subscribe(const std::string& feed, const std::shared_ptr<SseSession>& s);
  void unsubscribe(const std::string& feed, const SseSession* s);
  // Whether `bytes` more fit in all clients' queues.
  bool queues_have_room(size_t bytes) const {
    return queued_.load(std::memory_order_relaxed) + bytes <= config_.queued_budget_bytes;
  }
  // What a catch-up may queue: half a client queue, so a long gap never makes a client lag.
  size_t catch_up_room() const { return config_.max_queued_bytes / 2; }
  // Whether a lagging client may catch up now: the budget has room and nobody waits before it.
  bool may_resume() const { return waiting_.empty() && queues_have_room(catch_up_room()); }
  // Queues a lagging client that found no room; wake_waiting() resumes it in turn.
  void wait_for_room(std::weak_ptr<SseSession> session) { waiting_.push_back(std::move(session)); }
  // Called whenever queue budget is released (a write completed, a client closed): resumes the
  // waiting clients in order, as many as the budget has room for, at most kWakePerRelease.
  void wake_waiting();
  void note_memory();
  // Hands `done` the feed's events after `last_id`, on the I/O thread: at once from memory, or,
  // when memory does not reach back that far (for a new client, last_id 0: when memory has
  // none) and Redis is configured, once the backlog's reader thread has read the older ones
  // from Redis. The I/O thread never waits for Redis.
  void recent(const std::string& feed, uint64_t last_id, SseRedisBacklog::Events done);

  SseServerConfig config_;
  FeedAuth auth_;
  boost::asio::io_context io_;
  std::unique_ptr<net::Listener> listener_;  // after io_: destroyed before it
  boost::asio::steady_timer heartbeat_;
  std::thread thread_;
  SseBacklog backlog_;
  std::unique_ptr<SseRedisBacklog> stored_;  // null: memory only
  std::unordered_map<std::string, std::vector<std::shared_ptr<SseSession>>> feeds_;
  std::deque<std::weak_ptr<SseSession>> waiting_;  // lagging clients refused budget, oldest first
  std::atomic<size_t> clients_{0};
  std::atomic<size_t> queued_{0};  // all sessions' unsent bytes
  std::atomic<size_t> backlog_bytes_{0}, pending_bytes_{0}, peak_memory_{0};
  std::atomic<uint64_t> frames_{0};
  std::atomic<uint64_t> oversized_{0};
  std::atomic<uint64_t> lags_{0}, lag_notices_{0}, missed_{0}, slow_{0}, publish_waits_{0};
  std::atomic<bool> stopped_{false};
  int port_ = 0;

 private:
  struct Published {
    std::string feed, data;
    std::chrono::steady_clock::time_point at;
  };
  void beat();
  void fan_out();  // hands the inbox to the clients

  std::mutex inbox_mutex_;
  std::condition_variable room_;          // pending_bytes_ fell
  std::vector<Published> inbox_, taken_;  // inbox_ guarded by inbox_mutex_
};

}  // namespace fmn::sinks
