#include "dsl/interned_string.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <unordered_set>
#include <vector>

namespace fmn::dsl {
namespace {

// Texts in chunks (a length, the characters, a NUL), never moved or freed; a set of views into
// them to find a text already interned.
class Pool {
 public:
  const char* intern(std::string_view text) {
    std::lock_guard lock(mutex_);
    auto it = set_.find(text);
    if (it != set_.end()) return it->data();
    const char* chars = store(text);
    set_.insert(std::string_view(chars, text.size()));
    return chars;
  }

  size_t bytes() {
    std::lock_guard lock(mutex_);
    return chunk_bytes_ + set_.size() * 32 + set_.bucket_count() * 8;
  }

 private:
  static constexpr size_t kChunk = 64 * 1024;

  const char* store(std::string_view text) {
    size_t need = sizeof(uint32_t) + text.size() + 1;
    need = (need + 3) & ~size_t{3};  // keeps every length 4-aligned
    if (need > kChunk - used_) {
      size_t size = std::max(kChunk, need);
      chunks_.push_back(std::make_unique<char[]>(size));
      chunk_bytes_ += size;
      used_ = size == kChunk ? 0 : kChunk;  // an oversized text fills its own chunk
      if (size != kChunk) {
        return write(chunks_.back().get(), text);
      }
    }
    char* at = chunks_.back().get() + used_;
    used_ += need;
    return write(at, text);
  }

  static const char* write(char* at, std::string_view text) {
    auto size = static_cast<uint32_t>(text.size());
    std::memcpy(at, &size, sizeof size);
    if (!text.empty())
      std::memcpy(at + sizeof size, text.data(), text.size());  // data() may be null
    at[sizeof size + text.size()] = '\0';
    return at + sizeof size;
  }

  std::mutex mutex_;
  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t used_ = kChunk;  // in the last chunk
  size_t chunk_bytes_ = 0;
  std::unordered_set<std::string_view> set_;
};

Pool& pool() {
  static Pool* p = std::make_unique<Pool>().release();  // outlives every static holder
  return *p;
}

const char* empty_chars() {
  static const char* chars = pool().intern({});
  return chars;
}

}  // namespace

InternedString::InternedString() : chars_(empty_chars()) {}

InternedString::InternedString(std::string_view text)
    : chars_(text.empty() ? empty_chars() : pool().intern(text)) {}

size_t InternedString::pool_bytes() { return pool().bytes(); }

}  // namespace fmn::dsl
