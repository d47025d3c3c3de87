// FlatKeyMap: a map from strings to key ids for the posting index, grown while the index is
// built and read-only after.
//
// A million users' index holds ~900k keys (one per account name and followed package): a node
// of std::unordered_map costs ~70 bytes a key before the string, and an allocation. Here the
// strings are packed into one buffer and an open-addressing table (at most three quarters
// full) holds, per slot, the string's offset and length, the key id and bits of its hash:
// 16 bytes a slot, 21-43 a key plus its text. Not thread-safe while inserting; any number of
// readers once built.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fmn::engine {

class FlatKeyMap {
 public:
  // The id of `value`, inserted with `id_if_new` when absent.
  uint32_t insert(std::string_view value, uint32_t id_if_new);

  std::optional<uint32_t> find(std::string_view value) const {
    if (slots_.empty()) return std::nullopt;
    uint64_t h = hash(value);
    auto tag = static_cast<uint32_t>(h >> 32);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.length == kEmpty) return std::nullopt;
      if (s.tag == tag && text(s) == value) return s.key;
    }
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t bytes() const { return slots_.capacity() * sizeof(Slot) + chars_.capacity(); }
  // Frees the text buffer's spare capacity (once built).
  void shrink_to_fit() { chars_.shrink_to_fit(); }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct Slot {
    uint32_t offset = 0;
    uint32_t length = kEmpty;
    uint32_t key = 0;
    uint32_t tag = 0;  // the hash's high bits: most mismatches never read the text
  };

  static uint64_t hash(std::string_view s);
  std::string_view text(const Slot& s) const { return {chars_.data() + s.offset, s.length}; }
  void grow();

  std::vector<Slot> slots_;
  std::string chars_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace fmn::engine
