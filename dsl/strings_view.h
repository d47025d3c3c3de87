// StringsView: a sorted list of strings a rule reads, whichever way it is stored: a message's
// list field or a named list (std::string), or a list parameter (ParamList, interned). Indexed
// and iterated as std::string_view, so the searches and merges of value.cpp serve both. A view:
// it lives no longer than the list it refers to.
#pragma once

#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/param_list.h"

namespace fmn::dsl {

class StringsIterator;

class StringsView {
 public:
  using iterator = StringsIterator;

  StringsView() = default;
  StringsView(const std::vector<std::string>& v) : strings_(v.data()), size_(v.size()) {}
  StringsView(const ParamList& l) : interned_(l.begin()), size_(l.size()) {}
  StringsView(const InternedString* items, size_t size) : interned_(items), size_(size) {}

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view operator[](size_t i) const {
    return interned_ ? interned_[i].view() : std::string_view(strings_[i]);
  }
  StringsIterator begin() const;
  StringsIterator end() const;

 private:
  const std::string* strings_ = nullptr;
  const InternedString* interned_ = nullptr;
  size_t size_ = 0;
};

class StringsIterator {
 public:
  using iterator_category = std::random_access_iterator_tag;
  using value_type = std::string_view;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = std::string_view;

  StringsIterator() = default;
  StringsIterator(StringsView view, size_t i) : view_(view), i_(i) {}
  std::string_view operator*() const { return view_[i_]; }
  std::string_view operator[](difference_type n) const { return view_[i_ + n]; }
  StringsIterator& operator++() { return ++i_, *this; }
  StringsIterator operator++(int) { return {view_, i_++}; }
  StringsIterator& operator--() { return --i_, *this; }
  StringsIterator operator--(int) { return {view_, i_--}; }
  StringsIterator& operator+=(difference_type n) { return i_ += n, *this; }
  StringsIterator& operator-=(difference_type n) { return i_ -= n, *this; }
  friend StringsIterator operator+(StringsIterator it, difference_type n) { return it += n; }
  friend StringsIterator operator+(difference_type n, StringsIterator it) { return it += n; }
  friend StringsIterator operator-(StringsIterator it, difference_type n) { return it -= n; }
  friend difference_type operator-(StringsIterator a, StringsIterator b) {
    return static_cast<difference_type>(a.i_) - static_cast<difference_type>(b.i_);
  }
  friend bool operator==(StringsIterator a, StringsIterator b) { return a.i_ == b.i_; }
  friend auto operator<=>(StringsIterator a, StringsIterator b) { return a.i_ <=> b.i_; }

 private:
  StringsView view_;  // a copy: the iterator may outlive the view it came from
  size_t i_ = 0;
};

inline StringsIterator StringsView::begin() const { return {*this, 0}; }
inline StringsIterator StringsView::end() const { return {*this, size_}; }

}  // namespace fmn::dsl
