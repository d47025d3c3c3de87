// ParamList: one of a user's list parameters ($my_packages...), as interned strings.
//
// A million users' parameters are mostly the same few thousand names: each item is an 8-byte
// InternedString, and the list itself is 16 bytes (a pointer and a size; the capacity is the
// size rounded up to a power of two). Shaped like a std::vector of InternedString for the code
// that fills it; UserParams::normalize() sorts it by text. A plain value; read-only sharing
// between threads is safe.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dsl/interned_string.h"

namespace fmn::dsl {

class ParamList {
 public:
  using value_type = InternedString;
  using iterator = InternedString*;
  using const_iterator = const InternedString*;

  ParamList() = default;
  ParamList(std::initializer_list<std::string_view> items);
  ParamList(const std::vector<std::string>& items);  // NOLINT: filled from the store's lists
  ParamList(const ParamList& other);
  ParamList(ParamList&& other) noexcept
      : items_(std::move(other.items_)), size_(std::exchange(other.size_, 0)) {}
  ParamList& operator=(const ParamList& other);
  ParamList& operator=(ParamList&& other) noexcept {
    items_ = std::move(other.items_);
    size_ = std::exchange(other.size_, 0);
    return *this;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const InternedString& operator[](size_t i) const { return items_[i]; }
  iterator begin() { return items_.get(); }
  iterator end() { return items_.get() + size_; }
  const_iterator begin() const { return items_.get(); }
  const_iterator end() const { return items_.get() + size_; }

  void push_back(std::string_view item) { push_back(InternedString(item)); }
  void push_back(InternedString item);
  // REQUIRES: [first, last) is not in this list.
  template <typename It>
  void insert(const_iterator at, It first, It last) {
    size_t pos = at - begin();
    std::vector<InternedString> tail(begin() + pos, end());
    resize(pos);
    for (; first != last; ++first) push_back(std::string_view(*first));
    for (InternedString s : tail) push_back(s);
  }
  iterator erase(const_iterator at) { return erase(at, at + 1); }
  iterator erase(const_iterator first, const_iterator last);
  void clear() { resize(0); }
  void resize(size_t size);  // REQUIRES: size <= size()

  // Heap bytes of the list itself (the texts are the pool's).
  size_t heap_bytes() const;

  friend bool operator==(const ParamList& a, const ParamList& b);

 private:
  std::unique_ptr<InternedString[]> items_;
  uint32_t size_ = 0;
};

}  // namespace fmn::dsl
