#include "sinks/sse_server.h"

#include <algorithm>

#include "core/log.h"
#include "sinks/sse_server_impl.h"
#include "sinks/sse_session.h"
#include "sinks/tcp_acceptor.h"

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

std::string_view refusal_name(SseRefusal reason) {
  switch (reason) {
    case SseRefusal::kPerAddress:
      return "per_address";
    case SseRefusal::kTotal:
      return "total";
    case SseRefusal::kNoDescriptors:
      return "no_descriptors";
  }
  return "unknown";
}

void apply_memory_budget(SseServerConfig& config, size_t bytes) {
  config.backlog_bytes = bytes / 4;
  config.queued_budget_bytes = bytes / 2;
  config.pending_budget_bytes = bytes / 16;
}

SseServer::Impl::Impl(SseServerConfig config, FeedAuth auth)
    : config_(std::move(config)),
      auth_(std::move(auth)),
      acceptor_(io_),
      accept_retry_(io_),
      heartbeat_(io_),
      backlog_(config_.backlog_per_feed, config_.backlog_bytes) {}

Result<bool> SseServer::Impl::listen() {
  if (auto ok = open_acceptor(acceptor_, config_.bind, config_.port, "sse"); !ok) return ok;
  port_ = acceptor_.local_endpoint().port();
  accept();
  beat();
  return true;
}

void SseServer::Impl::accept() {
  acceptor_.async_accept([this](error_code ec, tcp::socket socket) {
    if (stopped_.load()) return;
    if (ec) return accept_failed(ec);
    if (accept_delay_.count() > 0) log::info("sse_accept_recovered");
    accept_delay_ = std::chrono::milliseconds(0);
    accepted(std::move(socket));
    accept();
  });
}

void SseServer::Impl::accepted(tcp::socket socket) {
  error_code ec;
  const tcp::endpoint peer = socket.remote_endpoint(ec);
  if (ec) return;  // already gone
  if (connections_ >= config_.max_connections) return refuse(socket, SseRefusal::kTotal);
  std::string address = peer.address().to_string();
  size_t& open = per_address_[address];
  if (open >= config_.max_connections_per_ip) {
    if (open == 0) per_address_.erase(address);
    return refuse(socket, SseRefusal::kPerAddress);
  }
  ++open;
  ++connections_;
  socket.set_option(tcp::no_delay(true), ec);
  std::make_shared<SseSession>(std::move(socket), *this, std::move(address))->start();
}

void SseServer::Impl::refuse(tcp::socket& socket, SseRefusal reason) {
  refused_[static_cast<size_t>(reason)].fetch_add(1, std::memory_order_relaxed);
  refuse_busy(socket, config_.retry_after);
}

void SseServer::Impl::accept_failed(const error_code& ec) {
  // Out of descriptors (EMFILE/ENFILE), or the like: the pending connection waits in the
  // listen queue. Out of descriptors, it is answered 503 through the reserve descriptor (its
  // client backs off instead of hanging) and the next one is accepted at once; otherwise, or
  // without a reserve, accepting is tried again once some descriptors may have been closed.
  accept_errors_.fetch_add(1, std::memory_order_relaxed);
  const bool first = accept_delay_.count() == 0;
  if (first) log::warn("sse_accept_failed", {{"error", ec.message()}});
  const bool no_descriptors = ec.value() == EMFILE || ec.value() == ENFILE;
  if (no_descriptors && shed_with_reserve(acceptor_, reserve_, config_.retry_after)) {
    refused_[static_cast<size_t>(SseRefusal::kNoDescriptors)].fetch_add(1,
                                                                        std::memory_order_relaxed);
    if (first) accept_delay_ = std::chrono::milliseconds(10);
    return accept();
  }
  accept_delay_ =
      first ? std::chrono::milliseconds(10) : std::min(accept_delay_ * 2, config_.accept_retry_max);
  accept_retry_.expires_after(accept_delay_);
  accept_retry_.async_wait([this](error_code wait) {
    if (!wait && !stopped_.load()) accept();
  });
}

void SseServer::Impl::release(const std::string& address) {
  --connections_;
  const auto it = per_address_.find(address);
  if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
}

void SseServer::Impl::beat() {
  heartbeat_.expires_after(config_.heartbeat);
  heartbeat_.async_wait([this](error_code ec) {
    if (ec) return;
    const auto now = std::chrono::steady_clock::now();
    std::vector<std::shared_ptr<SseSession>> sessions;  // a tick may close (unsubscribe) one
    for (const auto& [feed, subscribed] : feeds_) {
      sessions.insert(sessions.end(), subscribed.begin(), subscribed.end());
    }
    for (const auto& session : sessions) session->tick(now);
    beat();
  });
}

void SseServer::Impl::publish(std::string feed, std::string data) {
  if (data.size() > config_.max_event_bytes) {
    oversized_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const size_t bytes = feed.capacity() + data.capacity() + sizeof(Published);
  std::unique_lock lock(inbox_mutex_);
  const auto full = [&] {
    const size_t pending = pending_bytes_.load(std::memory_order_relaxed);
    return pending > 0 && pending + bytes > config_.pending_budget_bytes;
  };
  if (full()) {
    publish_waits_.fetch_add(1, std::memory_order_relaxed);
    room_.wait(lock, [&] { return stopped_.load() || !full(); });
  }
  if (stopped_.load()) return;
  pending_bytes_.fetch_add(bytes, std::memory_order_relaxed);
  inbox_.push_back({std::move(feed), std::move(data), std::chrono::steady_clock::now()});
  const bool first = inbox_.size() == 1;
  lock.unlock();
  note_memory();
  if (first) asio::post(io_, [this] { fan_out(); });
}

void SseServer::Impl::fan_out() {
  {
    std::lock_guard lock(inbox_mutex_);
    taken_.swap(inbox_);
  }
  size_t bytes = 0;
  const auto now = std::chrono::system_clock::now();
  for (Published& p : taken_) {
    bytes += p.feed.capacity() + p.data.capacity() + sizeof(Published);
    const SseEvent event = backlog_.append(p.feed, p.data, now);
    if (stored_) stored_->append(p.feed, event.id, p.data);
    const auto it = feeds_.find(p.feed);
    if (it == feeds_.end()) continue;
    // No session closes while it is offered an event: the vector stays as it is.
    for (const auto& session : it->second) session->offer(event, p.at);
  }
  backlog_bytes_.store(backlog_.bytes(), std::memory_order_relaxed);
  note_memory();
  taken_.clear();
  {
    std::lock_guard lock(inbox_mutex_);
    pending_bytes_.fetch_sub(bytes, std::memory_order_relaxed);
  }
  room_.notify_all();
}

std::vector<SseEvent> SseServer::Impl::recent(const std::string& feed, uint64_t last_id) {
  std::vector<SseEvent> events = backlog_.since(feed, last_id);
  // A new client (no id) is shown what memory has; Redis only when memory has nothing.
  const bool fresh = last_id == 0 && !events.empty();
  if (!stored_ || fresh || backlog_.reaches_back_to(feed, last_id)) return events;
  std::vector<SseEvent> older = stored_->since(feed, last_id);
  // Redis is written behind memory: from memory's first event on, memory's copy is complete.
  const uint64_t first = events.empty() ? UINT64_MAX : events.front().id;
  std::erase_if(older, [first](const SseEvent& e) { return e.id >= first; });
  older.insert(older.end(), events.begin(), events.end());
  return older;
}

void SseServer::Impl::note_memory() {
  const size_t now = pending_bytes_.load(std::memory_order_relaxed) +
                     backlog_bytes_.load(std::memory_order_relaxed) +
                     queued_.load(std::memory_order_relaxed);
  size_t peak = peak_memory_.load(std::memory_order_relaxed);
  while (now > peak && !peak_memory_.compare_exchange_weak(peak, now)) {
  }
}

void SseServer::Impl::subscribe(const std::string& feed, const std::shared_ptr<SseSession>& s) {
  feeds_[feed].push_back(s);
}

void SseServer::Impl::unsubscribe(const std::string& feed, const SseSession* s) {
  const auto it = feeds_.find(feed);
  if (it == feeds_.end()) return;
  std::erase_if(it->second, [s](const std::shared_ptr<SseSession>& p) { return p.get() == s; });
  if (it->second.empty()) feeds_.erase(it);
}

void SseServer::Impl::stop() {
  if (stopped_.exchange(true)) return;
  {
    std::lock_guard lock(inbox_mutex_);  // a publisher between its check and its wait
  }
  room_.notify_all();
  asio::post(io_, [this] {
    error_code ignored;
    acceptor_.close(ignored);
    accept_retry_.cancel();
    heartbeat_.cancel();
    auto feeds = std::move(feeds_);
    for (auto& [feed, sessions] : feeds) {
      for (auto& session : sessions) session->close();
    }
    io_.stop();
  });
  if (thread_.joinable()) thread_.join();
}

Result<std::unique_ptr<SseServer>> SseServer::start(SseServerConfig config, FeedAuth auth) {
  auto impl = std::make_unique<Impl>(std::move(config), std::move(auth));
  if (impl->config_.redis) {
    auto stored = SseRedisBacklog::open(*impl->config_.redis);
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
void SseServer::publish(std::string feed, std::string data) {
  impl_->publish(std::move(feed), std::move(data));
}
size_t SseServer::clients() const { return impl_->clients_.load(std::memory_order_relaxed); }
uint64_t SseServer::frames_sent() const { return impl_->frames_.load(std::memory_order_relaxed); }
uint64_t SseServer::accept_errors() const { return impl_->accept_errors_.load(); }
uint64_t SseServer::connections_refused(SseRefusal reason) const {
  return impl_->refused_[static_cast<size_t>(reason)].load();
}
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
