// StringHash: a hash of std::string keys that also takes std::string_view, so maps keyed by
// strings are searched without making a string (`find(view)` with std::equal_to<>).
#pragma once

#include <functional>
#include <string_view>

namespace fmn {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace fmn
