#include "core/bounded_id.h"

#include "core/hex.h"

namespace fmn {

std::string bounded_id(std::string_view id) {
  if (id.size() <= kMaxPlainId) return std::string(id);
  return "sha256:" + sha256_hex(id);
}

}  // namespace fmn
