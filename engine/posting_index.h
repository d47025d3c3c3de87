// PostingIndex: from message values to the records (rule of a user) that may match them.
//
// Built once from (key, record id) pairs (index_keys.h) and immutable after: per field a hash
// map from value to a key id (flat_key_map.h), the distinct topic globs (few even for a million
// users: each is tested once per message), and for every key id a sorted array of record ids (4
// bytes a posting, compressed-row layout). Records without keys are on the always-check list.
// for_each_hit() reports the posting lists a message reaches; callers dedupe records. Thread-safe
// for any number of readers.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "core/message.h"
#include "core/message_fields.h"
#include "core/string_hash.h"
#include "dsl/glob.h"
#include "engine/flat_key_map.h"
#include "engine/index_keys.h"

namespace fmn::engine {

inline constexpr size_t kFieldCount = kMessageFieldCount;

// Hashes std::string keys so maps can be searched with a string_view, without a copy.
// Per-thread memory of which topic globs each topic matched, for one index: topics repeat, and
// testing every distinct glob on every message is the index's largest fixed cost.
struct GlobCache {
  uint64_t index_id = 0;
  std::unordered_map<std::string, std::vector<uint32_t>, StringHash, std::equal_to<>>
      by_topic;  // topic -> glob key ids
};

class PostingIndex {
 public:
  class Builder {
   public:
    void add(const IndexKey& key, uint32_t record);
    void add_always(uint32_t record) { always_.push_back(record); }
    PostingIndex build() &&;

   private:
    uint32_t key_id(const IndexKey& key);
    uint32_t next_key_ = 0;
    std::array<FlatKeyMap, kFieldCount> fields_;  // becomes the index's
    std::unordered_map<std::string, uint32_t> globs_;
    std::vector<std::pair<uint32_t, uint32_t>> pairs_;  // key id, record
    std::vector<uint32_t> always_;
  };

  // Calls hit(span of record ids) for each posting list the message reaches, the always-check
  // list included. A record may be reported more than once (several of its keys present).
  // `cache` (optional, one per thread) remembers glob results by topic.
  template <typename Hit>
  void for_each_hit(const Message& m, Hit&& hit, GlobCache* cache = nullptr) const;

  size_t postings() const { return postings_.size(); }
  size_t keys() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  size_t globs() const { return globs_.size(); }
  size_t always_count() const { return always_.size(); }
  size_t bytes() const;  // heap memory held, estimated for the hash maps

 private:
  std::span<const uint32_t> list(uint32_t key) const {
    return {postings_.data() + offsets_[key], offsets_[key + 1] - offsets_[key]};
  }
  template <typename Hit>
  void lookup(dsl::FieldId field, std::string_view value, Hit& hit) const {
    const FlatKeyMap& map = fields_[static_cast<size_t>(field)];
    if (map.empty()) return;
    if (std::optional<uint32_t> key = map.find(value)) hit(list(*key));
  }

  // Looks up a field's values: each string of a list; a missing value (empty_is_missing) is
  // looked up under nothing; number fields and the body are not indexed.
  template <typename T, typename Hit>
  void post(dsl::FieldId field, const T& value, Hit& hit) const {
    if constexpr (std::is_convertible_v<const T&, std::string_view>) {
      std::string_view v = value;
      if (!v.empty() || !empty_is_missing(field)) lookup(field, v, hit);
    } else if constexpr (std::is_same_v<T, std::optional<std::string>>) {
      if (value && !value->empty()) lookup(field, *value, hit);
    } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      for (const std::string& v : value) lookup(field, v, hit);
    }
  }

  const std::vector<uint32_t>& cached_globs(std::string_view topic, GlobCache& cache) const;

  uint64_t id_ = 0;  // unique per built index: what a GlobCache belongs to
  std::array<FlatKeyMap, kFieldCount> fields_;
  std::vector<std::pair<dsl::Glob, uint32_t>> globs_;  // pattern, key id
  std::vector<uint32_t> offsets_;                      // key id -> first posting; one extra
  std::vector<uint32_t> postings_;
  std::vector<uint32_t> always_;
};

template <typename Hit>
void PostingIndex::for_each_hit(const Message& m, Hit&& hit, GlobCache* cache) const {
  // Every string and list field of core/message_fields.def, in its order.
#define FMN_ENVELOPE_FIELD(Id, member, name, doc) post(dsl::FieldId::k##Id, m.member, hit);
#define FMN_META_FIELD(Id, member, doc) post(dsl::FieldId::k##Id, m.meta.member, hit);
  // A deferred field is extracted only if some rule is indexed by it.
#define FMN_DEFERRED_META(Id, member)                               \
  if (!fields_[static_cast<size_t>(dsl::FieldId::k##Id)].empty()) { \
    m.complete_meta(field_bit(dsl::FieldId::k##Id));                \
    post(dsl::FieldId::k##Id, m.meta.member, hit);                  \
  }
#define FMN_META_DISPLAY(Id, member, doc) FMN_DEFERRED_META(Id, member)
#define FMN_META_RULE_LIST(Id, member, header, doc) FMN_DEFERRED_META(Id, member)
#include "core/message_fields.def"
#undef FMN_DEFERRED_META
  constexpr size_t kCacheFrom = 8;  // fewer globs are cheaper to test than to look up
  if (cache != nullptr && globs_.size() >= kCacheFrom) {
    for (uint32_t key : cached_globs(m.topic, *cache)) hit(list(key));
  } else {
    for (const auto& [glob, key] : globs_) {
      if (glob.matches(m.topic)) hit(list(key));
    }
  }
  if (!always_.empty()) hit(std::span<const uint32_t>(always_));
}

}  // namespace fmn::engine
