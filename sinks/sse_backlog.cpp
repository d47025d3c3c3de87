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

const SseEvent& SseBacklog::append(const std::string& feed, std::string_view data,
                                   std::chrono::system_clock::time_point now) {
  Feed& f = feeds_[feed];
  const auto us = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count());
  f.last_id = std::max(f.last_id + 1, us);
  f.events.push_back({f.last_id, std::make_shared<const std::string>(sse_frame(f.last_id, data))});
  while (f.events.size() > per_feed_) f.events.pop_front();
  return f.events.back();
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
