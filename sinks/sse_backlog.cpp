#include "sinks/sse_backlog.h"

#include <algorithm>

namespace fmn::sinks {

std::string sse_frame(uint64_t id, std::string_view data) {
  std::string frame = "id: " + std::to_string(id) + "\n";
  frame.reserve(frame.size() + data.size() + 16);
  size_t start = 0;
  while (true) {
    // CR, LF and CRLF all end a line in SSE: each piece becomes its own data: line.
    const size_t end = data.find_first_of("\r\n", start);
    frame += "data: ";
    frame.append(data.substr(start, end == std::string_view::npos ? end : end - start));
    frame += '\n';
    if (end == std::string_view::npos) break;
    start = end + (data.compare(end, 2, "\r\n") == 0 ? 2 : 1);
  }
  frame += '\n';
  return frame;
}

size_t sse_event_cost(const std::string& frame) {
  // The string's heap block, the shared_ptr control block with the string in it, the
  // SseEvent and its order_ entry.
  return frame.capacity() + 64 + sizeof(SseEvent) + sizeof(void*);
}

SseEvent SseBacklog::append(const std::string& feed, std::string_view data,
                            std::chrono::system_clock::time_point now) {
  auto it = feeds_.try_emplace(feed).first;
  Feed& f = it->second;
  const auto us = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count());
  f.last_id = std::max(f.last_id + 1, us);
  if (f.last_id != last_.id || data != last_data_) {
    last_ = {f.last_id, std::make_shared<const std::string>(sse_frame(f.last_id, data))};
    last_data_.assign(data);
  }
  const SseEvent event = last_;
  f.events.push_back(event);
  order_.push_back(it);
  ++held_;
  bytes_ += sse_event_cost(*event.frame);
  if (f.events.size() > per_feed_) {
    drop(f);
    ++f.stale;
  }
  // Never evicts the event just added: it is the newest, and at least one event stays.
  while (bytes_ > budget_bytes_ && held_ > 1) evict_oldest();
  if (order_.size() > 2 * held_ + 64) compact();
  return event;
}

void SseBacklog::drop(Feed& f) {
  bytes_ -= sse_event_cost(*f.events.front().frame);
  f.events.pop_front();
  --held_;
}

void SseBacklog::evict_oldest() {
  const Feeds::iterator it = order_.front();
  order_.pop_front();
  Feed& f = it->second;
  if (f.stale > 0) {
    --f.stale;  // that event is gone already
    return;
  }
  drop(f);
  if (f.events.empty()) feeds_.erase(it);
}

void SseBacklog::compact() {
  std::deque<Feeds::iterator> kept;
  for (const Feeds::iterator it : order_) {
    if (it->second.stale > 0) {
      --it->second.stale;
    } else {
      kept.push_back(it);
    }
  }
  order_ = std::move(kept);
}

bool SseBacklog::reaches_back_to(const std::string& feed, uint64_t last_id) const {
  const auto it = feeds_.find(feed);
  return it != feeds_.end() && it->second.events.front().id <= last_id;
}

std::vector<SseEvent> SseBacklog::since(const std::string& feed, uint64_t last_id) const {
  std::vector<SseEvent> out;
  const auto it = feeds_.find(feed);
  if (it == feeds_.end()) return out;
  const auto& events = it->second.events;
  auto first = std::upper_bound(events.begin(), events.end(), last_id,
                                [](uint64_t id, const SseEvent& e) { return id < e.id; });
  out.assign(first, events.end());
  return out;
}

}  // namespace fmn::sinks
