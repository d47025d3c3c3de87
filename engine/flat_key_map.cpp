#include "engine/flat_key_map.h"

#include <functional>

namespace fmn::engine {

uint64_t FlatKeyMap::hash(std::string_view s) {
  // libstdc++'s string hash, mixed so that its low bits (the slot) and high bits (the tag) are
  // both well spread.
  uint64_t h = std::hash<std::string_view>{}(s);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

uint32_t FlatKeyMap::insert(std::string_view value, uint32_t id_if_new) {
  if ((size_ + 1) * 4 > slots_.size() * 3) grow();
  uint64_t h = hash(value);
  auto tag = static_cast<uint32_t>(h >> 32);
  size_t i = h & mask_;
  for (; slots_[i].length != kEmpty; i = (i + 1) & mask_) {
    if (slots_[i].tag == tag && text(slots_[i]) == value) return slots_[i].key;
  }
  slots_[i] = Slot{static_cast<uint32_t>(chars_.size()), static_cast<uint32_t>(value.size()),
                   id_if_new, tag};
  chars_ += value;
  ++size_;
  return id_if_new;
}

void FlatKeyMap::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
  mask_ = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.length == kEmpty) continue;
    size_t i = hash(text(s)) & mask_;
    while (slots_[i].length != kEmpty) i = (i + 1) & mask_;
    slots_[i] = s;
  }
}

}  // namespace fmn::engine
