#include "core/bounded_id.h"

#include "core/hex.h"

namespace fmn {

std::string_view bounded_id(std::string_view id, std::string& storage) {
  if (id.size() <= kMaxPlainId) return id;
  storage = "sha256:" + sha256_hex(id);
  return storage;
}

std::string bounded_id(std::string_view id) {
  std::string storage;
  return std::string(bounded_id(id, storage));
}

}  // namespace fmn
