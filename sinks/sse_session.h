// One client connection of the SSE server: reads a request, answers it, and for a feed stays
// open, writing events. Its queue holds shared event buffers (never copies); all of them go out
// in one gathered write. A full queue, or the server's queue budget used up, makes it lag (see
// sse_server.h): live events are skipped until the queue has drained, then it is told what it
// missed and resumes from the backlog; when the shared budget has no room for that, it waits
// its turn on its network thread's list, woken as other clients' queues drain.
// Lives on one network thread only (its SseNetworkThread); owned by shared_ptr (its pending
// handlers and the feed it is subscribed to there).
#pragma once

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without it

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "sinks/sse_server_impl.h"

namespace fmn::sinks {

class SseSession : public std::enable_shared_from_this<SseSession> {
 public:
  SseSession(boost::asio::ip::tcp::socket socket, SseServer::Impl& server, SseNetworkThread& thread,
             net::ConnectionSlot slot);
  ~SseSession();

  void start();
  // A live event of its feed, published at `published` (its latency is measured from then).
  // Events already replayed to it from the backlog are ignored: the backlog gets an event
  // before the network threads are offered it.
  void offer(const SseEvent& event, std::chrono::steady_clock::time_point published);
  // The heartbeat: a ping when idle, resume when lagging, close when the socket stopped
  // draining for idle_timeout.
  void tick(std::chrono::steady_clock::time_point now);
  // Its turn on the server's list of clients waiting for queue budget (wake_waiting): resumes
  // when still lagging. False when it had nothing to resume (closed, or no longer lagging).
  bool resume_in_turn();
  void close();

 private:
  using Frame = std::shared_ptr<const std::string>;
  using Clock = std::chrono::steady_clock;
  struct Queued {
    Frame frame;
    Clock::time_point published;  // a live event's; default (not measured) for the rest
  };
  void route();
  void respond(std::string_view status, std::string_view type, std::string_view body);
  void close_unless_done_within(std::chrono::milliseconds timeout);
  void enqueue(Frame frame, Clock::time_point published = {});
  // Queues the newest events of the feed after last_id_ that fit in `room` bytes, after a
  // "missed" notice when fewer than `skipped` (events skipped while lagging, or offered while
  // the backlog was read) fit or remain. Reading the backlog may wait for Redis (never on the
  // network thread): live events offered meanwhile are skipped, and found in the backlog after.
  void catch_up(size_t room, uint64_t skipped);
  void replay(const std::vector<SseEvent>& events, size_t room, uint64_t skipped);
  // Resumes a lagging client with an empty queue, or puts it on the server's waiting list when
  // the shared budget has no room for the catch-up (or others wait before it).
  void resume();
  void write_next();
  void written(size_t bytes);
  void watch_for_close();

  boost::asio::ip::tcp::socket socket_;
  SseServer::Impl& server_;
  SseNetworkThread& thread_;
  net::ConnectionSlot slot_;  // counted open until destroyed
  boost::asio::steady_timer deadline_;
  boost::beast::flat_buffer buffer_;
  boost::beast::http::request_parser<boost::beast::http::empty_body> parser_;
  std::deque<Queued> queue_;
  size_t written_of_front_ = 0;  // bytes of queue_.front() already sent
  size_t queued_bytes_ = 0;
  std::vector<boost::asio::const_buffer> gather_;  // reused by every write
  bool writing_ = false;
  std::chrono::steady_clock::time_point last_progress_;
  std::string feed_;
  uint64_t last_id_ = 0;      // the newest event queued (or known to the client)
  uint64_t replayed_id_ = 0;  // the newest event queued from the backlog
  uint64_t offered_id_ = 0;   // the newest live event offered
  bool lagging_ = false;
  bool waiting_for_room_ = false;  // on the server's waiting list
  bool fetching_ = false;          // a catch-up waits for the backlog
  uint64_t skipped_ = 0;           // live events not queued since it began to lag or to fetch
  bool closed_ = false;
  bool closing_after_write_ = false;
  char scratch_[512];
};

}  // namespace fmn::sinks
