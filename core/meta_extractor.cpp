#include "core/meta_extractor.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/embedded_meta_tables.h"
#include "core/fedora_messaging_headers.h"
#include "core/meta_table.h"
#include "core/string_hash.h"

namespace fmn {

using meta::Rule;

namespace {

using RuleIds = std::vector<uint32_t>;
using TopicIndex = std::unordered_map<std::string, RuleIds, StringHash, std::equal_to<>>;

// Most topics meet a handful of rules; this bounds the per-message scratch space.
constexpr size_t kMaxCandidates = 64;
// Topics met by glob rules only are resolved once per thread; a bus carries a few hundred
// distinct topics, and hostile ones cannot grow the cache past this.
constexpr size_t kMaxCachedTopics = 4096;

std::atomic<uint64_t> next_extractor_id{1};

// A topic's spelling with the differences that do not change its meaning removed: ASCII
// letters lowercased, '_' written '-' (`pagure.pull_request.new`, `Pagure.pull-request.new`).
std::string spelling_key(std::string_view topic) {
  std::string key(topic);
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '_') c = '-';
  }
  return key;
}

}  // namespace

struct MetaExtractor::Impl {
  uint64_t id = next_extractor_id.fetch_add(1, std::memory_order_relaxed);
  std::unique_ptr<meta::Table> table;
  AliasMap aliases;
  // Exact topic suffix -> the rules that match it (exact and glob), in table order.
  TopicIndex exact;
  // spelling_key() of each exact topic -> that topic's rules, for topics spelled differently
  // (case, '-' or '_'); keys two table topics share are left out (which one was meant?).
  TopicIndex variants;
  // Glob rules by the literal first part of their pattern; those starting with '*' under "".
  TopicIndex globs;
  // The fallback: rules whose only topic is "**", tried when no other rule matches a title.
  RuleIds fallback;
  mutable std::atomic<uint64_t> fallback_messages{0};

  static bool is_fallback(const Rule& rule) {
    return rule.topics.size() == 1 && rule.topics[0] == "**";
  }

  void index() {
    for (uint32_t id = 0; id < table->rules.size(); ++id) {
      if (is_fallback(table->rules[id])) {
        fallback.push_back(id);
        continue;
      }
      for (const std::string& pattern : table->rules[id].topics) {
        if (!meta::is_glob(pattern)) {
          exact[pattern];
          continue;
        }
        std::string_view first = meta::category_of(pattern);
        RuleIds& ids = globs[first.find('*') == std::string_view::npos ? std::string(first) : ""];
        if (ids.empty() || ids.back() != id) ids.push_back(id);
      }
    }
    for (auto& [topic, ids] : exact) {
      for (uint32_t id = 0; id < table->rules.size(); ++id) {
        if (is_fallback(table->rules[id])) continue;
        for (const std::string& pattern : table->rules[id].topics) {
          if (meta::topic_matches(pattern, topic)) {
            ids.push_back(id);
            break;
          }
        }
      }
    }
  }

  void index_variants() {
    std::unordered_map<std::string, int> spellings;
    for (const auto& [topic, ids] : exact) ++spellings[spelling_key(topic)];
    for (const auto& [topic, ids] : exact) {
      std::string key = spelling_key(topic);
      if (spellings[key] == 1) variants.emplace(std::move(key), ids);
    }
  }

  // The rules matching `topic`, in table order (at most kMaxCandidates): those of its exact
  // entry, else those of the one exact entry spelled like it, else the globs matching it.
  const RuleIds& candidates(std::string_view topic) const {
    if (auto it = exact.find(topic); it != exact.end()) return it->second;
    thread_local uint64_t cache_owner = 0;
    thread_local TopicIndex cache;
    if (cache_owner != id || cache.size() >= kMaxCachedTopics) {
      cache.clear();
      cache_owner = id;
    }
    if (auto it = cache.find(topic); it != cache.end()) return it->second;
    if (auto it = variants.find(spelling_key(topic)); it != variants.end()) {
      return cache.emplace(std::string(topic), it->second).first->second;
    }
    std::array<uint32_t, kMaxCandidates> ids;
    size_t n = match_globs(topic, ids);
    return cache.emplace(std::string(topic), RuleIds(ids.begin(), ids.begin() + n)).first->second;
  }

  // The glob rules matching `topic`, in table order, into `out`; returns how many.
  size_t match_globs(std::string_view topic, std::array<uint32_t, kMaxCandidates>& out) const {
    size_t n = 0;
    auto add_matching = [&](std::string_view key) {
      auto it = globs.find(key);
      if (it == globs.end()) return;
      for (uint32_t id : it->second) {
        if (n == kMaxCandidates) return;
        for (const std::string& pattern : table->rules[id].topics) {
          if (meta::topic_matches(pattern, topic)) {
            out[n++] = id;
            break;
          }
        }
      }
    };
    add_matching(meta::category_of(topic));
    size_t by_category = n;
    add_matching("");
    std::inplace_merge(out.begin(), out.begin() + by_category, out.begin() + n);
    return n;
  }
};

MetaExtractor::MetaExtractor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MetaExtractor::~MetaExtractor() = default;

Result<std::unique_ptr<MetaExtractor>> MetaExtractor::create(
    std::span<const MetaTableSource> tables, AliasMap aliases) {
  auto table = meta::compile_table(tables);
  if (!table) return table.error();
  auto impl = std::make_unique<Impl>();
  impl->table = std::move(table).value();
  impl->aliases = std::move(aliases);
  impl->index();
  impl->index_variants();
  return std::unique_ptr<MetaExtractor>(new MetaExtractor(std::move(impl)));
}

Result<std::unique_ptr<MetaExtractor>> MetaExtractor::builtin(AliasMap aliases) {
  std::vector<MetaTableSource> sources;
  for (const embedded::NamedText& t : embedded::meta_tables()) {
    if (t.name != "aliases.toml") sources.push_back({std::string(t.name), std::string(t.text())});
  }
  return create(sources, std::move(aliases));
}

Result<std::unique_ptr<MetaExtractor>> MetaExtractor::from_directory(const std::string& dir,
                                                                     AliasMap aliases) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::filesystem::path& p = entry.path();
    if (p.extension() == ".toml" && p.filename() != "aliases.toml") files.push_back(p);
  }
  if (ec) return Error{ErrorCode::kIo, dir + ": " + ec.message()};
  std::sort(files.begin(), files.end());
  std::vector<MetaTableSource> sources;
  for (const auto& p : files) {
    std::ifstream in(p);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) return Error{ErrorCode::kIo, p.string() + ": cannot read"};
    sources.push_back({p.filename().string(), text.str()});
  }
  return create(sources, std::move(aliases));
}

size_t MetaExtractor::rule_count() const { return impl_->table->rules.size(); }

bool MetaExtractor::falls_back(std::string_view title) const {
  return impl_->candidates(title).empty();
}

uint64_t MetaExtractor::fallback_count() const {
  return impl_->fallback_messages.load(std::memory_order_relaxed);
}

void MetaExtractor::extract(Message& m, MetaParts parts) const {
  if (parts == MetaParts::kAll) return run(m, ~MessageFieldSet{0});
  run(m, ~kDeferredMetaFields);
  m.deferred_meta = this;
  m.deferred_meta_left.store(kDeferredMetaFields, std::memory_order_relaxed);
}

void Message::complete_meta(MessageFieldSet fields) const {
  if ((deferred_meta_left.load(std::memory_order_acquire) & fields) == 0) return;
  std::lock_guard lock(deferred_meta_mu);
  const MessageFieldSet left = deferred_meta_left.load(std::memory_order_relaxed);
  if ((left & fields) == 0) return;
  // A Message is never created const: the pipeline shares it as const once parsed.
  deferred_meta->run(const_cast<Message&>(*this), left & fields);
  deferred_meta_left.store(left & ~fields, std::memory_order_release);
}

void MetaExtractor::run(Message& m, MessageFieldSet fields) const {
  Meta& out = m.meta;
  const bool index_part = (fields & ~kDeferredMetaFields) != 0;
  if (index_part) {
    out.title.assign(m.topic_suffix);
    out.category.assign(meta::category_of(m.topic_suffix));
  }

  const RuleIds* matched = &impl_->candidates(m.topic_suffix);
  if (matched->empty()) {
    // Counted once per message: by the pass that extracts the index part.
    if (index_part) impl_->fallback_messages.fetch_add(1, std::memory_order_relaxed);
    matched = &impl_->fallback;
  }
  const RuleIds& ids = *matched;
  const size_t n = std::min(ids.size(), kMaxCandidates);
  enum : uint8_t { kUnknown, kHolds, kFails };
  std::array<uint8_t, kMaxCandidates> when{};  // each rule's condition, evaluated at most once
  const meta::EvalContext ctx{m, impl_->aliases};
  const std::vector<Rule>& rules = impl_->table->rules;

  // Indexed as meta::kFieldNames.
  const std::array<std::optional<std::string>*, meta::kFirstListField> scalars = {
#define FMN_META_SCALAR(Id, member, doc) &out.member,
#include "core/message_fields.def"
  };
  const std::array<std::vector<std::string>*, meta::kFieldCount - meta::kFirstListField> lists = {
#define FMN_META_LIST(Id, member, header, doc) &out.member,
#include "core/message_fields.def"
  };

  // A list the fedora-messaging headers state is theirs: the tables' templates are not run.
  // (Only the index part applies the headers, but a later pass must not overwrite them.)
  uint32_t stated = 0;
  bool stated_known = false;
  for (size_t f = 0; f < meta::kFieldCount; ++f) {
    if ((fields & field_bit(meta::kMessageFieldOf[f])) == 0) continue;
    if (f >= meta::kFirstListField) {
      if (!stated_known) {
        stated = lists_stated_by_headers(m);
        stated_known = true;
      }
      if ((stated >> (f - meta::kFirstListField) & 1) != 0) continue;
    }
    for (size_t i = 0; i < n; ++i) {
      const Rule& rule = rules[ids[i]];
      const Rule::FieldDef& def = rule.fields[f];
      if (!def.defined) continue;
      if (rule.when) {
        if (when[i] == kUnknown) when[i] = rule.when->eval(ctx) ? kHolds : kFails;
        if (when[i] == kFails) continue;
      }
      if (f < meta::kFirstListField) {
        for (const meta::Template& t : def.templates) {
          if ((*scalars[f] = t.render(ctx))) break;
        }
      } else {
        std::vector<std::string>& list = *lists[f - meta::kFirstListField];
        for (const meta::Template& t : def.templates) t.render_each(ctx, list);
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
      }
      break;
    }
  }
  if (index_part) apply_fedora_messaging_headers(m);
}

}  // namespace fmn
