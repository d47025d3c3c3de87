#include "dsl/param_list.h"

#include <algorithm>
#include <bit>

namespace fmn::dsl {
namespace {

size_t capacity_for(size_t size) { return size == 0 ? 0 : std::bit_ceil(size); }

}  // namespace

ParamList::ParamList(std::initializer_list<std::string_view> items) {
  for (std::string_view s : items) push_back(s);
}

ParamList::ParamList(const std::vector<std::string>& items) {
  if (items.empty()) return;
  items_ = std::make_unique<InternedString[]>(capacity_for(items.size()));
  for (const std::string& s : items) items_[size_++] = InternedString(s);
}

ParamList::ParamList(const ParamList& other) { *this = other; }

ParamList& ParamList::operator=(const ParamList& other) {
  if (this == &other) return *this;
  items_ = other.size_ ? std::make_unique<InternedString[]>(capacity_for(other.size_)) : nullptr;
  std::copy(other.begin(), other.end(), items_.get());
  size_ = other.size_;
  return *this;
}

void ParamList::push_back(InternedString item) {
  if (size_ == capacity_for(size_)) {  // full: the capacity is always capacity_for(size_)
    auto grown = std::make_unique<InternedString[]>(capacity_for(size_ + 1));
    std::copy(begin(), end(), grown.get());
    items_ = std::move(grown);
  }
  items_[size_++] = item;
}

ParamList::iterator ParamList::erase(const_iterator first, const_iterator last) {
  size_t pos = first - begin();
  auto out = std::copy(last, const_iterator(end()), begin() + pos);
  resize(out - begin());
  return begin() + pos;
}

void ParamList::resize(size_t size) {
  if (capacity_for(size) == capacity_for(size_)) {
    size_ = static_cast<uint32_t>(size);
    return;
  }
  // Shrinks the allocation so that the capacity stays capacity_for(size_).
  std::unique_ptr<InternedString[]> kept =
      size ? std::make_unique<InternedString[]>(capacity_for(size)) : nullptr;
  std::copy(begin(), begin() + size, kept.get());
  items_ = std::move(kept);
  size_ = static_cast<uint32_t>(size);
}

size_t ParamList::heap_bytes() const { return capacity_for(size_) * sizeof(InternedString); }

bool operator==(const ParamList& a, const ParamList& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

}  // namespace fmn::dsl
