#include "bus/sequence_tracker.h"

#include "core/bounded_id.h"

namespace fmn::bus {

void append_publisher_key(const Message& m, std::string& out) {
  // The module is the first component of the suffix; a topic without an env is all suffix.
  std::string_view suffix = m.topic_suffix;
  size_t suffix_at = static_cast<size_t>(suffix.data() - m.topic.data());
  if (suffix.empty() || suffix_at > m.topic.size()) suffix_at = 0;
  size_t module_end = m.topic.find('.', suffix_at);
  std::string_view publisher = m.topic.substr(0, module_end);
  if (!m.username.empty()) {
    std::string bounded;  // kept per publisher: a long username by its SHA-256, as a long id
    out.append(bounded_id(m.username, bounded));
    out.push_back('@');
  }
  out.append(publisher);
}

std::string publisher_key(const Message& m) {
  std::string key;
  append_publisher_key(m, key);
  return key;
}

SeqVerdict SequenceTracker::observe(const Message& m) {
  messages_.add(1);
  if (!m.seq) {
    unsequenced_.add(1);
    return {SeqEvent::kUnsequenced};
  }
  int64_t seq = *m.seq;
  key_.clear();
  append_publisher_key(m, key_);
  auto it = last_seq_.find(std::string_view(key_));
  if (it == last_seq_.end()) {
    if (last_seq_.size() >= max_publishers_) {
      untracked_.add(1);
      return {SeqEvent::kUntracked};
    }
    last_seq_.emplace(key_, seq);
    publishers_.add(1);
    return {SeqEvent::kFirst};
  }
  int64_t last = it->second;
  it->second = seq;
  if (seq == last) {
    repeats_.add(1);
    return {SeqEvent::kRepeat};
  }
  if (seq < last) {
    restarts_.add(1);
    return {SeqEvent::kRestart};
  }
  // Unsigned: the distance between any two int64 values fits, and nothing overflows.
  uint64_t step = static_cast<uint64_t>(seq) - static_cast<uint64_t>(last);
  if (step == 1) return {SeqEvent::kInOrder};
  uint64_t missing = step - 1;
  gaps_.add(1);
  missing_.add(missing);
  return {SeqEvent::kGap, missing};
}

void SequenceTracker::observe(std::span<const MessagePtr> batch) {
  for (const MessagePtr& m : batch) observe(*m);
}

SequenceStats SequenceTracker::stats() const {
  return {messages_.get(), unsequenced_.get(), untracked_.get(), publishers_.get(),
          gaps_.get(),     missing_.get(),     repeats_.get(),   restarts_.get()};
}

}  // namespace fmn::bus
