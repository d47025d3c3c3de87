// Drops messages whose msg_id was seen recently: the same message arriving over two endpoints,
// or replayed by a relay.
//
// The window remembers the last `capacity` distinct msg_ids: memory is bounded, and an id older
// than that is forgotten and would be admitted again. Ids are compared in full, hashes only
// locate them; an id longer than kMaxPlainId bytes is remembered by its SHA-256
// (core/bounded_id.h), so an entry holds at most kMaxPlainId bytes whatever publishers send.
// Messages without a msg_id cannot be recognised and are always admitted (not remembered).
//
// Layout, for a few cache misses per message and no allocation once warm: a ring of the ids in
// arrival order (the oldest is overwritten), and an open-addressing table (linear probing,
// backward-shift deletion, at most half full) whose 64-bit slots hold part of an id's hash and
// its ring position, so a probe rarely touches the ring.
//
// Thread-safety: admit()/filter() from one thread at a time; stats() from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bus/counter.h"
#include "core/message.h"

namespace fmn::bus {

struct DedupeStats {
  uint64_t admitted = 0;    // new ids, and messages without an id
  uint64_t duplicates = 0;  // dropped
  uint64_t without_id = 0;  // admitted without an id
};

class DedupeWindow {
 public:
  // REQUIRES: 0 < capacity < 2^31.
  explicit DedupeWindow(size_t capacity = 1 << 17);
  DedupeWindow(const DedupeWindow&) = delete;
  DedupeWindow& operator=(const DedupeWindow&) = delete;

  // True when `msg_id` is empty or not in the window (it is then remembered); false for a
  // duplicate.
  bool admit(std::string_view msg_id);

  // Removes the duplicates from `batch`, keeping the order of the rest. Returns how many went.
  size_t filter(std::vector<MessagePtr>& batch);

  DedupeStats stats() const;
  size_t capacity() const { return ring_.size(); }

 private:
  struct Entry {
    uint64_t hash = 0;
    std::string id;
  };
  // The table slot holding ring position `pos`, whose id hashes to `hash`.
  size_t find_slot(uint64_t hash, uint32_t pos) const;
  void erase_slot(size_t slot);

  std::vector<Entry> ring_;
  size_t next_ = 0;  // the ring position the next new id goes to
  size_t filled_ = 0;
  std::vector<uint64_t> table_;  // 0: empty; else (hash high 32 bits << 32) | (ring position + 1)
  size_t mask_ = 0;
  SingleWriterCounter admitted_, duplicates_, without_id_;
};

}  // namespace fmn::bus
