#include "sinks/sse_session.h"

#include <algorithm>
#include <charconv>

#include "core/query_string.h"
#include "sinks/sse_feed_url.h"

namespace fmn::embedded {
std::string_view sse_page_html();
}

namespace fmn::sinks {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

uint64_t parse_id(std::string_view text) {
  uint64_t id = 0;
  std::from_chars(text.data(), text.data() + text.size(), id);
  return id;
}

// Linux writes at most 64 pieces in one writev through Asio.
constexpr size_t kMaxGather = 64;

}  // namespace

SseSession::SseSession(tcp::socket socket, SseServer::Impl& server, SseNetworkThread& thread,
                       net::ConnectionSlot slot)
    : socket_(std::move(socket)),
      server_(server),
      thread_(thread),
      slot_(std::move(slot)),
      deadline_(socket_.get_executor()) {
  gather_.reserve(kMaxGather);
}

SseSession::~SseSession() { server_.queued_.fetch_sub(queued_bytes_, std::memory_order_relaxed); }

void SseSession::start() {
  close_unless_done_within(server_.config_.limits.header_timeout);
  parser_.header_limit(8 * 1024);
  parser_.body_limit(0);
  http::async_read(socket_, buffer_, parser_,
                   [self = shared_from_this()](beast::error_code ec, size_t) {
                     if (!ec) self->route();
                   });
}

void SseSession::offer(const SseEvent& event, Clock::time_point published) {
  if (closed_ || event.id <= replayed_id_) return;
  offered_id_ = event.id;
  if (fetching_) {
    ++skipped_;
    return;
  }
  const size_t size = event.frame->size();
  if (!lagging_ && (queued_bytes_ + size > server_.config_.max_queued_bytes ||
                    !server_.queues_have_room(size))) {
    lagging_ = true;
    skipped_ = 0;
    server_.lags_.fetch_add(1, std::memory_order_relaxed);
  }
  if (lagging_) {
    ++skipped_;
    if (queue_.empty()) resume();
    return;
  }
  server_.frames_.fetch_add(1, std::memory_order_relaxed);
  last_id_ = event.id;
  enqueue(event.frame, published);
}

void SseSession::tick(std::chrono::steady_clock::time_point now) {
  if (closed_) return;
  if (!queue_.empty()) {
    if (now - last_progress_ < server_.config_.limits.idle_timeout) return;
    server_.slow_.fetch_add(1, std::memory_order_relaxed);
    return close();
  }
  if (lagging_) return resume();
  static const auto kPing = std::make_shared<const std::string>(": ping\n\n");
  enqueue(kPing);
}

void SseSession::close() {
  if (closed_) return;
  closed_ = true;
  deadline_.cancel();
  beast::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  server_.queued_.fetch_sub(queued_bytes_, std::memory_order_relaxed);
  queued_bytes_ = 0;
  queue_.clear();
  if (!feed_.empty()) {
    server_.clients_.fetch_sub(1, std::memory_order_relaxed);
    const auto it = thread_.feeds.find(feed_);
    if (it == thread_.feeds.end()) return;
    std::erase_if(it->second, [this](const auto& s) { return s.get() == this; });
    if (it->second.empty()) thread_.feeds.erase(it);
  }
  server_.wake_waiting(thread_);
}

void SseSession::route() {
  const auto& request = parser_.get();
  const std::string_view target(request.target().data(), request.target().size());
  const size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  if (request.method() != http::verb::get || !path.starts_with(kFeedPath)) {
    return respond("404 Not Found", "text/plain", "not found\n");
  }
  std::string_view rest = path.substr(kFeedPath.size());
  const bool page = rest.ends_with("/page");
  if (page) rest.remove_suffix(5);
  const std::string feed(rest);
  if (!is_valid_feed_name(feed)) return respond("404 Not Found", "text/plain", "not found\n");
  if (page) return respond("200 OK", "text/html; charset=utf-8", embedded::sse_page_html());

  std::string token = query_param(query, "token");
  const auto authorization = request.find(http::field::authorization);
  if (token.empty() && authorization != request.end()) {
    const std::string_view value(authorization->value().data(), authorization->value().size());
    if (value.starts_with("Bearer ")) token = value.substr(7);
  }
  if (token.empty() || !server_.auth_(feed, token)) {
    return respond("401 Unauthorized", "text/plain", "a valid token for this feed is needed\n");
  }
  last_id_ = parse_id(query_param(query, "lastEventId"));
  const auto header = request.find("Last-Event-ID");
  if (header != request.end())
    last_id_ = parse_id({header->value().data(), header->value().size()});
  feed_ = feed;
  deadline_.cancel();  // from now on the heartbeat watches the stream (tick)
  last_progress_ = std::chrono::steady_clock::now();
  server_.clients_.fetch_add(1, std::memory_order_relaxed);
  enqueue(std::make_shared<const std::string>(
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
      "Connection: keep-alive\r\nX-Accel-Buffering: no\r\n\r\nretry: 2000\n\n"));
  thread_.feeds[feed_].push_back(shared_from_this());
  watch_for_close();
  // The newest events that fit in half the queue: a long gap never makes the client lag.
  catch_up(server_.catch_up_room(), 0);
}

void SseSession::respond(std::string_view status, std::string_view type, std::string_view body) {
  std::string response = "HTTP/1.1 " + std::string(status) +
                         "\r\nContent-Type: " + std::string(type) +
                         "\r\nContent-Length: " + std::to_string(body.size()) +
                         "\r\nReferrer-Policy: no-referrer\r\nCache-Control: no-store\r\n"
                         "Connection: close\r\n\r\n" +
                         std::string(body);
  closing_after_write_ = true;
  close_unless_done_within(server_.config_.limits.idle_timeout);
  enqueue(std::make_shared<const std::string>(std::move(response)));
}

void SseSession::close_unless_done_within(std::chrono::milliseconds timeout) {
  deadline_.expires_after(timeout);
  deadline_.async_wait([weak = weak_from_this()](beast::error_code ec) {
    if (ec) return;  // re-armed or cancelled
    if (auto self = weak.lock()) self->close();
  });
}

void SseSession::enqueue(Frame frame, Clock::time_point published) {
  queued_bytes_ += frame->size();
  server_.queued_.fetch_add(frame->size(), std::memory_order_relaxed);
  queue_.push_back({std::move(frame), published});
  write_next();
}

void SseSession::catch_up(size_t room, uint64_t skipped) {
  fetching_ = true;
  server_.recent(thread_, feed_, last_id_,
                 [weak = weak_from_this(), room, skipped](std::vector<SseEvent> events) {
                   if (auto self = weak.lock()) self->replay(events, room, skipped);
                 });
}

void SseSession::replay(const std::vector<SseEvent>& events, size_t room, uint64_t skipped) {
  fetching_ = false;
  if (closed_) return;
  skipped += std::exchange(skipped_, 0);
  size_t first = events.size(), bytes = 0;
  while (first > 0 && bytes + events[first - 1].frame->size() <= room) {
    bytes += events[--first].frame->size();
  }
  // Events the backlog got after the last one this thread was offered are not among the
  // skipped: their offer comes later, and is ignored.
  const auto sent = static_cast<uint64_t>(
      std::count_if(events.begin() + static_cast<ptrdiff_t>(first), events.end(),
                    [this](const SseEvent& e) { return e.id <= offered_id_; }));
  if (skipped > sent) {
    const uint64_t missed = skipped - sent;
    server_.lag_notices_.fetch_add(1, std::memory_order_relaxed);
    server_.missed_.fetch_add(missed, std::memory_order_relaxed);
    enqueue(std::make_shared<const std::string>(
        "event: missed\ndata: {\"missed\":" + std::to_string(missed) + "}\n\n"));
  }
  for (size_t i = first; i < events.size(); ++i) {
    server_.frames_.fetch_add(1, std::memory_order_relaxed);
    enqueue(events[i].frame);
  }
  if (!events.empty()) last_id_ = replayed_id_ = events.back().id;
}

void SseSession::resume() {
  if (waiting_for_room_) return;  // the server wakes it in turn
  if (!server_.may_resume(thread_)) {
    waiting_for_room_ = true;
    return server_.wait_for_room(thread_, weak_from_this());
  }
  resume_in_turn();
}

bool SseSession::resume_in_turn() {
  waiting_for_room_ = false;
  if (closed_ || !lagging_) return false;
  lagging_ = false;
  catch_up(server_.catch_up_room(), std::exchange(skipped_, 0));
  return true;
}

void SseSession::write_next() {
  if (writing_ || closed_ || queue_.empty()) return;
  gather_.clear();
  auto it = queue_.begin();
  gather_.push_back(asio::buffer(*it->frame) + written_of_front_);
  for (++it; it != queue_.end() && gather_.size() < kMaxGather; ++it) {
    gather_.push_back(asio::buffer(*it->frame));
  }
  writing_ = true;
  socket_.async_write_some(beast::buffers_range_ref(gather_),
                           [self = shared_from_this()](beast::error_code ec, size_t bytes) {
                             self->writing_ = false;
                             if (self->closed_) return;
                             if (ec) return self->close();
                             self->written(bytes);
                           });
}

void SseSession::written(size_t bytes) {
  last_progress_ = Clock::now();
  metrics::Histogram* latency = server_.config_.event_latency;
  while (bytes > 0) {
    const size_t size = queue_.front().frame->size();
    const size_t left = size - written_of_front_;
    if (bytes < left) {
      written_of_front_ += bytes;
      break;
    }
    bytes -= left;
    written_of_front_ = 0;
    queued_bytes_ -= size;
    server_.queued_.fetch_sub(size, std::memory_order_relaxed);
    const Clock::time_point published = queue_.front().published;
    if (latency != nullptr && published != Clock::time_point{}) {
      latency->observe(std::chrono::duration<double>(last_progress_ - published).count());
    }
    queue_.pop_front();
  }
  if (!queue_.empty()) {
    write_next();
  } else if (closing_after_write_) {
    return close();
  } else if (lagging_) {
    resume();
  }
  server_.wake_waiting(thread_);
}

void SseSession::watch_for_close() {
  socket_.async_read_some(asio::buffer(scratch_),
                          [self = shared_from_this()](beast::error_code ec, size_t) {
                            if (ec) return self->close();
                            self->watch_for_close();
                          });
}

}  // namespace fmn::sinks
