// PostingIndex: from message values to the records (rule of a user) that may match them.
//
// Built once from (key, record id) pairs (index_keys.h) and immutable after: per field a hash
// map from value to a key id, the distinct topic globs (few even for a million users: each is
// tested once per message), and for every key id a sorted array of record ids (4 bytes a
// posting, compressed-row layout). Records without keys are on the always-check list.
// for_each_hit() reports the posting lists a message reaches; callers dedupe records. Thread-safe
// for any number of readers.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/message.h"
#include "dsl/glob.h"
#include "engine/index_keys.h"

namespace fmn::engine {

inline constexpr size_t kFieldCount = static_cast<size_t>(dsl::FieldId::kBody);

// Hashes std::string keys so maps can be searched with a string_view, without a copy.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

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
    std::array<std::unordered_map<std::string, uint32_t>, kFieldCount> fields_;
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
  using KeyMap = std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>>;

  std::span<const uint32_t> list(uint32_t key) const {
    return {postings_.data() + offsets_[key], offsets_[key + 1] - offsets_[key]};
  }
  template <typename Hit>
  void lookup(dsl::FieldId field, std::string_view value, Hit& hit) const {
    const KeyMap& map = fields_[static_cast<size_t>(field)];
    if (map.empty()) return;
    auto it = map.find(value);
    if (it != map.end()) hit(list(it->second));
  }

  const std::vector<uint32_t>& cached_globs(std::string_view topic, GlobCache& cache) const;

  uint64_t id_ = 0;  // unique per built index: what a GlobCache belongs to
  std::array<KeyMap, kFieldCount> fields_;
  std::vector<std::pair<dsl::Glob, uint32_t>> globs_;  // pattern, key id
  std::vector<uint32_t> offsets_;                      // key id -> first posting; one extra
  std::vector<uint32_t> postings_;
  std::vector<uint32_t> always_;
};

template <typename Hit>
void PostingIndex::for_each_hit(const Message& m, Hit&& hit, GlobCache* cache) const {
  using dsl::FieldId;
  const Meta& meta = m.meta;
  // The topic is a value even when empty; other scalar fields are missing when empty, and a
  // missing value never equals or belongs to anything.
  lookup(FieldId::kTopic, m.topic, hit);
  auto scalar = [&](FieldId f, std::string_view v) {
    if (!v.empty()) lookup(f, v, hit);
  };
  scalar(FieldId::kEnv, m.topic_env);
  scalar(FieldId::kCategory, meta.category);
  scalar(FieldId::kTitle, meta.title);
  if (meta.subtitle) scalar(FieldId::kSubtitle, *meta.subtitle);
  if (meta.link) scalar(FieldId::kLink, *meta.link);
  if (meta.agent) scalar(FieldId::kAgent, *meta.agent);
  scalar(FieldId::kMsgId, m.msg_id);
  scalar(FieldId::kUsername, m.username);
  auto each = [&](FieldId f, const std::vector<std::string>& values) {
    for (const std::string& v : values) lookup(f, v, hit);
  };
  each(FieldId::kUsernames, meta.usernames);
  each(FieldId::kPackages, meta.packages);
  each(FieldId::kObjects, meta.objects);
  each(FieldId::kContainers, meta.containers);
  each(FieldId::kModules, meta.modules);
  each(FieldId::kFlatpaks, meta.flatpaks);
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
