#include "sinks/sse_server.h"

#include <algorithm>

#include "core/log.h"
#include "core/thread_name.h"
#include "sinks/sse_server_impl.h"
#include "sinks/sse_session.h"

namespace fmn::sinks {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

bool is_valid_feed_name(std::string_view feed) {
  if (feed.empty() || feed.size() > 64) return false;
  for (char c : feed) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void apply_memory_budget(SseServerConfig& config, size_t bytes) {
  config.backlog_bytes = bytes / 4;
  config.queued_budget_bytes = bytes / 2;
  config.pending_budget_bytes = bytes / 16;
}

SseServer::Impl::Impl(SseServerConfig config, FeedAuth auth)
    : config_(std::move(config)),
      auth_(std::move(auth)),
      backlog_(config_.backlog_per_feed, config_.backlog_bytes) {
  size_t threads = config_.network_threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  for (size_t i = 0; i < threads; ++i) threads_.push_back(std::make_unique<SseNetworkThread>());
}

// An event of a fan-out with the feed it belongs to.
struct SseServer::Impl::Batch {
  struct Event {
    std::string feed;
    SseEvent event;
    std::chrono::steady_clock::time_point published;
  };
  std::vector<Event> events;
  size_t pending_bytes = 0;  // released once every thread has offered them
  std::atomic<size_t> threads_left{0};
};

Result<bool> SseServer::Impl::listen() {
  auto listener =
      net::Listener::open(threads_[0]->io, "sse", config_.bind, config_.port, config_.limits);
  if (!listener) return listener.error();
  listener_ = std::move(listener).value();
  port_ = listener_->port();
  listener_->start([this](tcp::socket socket, net::ConnectionSlot slot) {
    accept(std::move(socket), std::move(slot));
  });
  for (auto& thread : threads_) beat(*thread);
  return true;
}

void SseServer::Impl::run() {
  for (auto& thread : threads_) {
    thread->thread = std::thread([&io = thread->io] { io.run(); });
    name_thread(thread->thread, "sse-io");
  }
}

void SseServer::Impl::accept(tcp::socket socket, net::ConnectionSlot slot) {
  SseNetworkThread& thread =
      *threads_[next_thread_.fetch_add(1, std::memory_order_relaxed) % threads_.size()];
  if (&thread == threads_[0].get()) {
    return std::make_shared<SseSession>(std::move(socket), *this, thread, std::move(slot))->start();
  }
  // The descriptor moves to the other thread's io_context; the session is made there.
  error_code ec;
  const tcp protocol = socket.local_endpoint(ec).protocol();
  tcp::socket moved(thread.io);
  if (!ec) moved.assign(protocol, socket.release(ec), ec);
  if (ec) return;  // the connection is gone already: closing it is all there is to do
  asio::post(
      thread.io, [this, &thread, moved = std::move(moved), slot = std::move(slot)]() mutable {
        std::make_shared<SseSession>(std::move(moved), *this, thread, std::move(slot))->start();
      });
}

void SseServer::Impl::beat(SseNetworkThread& thread) {
  thread.heartbeat.expires_after(config_.heartbeat);
  thread.heartbeat.async_wait([this, &thread](error_code ec) {
    if (ec) return;
    const auto now = std::chrono::steady_clock::now();
    std::vector<std::shared_ptr<SseSession>> sessions;  // a tick may close (unsubscribe) one
    for (const auto& [feed, subscribed] : thread.feeds) {
      sessions.insert(sessions.end(), subscribed.begin(), subscribed.end());
    }
    for (const auto& session : sessions) session->tick(now);
    wake_waiting_of(thread);
    beat(thread);
  });
}

uint64_t SseServer::Impl::publish(std::string feed, std::string data, std::string key) {
  if (data.size() > config_.max_event_bytes) {
    oversized_.fetch_add(1, std::memory_order_relaxed);
    return 0;
  }
  const size_t bytes = feed.capacity() + data.capacity() + key.capacity() + sizeof(Published);
  std::unique_lock lock(inbox_mutex_);
  const auto full = [&] {
    const size_t pending = pending_bytes_.load(std::memory_order_relaxed);
    return pending > 0 && pending + bytes > config_.pending_budget_bytes;
  };
  if (full()) {
    publish_waits_.fetch_add(1, std::memory_order_relaxed);
    room_.wait(lock, [&] { return stopped_.load() || !full(); });
  }
  if (stopped_.load()) return 0;
  pending_bytes_.fetch_add(bytes, std::memory_order_relaxed);
  const uint64_t place = ++published_;
  inbox_.push_back(
      {std::move(feed), std::move(data), std::move(key), std::chrono::steady_clock::now(), place});
  const bool first = inbox_.size() == 1;
  lock.unlock();
  note_memory();
  if (first) asio::post(threads_[0]->io, [this] { fan_out(); });
  return place;
}

void SseServer::Impl::fan_out() {
  std::vector<Published> taken;
  {
    std::lock_guard lock(inbox_mutex_);
    taken.swap(inbox_);
  }
  auto batch = std::make_shared<Batch>();
  batch->events.reserve(taken.size());
  const auto now = std::chrono::system_clock::now();
  {
    std::lock_guard lock(backlog_mutex_);
    for (Published& p : taken) {
      batch->pending_bytes +=
          p.feed.capacity() + p.data.capacity() + p.key.capacity() + sizeof(Published);
      const SseEvent event = backlog_.append(p.feed, p.data, now);
      if (stored_) stored_->append(p.feed, event.id, p.data, p.place, p.key);
      batch->events.push_back({std::move(p.feed), event, p.at});
    }
    backlog_bytes_.store(backlog_.bytes(), std::memory_order_relaxed);
  }
  // Memory only: kept now. With Redis, once its writer has written them (the callback below).
  if (!stored_ && !taken.empty()) {
    stored_through_.store(taken.back().place, std::memory_order_release);
  }
  note_memory();
  batch->threads_left = threads_.size();
  for (size_t i = 1; i < threads_.size(); ++i) {
    asio::post(threads_[i]->io, [this, &thread = *threads_[i], batch] { offer(thread, batch); });
  }
  offer(*threads_[0], batch);
}

void SseServer::Impl::offer(SseNetworkThread& thread, const std::shared_ptr<Batch>& batch) {
  for (const Batch::Event& e : batch->events) {
    const auto it = thread.feeds.find(e.feed);
    if (it == thread.feeds.end()) continue;
    // No session closes while it is offered an event: the vector stays as it is.
    for (const auto& session : it->second) session->offer(e.event, e.published);
  }
  if (batch->threads_left.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  {
    std::lock_guard lock(inbox_mutex_);
    pending_bytes_.fetch_sub(batch->pending_bytes, std::memory_order_relaxed);
  }
  room_.notify_all();
}

void SseServer::Impl::recent(SseNetworkThread& on, const std::string& feed, uint64_t last_id,
                             SseRedisBacklog::Events done) {
  std::unique_lock lock(backlog_mutex_);
  std::vector<SseEvent> events = backlog_.since(feed, last_id);
  // A new client (no id) is shown what memory has; Redis only when memory has nothing.
  const bool fresh = last_id == 0 && !events.empty();
  if (!stored_ || fresh || backlog_.reaches_back_to(feed, last_id)) {
    lock.unlock();
    return done(std::move(events));
  }
  lock.unlock();
  stored_->read_since(
      feed, last_id,
      [this, &on, feed, last_id, done = std::move(done)](std::vector<SseEvent> older) mutable {
        asio::post(on.io, [this, feed, last_id, older = std::move(older),
                           done = std::move(done)]() mutable {
          // Memory as it is now: events published during the read are in it. Redis is written
          // behind memory: from memory's first event on, memory's copy is complete.
          std::unique_lock lock(backlog_mutex_);
          const std::vector<SseEvent> newer = backlog_.since(feed, last_id);
          lock.unlock();
          const uint64_t first = newer.empty() ? UINT64_MAX : newer.front().id;
          std::erase_if(older, [first](const SseEvent& e) { return e.id >= first; });
          older.insert(older.end(), newer.begin(), newer.end());
          done(std::move(older));
        });
      });
}

void SseServer::Impl::wait_for_room(SseNetworkThread& thread, std::weak_ptr<SseSession> session) {
  thread.waiting.push_back(std::move(session));
  thread.waiters.store(thread.waiting.size(), std::memory_order_relaxed);
}

void SseServer::Impl::wake_waiting(SseNetworkThread& thread) {
  wake_waiting_of(thread);
  for (const auto& other : threads_) {
    if (!queues_have_room(catch_up_room())) return;
    if (other.get() == &thread || other->waiters.load(std::memory_order_relaxed) == 0) continue;
    if (other->wake_posted.exchange(true, std::memory_order_relaxed)) continue;
    asio::post(other->io, [this, &woken = *other] {
      woken.wake_posted.store(false, std::memory_order_relaxed);
      wake_waiting_of(woken);
    });
  }
}

void SseServer::Impl::wake_waiting_of(SseNetworkThread& thread) {
  // Bounded work per release: a woken client's writes release budget in turn and wake the next.
  constexpr size_t kWakePerRelease = 16;
  size_t woken = 0;
  while (woken < kWakePerRelease && !thread.waiting.empty() && queues_have_room(catch_up_room())) {
    const std::shared_ptr<SseSession> session = thread.waiting.front().lock();
    thread.waiting.pop_front();
    if (session && session->resume_in_turn()) ++woken;
  }
  thread.waiters.store(thread.waiting.size(), std::memory_order_relaxed);
}

void SseServer::Impl::note_memory() {
  const size_t now = pending_bytes_.load(std::memory_order_relaxed) +
                     backlog_bytes_.load(std::memory_order_relaxed) +
                     queued_.load(std::memory_order_relaxed);
  size_t peak = peak_memory_.load(std::memory_order_relaxed);
  while (now > peak && !peak_memory_.compare_exchange_weak(peak, now)) {
  }
}

void SseServer::Impl::stop() {
  if (stopped_.exchange(true)) return;
  {
    std::lock_guard lock(inbox_mutex_);  // a publisher between its check and its wait
  }
  room_.notify_all();
  for (auto& thread : threads_) {
    asio::post(thread->io, [this, &thread = *thread] {
      if (&thread == threads_[0].get()) listener_->close();
      thread.heartbeat.cancel();
      thread.waiting.clear();
      auto feeds = std::move(thread.feeds);
      for (auto& [feed, sessions] : feeds) {
        for (auto& session : sessions) session->close();
      }
      thread.io.stop();
    });
  }
  for (auto& thread : threads_) {
    if (thread->thread.joinable()) thread->thread.join();
  }
}

Result<std::unique_ptr<SseServer>> SseServer::start(SseServerConfig config, FeedAuth auth) {
  auto impl = std::make_unique<Impl>(std::move(config), std::move(auth));
  if (impl->config_.redis) {
    auto stored = SseRedisBacklog::open(*impl->config_.redis, [impl = impl.get()](uint64_t place) {
      impl->stored_through_.store(place, std::memory_order_release);
    });
    if (!stored) return stored.error();
    impl->stored_ = std::move(stored).value();
  }
  auto ok = impl->listen();
  if (!ok) return ok.error();
  impl->run();
  return std::unique_ptr<SseServer>(new SseServer(std::move(impl)));
}

SseServer::SseServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SseServer::~SseServer() { stop(); }
int SseServer::port() const { return impl_->port_; }
uint64_t SseServer::publish(std::string feed, std::string data, std::string key) {
  return impl_->publish(std::move(feed), std::move(data), std::move(key));
}
bool SseServer::holds(std::string feed, std::string key) const {
  return impl_->stored_ && impl_->stored_->holds(std::move(feed), std::move(key));
}
uint64_t SseServer::stored_through() const {
  return impl_->stored_through_.load(std::memory_order_acquire);
}
size_t SseServer::clients() const { return impl_->clients_.load(std::memory_order_relaxed); }
uint64_t SseServer::frames_sent() const { return impl_->frames_.load(std::memory_order_relaxed); }
const net::Listener& SseServer::listener() const { return *impl_->listener_; }
uint64_t SseServer::oversized_events() const { return impl_->oversized_.load(); }
uint64_t SseServer::lags() const { return impl_->lags_.load(); }
uint64_t SseServer::lag_notices() const { return impl_->lag_notices_.load(); }
uint64_t SseServer::missed_events() const { return impl_->missed_.load(); }
uint64_t SseServer::slow_disconnects() const { return impl_->slow_.load(); }
uint64_t SseServer::publish_waits() const { return impl_->publish_waits_.load(); }
uint64_t SseServer::stored_events() const { return impl_->stored_ ? impl_->stored_->written() : 0; }
uint64_t SseServer::store_errors() const {
  return impl_->stored_ ? impl_->stored_->errors() + impl_->stored_->dropped() : 0;
}
size_t SseServer::memory_bytes() const {
  return impl_->pending_bytes_.load() + impl_->backlog_bytes_.load() + impl_->queued_.load();
}
size_t SseServer::peak_memory_bytes() const { return impl_->peak_memory_.load(); }
size_t SseServer::max_event_bytes() const { return impl_->config_.max_event_bytes; }
void SseServer::stop() { impl_->stop(); }

}  // namespace fmn::sinks
