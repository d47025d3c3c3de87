// The recent events of the SSE feeds, so a client reconnecting with Last-Event-ID (or resuming
// after it lagged) gets exactly what it missed. Bounded by bytes across all feeds: when the
// events held exceed `budget_bytes`, the oldest event of any feed goes first, so memory does
// not grow with the number of feeds, listened to or not; a feed also keeps at most `per_feed`.
//
// Event ids increase per feed and across restarts: a new id is max(previous + 1, wall-clock
// microseconds), so ids from before a restart are always older than new ones.
// Each event is serialized once (its SSE frame) into an immutable buffer that every client's
// queue shares; consecutive appends of the same data that get the same id (one notification
// fanned out to many feeds within a microsecond) share one buffer across their feeds too. The
// budget still counts each feed's event in full, so sharing lowers what is held, never what the
// budget allows. Memory only; not thread-safe: the SSE server guards it with a mutex.
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
  SseBacklog(size_t per_feed, size_t budget_bytes)
      : per_feed_(per_feed), budget_bytes_(budget_bytes) {}

  // Adds an event with `data` (any text: line breaks become extra data: lines) to `feed`, then
  // evicts the oldest events while over the budget; the returned event is valid until the next
  // append.
  SseEvent append(const std::string& feed, std::string_view data,
                  std::chrono::system_clock::time_point now);
  // The events of `feed` with an id greater than `last_id`, oldest first.
  std::vector<SseEvent> since(const std::string& feed, uint64_t last_id) const;
  // Whether `feed` still holds the event `last_id` or an older one: since() is then complete.
  bool reaches_back_to(const std::string& feed, uint64_t last_id) const;
  // What the events held cost, bookkeeping included; at most the budget after an append
  // (unless one event alone is larger).
  size_t bytes() const { return bytes_; }
  size_t events() const { return held_; }

 private:
  struct Feed {
    std::deque<SseEvent> events;
    uint64_t last_id = 0;
    // Entries of order_ whose event the per-feed cap already removed: always this feed's
    // first entries there.
    size_t stale = 0;
  };
  using Feeds = std::unordered_map<std::string, Feed>;
  void evict_oldest();
  void drop(Feed& feed);
  void compact();

  size_t per_feed_;
  size_t budget_bytes_;
  size_t bytes_ = 0;
  size_t held_ = 0;
  Feeds feeds_;
  // Which feed each held event belongs to, oldest first (the global eviction order).
  std::deque<Feeds::iterator> order_;
  // The last event appended and its data, for the next append of the same to another feed.
  SseEvent last_{0, nullptr};
  std::string last_data_;
};

// The SSE wire form of one event: "id: <id>\n" then one "data: " line per line of `data`.
std::string sse_frame(uint64_t id, std::string_view data);

// What one held event costs: its frame, the shared buffer's control block, the bookkeeping.
size_t sse_event_cost(const std::string& frame);

}  // namespace fmn::sinks
