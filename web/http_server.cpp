#include "web/http_server.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <optional>
#include <thread>
#include <vector>

#include "core/log.h"
#include "core/thread_name.h"

namespace fmn::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

HttpRequest to_request(const http::request<http::string_body>& in) {
  HttpRequest out;
  out.method = std::string(in.method_string());
  const std::string_view target(in.target().data(), in.target().size());
  const size_t question = target.find('?');
  out.path = target.substr(0, question);
  if (question != std::string_view::npos) out.query = target.substr(question + 1);
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  out.body = in.body();
  return out;
}

http::response<http::string_body> to_response(HttpResponse&& in, unsigned version,
                                              bool keep_alive) {
  http::response<http::string_body> out{static_cast<http::status>(in.status), version};
  out.set(http::field::content_type, in.content_type);
  out.set(http::field::cache_control, "no-store");
  out.set("X-Content-Type-Options", "nosniff");
  out.set("X-Frame-Options", "DENY");
  out.set("Referrer-Policy", "no-referrer");
  for (auto& [name, value] : in.headers) {
    // A handler's own Cache-Control (the page's scripts) replaces the default.
    if (beast::iequals(name, "Cache-Control")) {
      out.set(http::field::cache_control, value);
    } else {
      out.insert(name, value);
    }
  }
  out.body() = std::move(in.body);
  out.keep_alive(keep_alive);
  // A 304 has no body, and no Content-Length: that would be the length of the 200's body.
  if (out.result() != http::status::not_modified) out.prepare_payload();
  return out;
}

// One connection: read a request, answer it, and again while the client keeps it alive.
// Its operations run on its own strand, one at a time.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, net::ConnectionSlot slot, const HttpServerConfig& config,
             const HttpHandler& handler)
      : stream_(std::move(socket)), slot_(std::move(slot)), config_(config), handler_(handler) {}

  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->header_limit(8 * 1024);
    parser_->body_limit(config_.max_body_bytes);
    stream_.expires_after(first_ ? config_.limits.header_timeout : config_.limits.idle_timeout);
    first_ = false;
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec == http::error::body_limit) {
                         return self->write(json_error(413, "request body too large"), 11, false);
                       }
                       if (ec) return self->close();
                       self->answer();
                     });
  }

  void answer() {
    http::request<http::string_body> request = parser_->release();
    HttpResponse response;
    try {
      response = handler_(to_request(request));
    } catch (const std::exception& e) {
      // Handlers return errors as responses; this is a bug, not bad input: say so and go on.
      log::error("web_handler_exception", {{"error", e.what()}});
      response = json_error(500, "internal error");
    }
    write(std::move(response), request.version(), request.keep_alive());
  }

  void write(HttpResponse&& response, unsigned version, bool keep_alive) {
    response_ = to_response(std::move(response), version, keep_alive);
    stream_.expires_after(config_.limits.idle_timeout);
    http::async_write(stream_, response_,
                      [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                        if (ec || !keep_alive) return self->close();
                        self->read();
                      });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  net::ConnectionSlot slot_;  // counted open until the connection is gone
  const HttpServerConfig& config_;
  const HttpHandler& handler_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  bool first_ = true;
};

}  // namespace

class HttpServer::Impl {
 public:
  Impl(HttpServerConfig config, HttpHandler handler)
      : config_(std::move(config)), handler_(std::move(handler)) {}

  Result<bool> listen() {
    auto listener =
        net::Listener::open(io_, config_.name, config_.bind, config_.port, config_.limits);
    if (!listener) return listener.error();
    listener_ = std::move(listener).value();
    return true;
  }

  void serve() {
    listener_->start([this](tcp::socket socket, net::ConnectionSlot slot) {
      std::make_shared<Connection>(std::move(socket), std::move(slot), config_, handler_)->start();
    });
    for (int i = 0; i < std::max(1, config_.threads); ++i) {
      threads_.emplace_back([this] { io_.run(); });
      name_thread(threads_.back(), config_.name + "-io");
    }
  }

  void stop() {
    if (stopped_.exchange(true)) return;
    listener_->close();
    io_.stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
  }

  HttpServerConfig config_;
  HttpHandler handler_;
  asio::io_context io_;
  std::unique_ptr<net::Listener> listener_;  // after io_: destroyed before it
  std::vector<std::thread> threads_;
  std::atomic<bool> stopped_{false};
};

Result<std::unique_ptr<HttpServer>> HttpServer::open(HttpServerConfig config, HttpHandler handler) {
  auto impl = std::make_unique<Impl>(std::move(config), std::move(handler));
  auto ok = impl->listen();
  if (!ok) return ok.error();
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() { stop(); }
void HttpServer::serve() { impl_->serve(); }
int HttpServer::port() const { return impl_->listener_->port(); }
bool HttpServer::loopback() const { return impl_->listener_->loopback(); }
const net::Listener& HttpServer::listener() const { return *impl_->listener_; }
void HttpServer::stop() { impl_->stop(); }

}  // namespace fmn::web
