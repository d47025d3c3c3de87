#include "sinks/sse_server.h"

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <deque>
#include <thread>
#include <unordered_map>

#include "core/log.h"
#include "core/query_string.h"
#include "sinks/sse_backlog.h"
#include "sinks/tcp_acceptor.h"

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

}  // namespace

bool is_valid_feed_name(std::string_view feed) {
  if (feed.empty() || feed.size() > 64) return false;
  for (char c : feed) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

class Session;

class SseServer::Impl {
 public:
  Impl(SseServerConfig config, FeedAuth auth)
      : config_(std::move(config)),
        auth_(std::move(auth)),
        acceptor_(io_),
        accept_retry_(io_),
        heartbeat_(io_),
        backlog_(config_.backlog_per_feed) {}

  Result<bool> listen();
  void run() {
    thread_ = std::thread([this] { io_.run(); });
  }
  void stop();
  void publish(std::string feed, std::string data);
  void subscribe(const std::string& feed, const std::shared_ptr<Session>& s);
  void unsubscribe(const std::string& feed, const Session* s);
  // A session from `address` ended.
  void release(const std::string& address);

  SseServerConfig config_;
  FeedAuth auth_;
  // Open connections per client address. Declared before io_: sessions still held by pending
  // handlers release their address when the io_context is destroyed.
  std::unordered_map<std::string, size_t> per_address_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  asio::steady_timer accept_retry_;
  std::chrono::milliseconds accept_delay_{0};  // 0: the last accept succeeded
  asio::steady_timer heartbeat_;
  std::thread thread_;
  SseBacklog backlog_;
  std::unordered_map<std::string, std::vector<std::shared_ptr<Session>>> feeds_;
  std::atomic<size_t> clients_{0};
  std::atomic<uint64_t> frames_{0};
  std::atomic<uint64_t> accept_errors_{0}, refused_{0}, oversized_{0};
  std::atomic<bool> stopped_{false};
  int port_ = 0;

 private:
  void accept();
  void accepted(tcp::socket socket);
  void accept_failed(const beast::error_code& ec);
  void beat();
};

// One client connection: reads a request, answers it, and for a feed stays open writing events.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, SseServer::Impl& server, std::string address)
      : socket_(std::move(socket)),
        server_(server),
        address_(std::move(address)),
        deadline_(socket_.get_executor()) {}
  ~Session() { server_.release(address_); }

  void start() {
    close_unless_done_within(server_.config_.header_timeout);
    parser_.header_limit(8 * 1024);
    parser_.body_limit(0);
    http::async_read(socket_, buffer_, parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (!ec) self->route();
                     });
  }

  // Queues a frame; drops the client when it is too far behind.
  void send(std::shared_ptr<const std::string> frame, bool is_event) {
    if (closed_) return;
    if (queued_bytes_ + frame->size() > server_.config_.max_queued_bytes) {
      close();
      return;
    }
    queued_bytes_ += frame->size();
    if (is_event) server_.frames_.fetch_add(1, std::memory_order_relaxed);
    queue_.push_back(std::move(frame));
    if (queue_.size() == 1) write_next();
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    deadline_.cancel();
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    if (!feed_.empty()) {
      server_.clients_.fetch_sub(1, std::memory_order_relaxed);
      server_.unsubscribe(feed_, this);
    }
  }

 private:
  void route() {
    const auto& request = parser_.get();
    const std::string_view target(request.target().data(), request.target().size());
    const size_t question = target.find('?');
    const std::string_view path = target.substr(0, question);
    const std::string_view query =
        question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
    if (path == "/confirm" && server_.config_.on_confirmation) {
      return confirm(request.method(), target, query);
    }
    if (request.method() != http::verb::get || !path.starts_with("/feeds/")) {
      return respond("404 Not Found", "text/plain", "not found\n");
    }
    std::string_view rest = path.substr(7);
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
    uint64_t last_id = parse_id(query_param(query, "lastEventId"));
    const auto header = request.find("Last-Event-ID");
    if (header != request.end()) {
      last_id = parse_id({header->value().data(), header->value().size()});
    }
    feed_ = feed;
    close_unless_done_within(server_.config_.idle_timeout);
    server_.clients_.fetch_add(1, std::memory_order_relaxed);
    send(std::make_shared<const std::string>(
             "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
             "Connection: keep-alive\r\nX-Accel-Buffering: no\r\n\r\nretry: 2000\n\n"),
         false);
    // The newest events that fit in half the queue: a long gap never disconnects the client.
    const std::vector<SseEvent> missed = server_.backlog_.since(feed_, last_id);
    size_t first = missed.size(), bytes = 0;
    while (first > 0 &&
           bytes + missed[first - 1].frame->size() <= server_.config_.max_queued_bytes / 2) {
      bytes += missed[--first].frame->size();
    }
    for (size_t i = first; i < missed.size(); ++i) send(missed[i].frame, true);
    server_.subscribe(feed_, shared_from_this());
    watch_for_close();
  }

  void confirm(http::verb method, std::string_view target, std::string_view query) {
    ConfirmationAnswer answer{query_param(query, "user"), query_param(query, "kind"),
                              query_param(query, "address"), query_param(query, "code"),
                              query_param(query, "action") == "accept"};
    if (method == http::verb::get) {
      return respond("200 OK", "text/html; charset=utf-8",
                     confirmation_form_page(target, answer.accept));
    }
    if (method != http::verb::post) return respond("405 Method Not Allowed", "text/plain", "");
    switch (server_.config_.on_confirmation(answer)) {
      case ConfirmationOutcome::kDone:
        return respond("200 OK", "text/plain",
                       answer.accept ? "Confirmed: notifications will be sent here.\n"
                                     : "Refused: nothing will be sent here.\n");
      case ConfirmationOutcome::kExpired:
        return respond("410 Gone", "text/plain", "This confirmation request has expired.\n");
      case ConfirmationOutcome::kUnknownOrWrongCode:
        break;
    }
    return respond("404 Not Found", "text/plain", "No such confirmation request.\n");
  }

  void respond(std::string_view status, std::string_view type, std::string_view body) {
    std::string response = "HTTP/1.1 " + std::string(status) +
                           "\r\nContent-Type: " + std::string(type) +
                           "\r\nContent-Length: " + std::to_string(body.size()) +
                           "\r\nReferrer-Policy: no-referrer\r\nCache-Control: no-store\r\n"
                           "Connection: close\r\n\r\n" +
                           std::string(body);
    closing_after_write_ = true;
    close_unless_done_within(server_.config_.idle_timeout);
    send(std::make_shared<const std::string>(std::move(response)), false);
  }

  // Closes the connection unless it is re-armed (or closed) within `timeout`.
  void close_unless_done_within(std::chrono::milliseconds timeout) {
    deadline_.expires_after(timeout);
    deadline_.async_wait([weak = weak_from_this()](beast::error_code ec) {
      if (ec) return;  // re-armed or cancelled
      if (auto self = weak.lock()) self->close();
    });
  }

  void write_next() {
    asio::async_write(socket_, asio::buffer(*queue_.front()),
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return self->close();
                        self->close_unless_done_within(self->server_.config_.idle_timeout);
                        self->queued_bytes_ -= self->queue_.front()->size();
                        self->queue_.pop_front();
                        if (!self->queue_.empty()) return self->write_next();
                        if (self->closing_after_write_) self->close();
                      });
  }

  // A streaming client sends nothing more; a completed read means it went away.
  void watch_for_close() {
    socket_.async_read_some(asio::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->close();
                              self->watch_for_close();
                            });
  }

  tcp::socket socket_;
  SseServer::Impl& server_;
  std::string address_;
  asio::steady_timer deadline_;
  beast::flat_buffer buffer_;
  http::request_parser<http::empty_body> parser_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  size_t queued_bytes_ = 0;
  std::string feed_;
  bool closed_ = false;
  bool closing_after_write_ = false;
  char scratch_[512];
};

Result<bool> SseServer::Impl::listen() {
  if (auto ok = open_acceptor(acceptor_, config_.bind, config_.port, "sse"); !ok) return ok;
  port_ = acceptor_.local_endpoint().port();
  accept();
  beat();
  return true;
}

void SseServer::Impl::accept() {
  acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (stopped_.load()) return;
    if (ec) return accept_failed(ec);
    if (accept_delay_.count() > 0) log::info("sse_accept_recovered");
    accept_delay_ = std::chrono::milliseconds(0);
    accepted(std::move(socket));
    accept();
  });
}

void SseServer::Impl::accepted(tcp::socket socket) {
  beast::error_code ec;
  const tcp::endpoint peer = socket.remote_endpoint(ec);
  if (ec) return;  // already gone
  std::string address = peer.address().to_string();
  size_t& open = per_address_[address];
  if (open >= config_.max_connections_per_ip) {
    refused_.fetch_add(1, std::memory_order_relaxed);
    socket.close(ec);
    return;
  }
  ++open;
  socket.set_option(tcp::no_delay(true), ec);
  std::make_shared<Session>(std::move(socket), *this, std::move(address))->start();
}

void SseServer::Impl::accept_failed(const beast::error_code& ec) {
  // Out of descriptors (EMFILE/ENFILE), or the like: the pending connection waits in the
  // listen queue; try again once some may have been closed.
  accept_errors_.fetch_add(1, std::memory_order_relaxed);
  if (accept_delay_.count() == 0) {
    log::warn("sse_accept_failed", {{"error", ec.message()}});
    accept_delay_ = std::chrono::milliseconds(10);
  } else {
    accept_delay_ = std::min(accept_delay_ * 2, config_.accept_retry_max);
  }
  accept_retry_.expires_after(accept_delay_);
  accept_retry_.async_wait([this](beast::error_code wait) {
    if (!wait && !stopped_.load()) accept();
  });
}

void SseServer::Impl::release(const std::string& address) {
  const auto it = per_address_.find(address);
  if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
}

void SseServer::Impl::beat() {
  heartbeat_.expires_after(config_.heartbeat);
  heartbeat_.async_wait([this](beast::error_code ec) {
    if (ec) return;
    static const auto kPing = std::make_shared<const std::string>(": ping\n\n");
    for (auto& [feed, sessions] : feeds_) {
      for (const auto& session : std::vector(sessions)) session->send(kPing, false);
    }
    beat();
  });
}

void SseServer::Impl::publish(std::string feed, std::string data) {
  if (data.size() > config_.max_event_bytes) {
    oversized_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  asio::post(io_, [this, feed = std::move(feed), data = std::move(data)] {
    const SseEvent& event = backlog_.append(feed, data, std::chrono::system_clock::now());
    const auto it = feeds_.find(feed);
    if (it == feeds_.end()) return;
    // A copy: a send may close a slow session, which unsubscribes it from this vector.
    for (const auto& session : std::vector(it->second)) session->send(event.frame, true);
  });
}

void SseServer::Impl::subscribe(const std::string& feed, const std::shared_ptr<Session>& s) {
  feeds_[feed].push_back(s);
}

void SseServer::Impl::unsubscribe(const std::string& feed, const Session* s) {
  const auto it = feeds_.find(feed);
  if (it == feeds_.end()) return;
  std::erase_if(it->second, [s](const std::shared_ptr<Session>& p) { return p.get() == s; });
  if (it->second.empty()) feeds_.erase(it);
}

void SseServer::Impl::stop() {
  if (stopped_.exchange(true)) return;
  asio::post(io_, [this] {
    beast::error_code ignored;
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
uint64_t SseServer::connections_refused() const { return impl_->refused_.load(); }
uint64_t SseServer::oversized_events() const { return impl_->oversized_.load(); }
size_t SseServer::max_event_bytes() const { return impl_->config_.max_event_bytes; }
void SseServer::stop() { impl_->stop(); }

}  // namespace fmn::sinks
