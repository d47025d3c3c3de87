#include "bus/dedupe_window.h"

#include <bit>
#include <functional>

#include "core/bounded_id.h"

namespace fmn::bus {
namespace {

uint64_t tag(uint64_t hash) { return hash & 0xffffffff00000000ULL; }
uint32_t position(uint64_t slot) { return static_cast<uint32_t>(slot) - 1; }
uint64_t make_slot(uint64_t hash, size_t pos) { return tag(hash) | (pos + 1); }

}  // namespace

DedupeWindow::DedupeWindow(size_t capacity)
    : ring_(capacity), table_(std::bit_ceil(capacity * 2)), mask_(table_.size() - 1) {}

size_t DedupeWindow::find_slot(uint64_t hash, uint32_t pos) const {
  size_t i = hash & mask_;
  while (table_[i] != make_slot(hash, pos)) i = (i + 1) & mask_;
  return i;
}

void DedupeWindow::erase_slot(size_t slot) {
  // Backward-shift deletion: move later members of the probe run into the hole when their
  // home slot is not after it, so lookups never need tombstones.
  size_t hole = slot;
  for (size_t i = (slot + 1) & mask_; table_[i] != 0; i = (i + 1) & mask_) {
    size_t home = ring_[position(table_[i])].hash & mask_;
    bool movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
    if (movable) {
      table_[hole] = table_[i];
      hole = i;
    }
  }
  table_[hole] = 0;
}

bool DedupeWindow::admit(std::string_view msg_id) {
  if (msg_id.empty()) {
    without_id_.add();
    admitted_.add();
    return true;
  }
  std::string bounded;  // a long id's SHA-256 form, the one remembered
  msg_id = bounded_id(msg_id, bounded);
  uint64_t hash = std::hash<std::string_view>{}(msg_id);
  size_t i = hash & mask_;
  for (; table_[i] != 0; i = (i + 1) & mask_) {
    if (tag(table_[i]) == tag(hash) && ring_[position(table_[i])].id == msg_id) {
      duplicates_.add();
      return false;
    }
  }
  Entry& entry = ring_[next_];
  if (filled_ == ring_.size()) {
    erase_slot(find_slot(entry.hash, static_cast<uint32_t>(next_)));
    // The erase may have shifted the run `i` ended; find the free slot again.
    for (i = hash & mask_; table_[i] != 0;) i = (i + 1) & mask_;
  } else {
    ++filled_;
  }
  entry.hash = hash;
  entry.id.assign(msg_id);
  table_[i] = make_slot(hash, next_);
  next_ = next_ + 1 == ring_.size() ? 0 : next_ + 1;
  admitted_.add();
  return true;
}

size_t DedupeWindow::filter(std::vector<MessagePtr>& batch) {
  size_t before = batch.size();
  std::erase_if(batch, [this](const MessagePtr& m) { return !admit(m->msg_id); });
  return before - batch.size();
}

DedupeStats DedupeWindow::stats() const {
  return {admitted_.get(), duplicates_.get(), without_id_.get()};
}

}  // namespace fmn::bus
