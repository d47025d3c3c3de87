// SharedText: an immutable string shared by reference, so that the million rules written from
// the same template hold one copy of their text (the stores intern rule sources).
//
// Cheap to copy (one reference count); safe to read from any number of threads. Compares by
// content.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace fmn::prefs {

class SharedText {
 public:
  SharedText() = default;
  SharedText(std::string text)  // NOLINT: implicit, a SharedText is just text
      : text_(std::make_shared<const std::string>(std::move(text))) {}
  SharedText(const char* text) : SharedText(std::string(text)) {}  // NOLINT: as above

  std::string_view view() const { return text_ ? std::string_view(*text_) : std::string_view(); }
  const std::string& str() const { return text_ ? *text_ : empty_string(); }
  bool empty() const { return view().empty(); }

  friend bool operator==(const SharedText& a, const SharedText& b) {
    return a.text_ == b.text_ || a.view() == b.view();
  }

 private:
  static const std::string& empty_string() {
    static const std::string kEmpty;
    return kEmpty;
  }
  std::shared_ptr<const std::string> text_;
};

}  // namespace fmn::prefs
