// Bounded identifiers: ids that become keys (Redis keys of the digest stores and their dedupe
// sets, members of their index sets) come from the bus, whose msg_id has no length limit; a
// 1 MB msg_id must not become 1 MB keys kept for days.
//
// bounded_id() returns an id of at most kMaxPlainId bytes unchanged (keys stay readable for the
// operator), and a longer one as "sha256:" and the 64 hex digits of its SHA-256 (a collision
// is out of reach). It is idempotent: bounded_id(bounded_id(x)) == bounded_id(x), so callers
// may bound an id that may have been bounded before. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fmn {

inline constexpr size_t kMaxPlainId = 200;

std::string bounded_id(std::string_view id);
// The same without a copy of a short id, for the hot path: `id` itself when it is at most
// kMaxPlainId bytes, otherwise its hashed form, written to `storage`.
std::string_view bounded_id(std::string_view id, std::string& storage);

}  // namespace fmn
