#include "engine/posting_index.h"

#include <algorithm>
#include <atomic>

namespace fmn::engine {

uint32_t PostingIndex::Builder::key_id(const IndexKey& key) {
  if (key.kind == IndexKey::Kind::kTopicGlob) {
    auto [it, inserted] = globs_.try_emplace(key.value, next_key_);
    if (inserted) ++next_key_;
    return it->second;
  }
  uint32_t id = fields_[static_cast<size_t>(key.field)].insert(key.value, next_key_);
  if (id == next_key_) ++next_key_;
  return id;
}

void PostingIndex::Builder::add(const IndexKey& key, uint32_t record) {
  pairs_.emplace_back(key_id(key), record);
}

PostingIndex PostingIndex::Builder::build() && {
  static std::atomic<uint64_t> next_id{1};
  PostingIndex index;
  index.id_ = next_id++;
  // Counting sort by key; records arrive in increasing order, so each list comes out sorted.
  index.offsets_.assign(next_key_ + 1, 0);
  for (const auto& [key, record] : pairs_) ++index.offsets_[key + 1];
  for (size_t k = 1; k < index.offsets_.size(); ++k) index.offsets_[k] += index.offsets_[k - 1];
  index.postings_.resize(pairs_.size());
  std::vector<uint32_t> fill(index.offsets_.begin(), index.offsets_.end() - 1);
  for (const auto& [key, record] : pairs_) index.postings_[fill[key]++] = record;
  // A record reaching one key twice (the same package in two branches) is listed once.
  std::vector<uint32_t> compact_offsets(index.offsets_.size(), 0);
  size_t out = 0;
  for (size_t k = 0; k + 1 < index.offsets_.size(); ++k) {
    uint32_t begin = index.offsets_[k], end = index.offsets_[k + 1];
    compact_offsets[k] = static_cast<uint32_t>(out);
    for (uint32_t i = begin; i < end; ++i) {
      if (i > begin && index.postings_[i] == index.postings_[i - 1]) continue;
      index.postings_[out++] = index.postings_[i];
    }
  }
  compact_offsets.back() = static_cast<uint32_t>(out);
  index.postings_.resize(out);
  index.postings_.shrink_to_fit();
  index.offsets_ = std::move(compact_offsets);
  pairs_.clear();
  pairs_.shrink_to_fit();

  for (FlatKeyMap& map : fields_) map.shrink_to_fit();
  index.fields_ = std::move(fields_);
  for (auto& [pattern, key] : globs_) index.globs_.emplace_back(dsl::Glob(pattern), key);
  std::sort(index.globs_.begin(), index.globs_.end(),
            [](const auto& a, const auto& b) { return a.first.pattern() < b.first.pattern(); });
  index.always_ = std::move(always_);
  return index;
}

const std::vector<uint32_t>& PostingIndex::cached_globs(std::string_view topic,
                                                        GlobCache& cache) const {
  constexpr size_t kMaxTopics = 4096;  // bounds the cache; real buses have a few hundred topics
  if (cache.index_id != id_ || cache.by_topic.size() >= kMaxTopics) {
    cache.by_topic.clear();
    cache.index_id = id_;
  }
  auto it = cache.by_topic.find(topic);
  if (it != cache.by_topic.end()) return it->second;
  std::vector<uint32_t> keys;
  for (const auto& [glob, key] : globs_) {
    if (glob.matches(topic)) keys.push_back(key);
  }
  return cache.by_topic.emplace(std::string(topic), std::move(keys)).first->second;
}

size_t PostingIndex::bytes() const {
  size_t total = (offsets_.capacity() + postings_.capacity() + always_.capacity()) * 4;
  for (const FlatKeyMap& map : fields_) total += map.bytes();
  total += globs_.capacity() * (sizeof(dsl::Glob) + 8);
  return total;
}

}  // namespace fmn::engine
