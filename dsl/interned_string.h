// InternedString: a string stored once per process, referred to by an 8-byte handle.
//
// Users' parameters hold the same names many times over (a package followed by hundreds of
// users, a maintainer followed by many): each distinct text is copied once into a shared pool
// and every holder keeps a pointer to it. Equal texts have equal handles, so equality is a
// pointer comparison; ordering compares the texts. Interning takes the pool's lock; reading a
// handle never does, and handles stay valid for the life of the process: the pool never frees,
// so its size is bounded by the distinct names parameters ever held (package, group and
// account names, list items), not by the number of users. Thread-safe.
#pragma once

#include <compare>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace fmn::dsl {

class InternedString {
 public:
  InternedString();  // ""
  explicit InternedString(std::string_view text);

  std::string_view view() const {
    uint32_t size;
    std::memcpy(&size, chars_ - sizeof size, sizeof size);
    return {chars_, size};
  }
  operator std::string_view() const { return view(); }
  bool empty() const { return view().empty(); }

  friend bool operator==(InternedString a, InternedString b) { return a.chars_ == b.chars_; }
  friend bool operator==(InternedString a, std::string_view b) { return a.view() == b; }
  friend std::strong_ordering operator<=>(InternedString a, InternedString b) {
    return a.chars_ == b.chars_ ? std::strong_ordering::equal : a.view() <=> b.view();
  }
  friend std::strong_ordering operator<=>(InternedString a, std::string_view b) {
    return a.view() <=> b;
  }

  // Bytes the pool holds, for every string interned so far (the texts and the lookup table).
  static size_t pool_bytes();

 private:
  const char* chars_;  // NUL-terminated; its length precedes it
};

}  // namespace fmn::dsl
