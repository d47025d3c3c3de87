// The recent events of each SSE feed, so a client reconnecting with Last-Event-ID gets exactly
// what it missed. Bounded: at most `per_feed` events a feed, the oldest dropped first.
//
// Event ids increase per feed and across restarts: a new id is max(previous + 1, wall-clock
// microseconds), so ids from before a restart are always older than new ones.
// Memory only (the embedded mode); not thread-safe: the SSE server's I/O thread owns it.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace fmn::sinks {

struct SseEvent {
  uint64_t id;
  std::shared_ptr<const std::string> frame;  // "id: ...\ndata: ...\n\n", shared by clients
};

class SseBacklog {
 public:
  explicit SseBacklog(size_t per_feed) : per_feed_(per_feed) {}

  // Adds an event with `data` (any text: line breaks become extra data: lines) to `feed`.
  const SseEvent& append(const std::string& feed, std::string_view data,
                         std::chrono::system_clock::time_point now);
  // The events of `feed` with an id greater than `last_id`, oldest first.
  std::vector<SseEvent> since(const std::string& feed, uint64_t last_id) const;

 private:
  struct Feed {
    std::deque<SseEvent> events;
    uint64_t last_id = 0;
  };
  size_t per_feed_;
  std::unordered_map<std::string, Feed> feeds_;
};

// The SSE wire form of one event: "id: <id>\n" then one "data: " line per line of `data`.
std::string sse_frame(uint64_t id, std::string_view data);

}  // namespace fmn::sinks
