// PostingIndex: which records a message reaches, by field value, topic glob or the always-check
// list; each posting list sorted and free of duplicates, however many records share a key.
#include "engine/posting_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace fmn::engine {
namespace {

using dsl::FieldId;
using Kind = IndexKey::Kind;

IndexKey field(FieldId f, std::string value) { return {Kind::kField, f, std::move(value)}; }
IndexKey glob(std::string pattern) {
  return {Kind::kTopicGlob, FieldId::kTopic, std::move(pattern)};
}

std::unique_ptr<Message> message(std::string_view topic) {
  auto m = std::make_unique<Message>();
  m->topic = topic;
  return m;
}

// Every posting list the message reaches, in the order reported.
std::vector<std::vector<uint32_t>> hits(const PostingIndex& index, const Message& m,
                                        GlobCache* cache = nullptr) {
  std::vector<std::vector<uint32_t>> out;
  index.for_each_hit(
      m, [&](std::span<const uint32_t> list) { out.emplace_back(list.begin(), list.end()); },
      cache);
  return out;
}

// The distinct records the message reaches.
std::set<uint32_t> records(const PostingIndex& index, const Message& m,
                           GlobCache* cache = nullptr) {
  std::set<uint32_t> out;
  for (const auto& list : hits(index, m, cache)) out.insert(list.begin(), list.end());
  return out;
}

TEST(PostingIndex, AnEmptyIndexReachesNothing) {
  PostingIndex index = PostingIndex::Builder().build();
  EXPECT_EQ(index.keys(), 0u);
  EXPECT_EQ(index.postings(), 0u);
  EXPECT_EQ(index.globs(), 0u);
  EXPECT_EQ(index.always_count(), 0u);
  auto m = message("org.fedoraproject.prod.bodhi.update.comment");
  m->meta.packages = {"kernel"};
  EXPECT_TRUE(hits(index, *m).empty());
}

TEST(PostingIndex, AMessageReachesTheRecordsOfTheValuesItCarries) {
  PostingIndex::Builder builder;
  builder.add(field(FieldId::kPackages, "kernel"), 0);
  builder.add(field(FieldId::kPackages, "nethack"), 1);
  builder.add(field(FieldId::kUsernames, "ralph"), 2);
  builder.add(field(FieldId::kCategory, "bodhi"), 3);
  builder.add(field(FieldId::kAgent, "ralph"), 4);
  PostingIndex index = std::move(builder).build();
  EXPECT_EQ(index.keys(), 5u);

  auto m = message("org.fedoraproject.prod.bodhi.update.comment");
  m->meta.category = "bodhi";
  m->meta.packages = {"kernel", "python3"};
  m->meta.usernames = {"ralph"};
  EXPECT_EQ(records(index, *m), (std::set<uint32_t>{0, 2, 3}));
  // The same value in another field is another key: "ralph" as the agent reaches record 4 only.
  auto by_agent = message("t");
  by_agent->meta.agent = "ralph";
  EXPECT_EQ(records(index, *by_agent), (std::set<uint32_t>{4}));
  EXPECT_TRUE(records(index, *message("t")).empty());
}

TEST(PostingIndex, AMissingValueReachesNothingButAnEmptyTopicIsAValue) {
  PostingIndex::Builder builder;
  builder.add(field(FieldId::kCategory, ""), 0);
  builder.add(field(FieldId::kAgent, ""), 1);
  builder.add(field(FieldId::kTopic, ""), 2);
  PostingIndex index = std::move(builder).build();
  auto m = message("");
  m->meta.agent = "";
  EXPECT_EQ(records(index, *m), (std::set<uint32_t>{2}));
}

TEST(PostingIndex, ARecordIsListedOncePerKeyHoweverOftenItWasAdded) {
  PostingIndex::Builder builder;
  builder.add(field(FieldId::kPackages, "kernel"), 7);
  builder.add(field(FieldId::kPackages, "kernel"), 7);  // the same package in two branches
  builder.add(field(FieldId::kPackages, "kernel"), 9);
  builder.add(glob("*.bodhi.*"), 7);
  builder.add(glob("*.bodhi.*"), 7);
  PostingIndex index = std::move(builder).build();
  EXPECT_EQ(index.keys(), 2u);
  EXPECT_EQ(index.globs(), 1u);
  EXPECT_EQ(index.postings(), 3u);
  auto m = message("org.fedoraproject.prod.bodhi.update.comment");
  m->meta.packages = {"kernel"};
  // Two keys reached: a record on both is reported by each (callers dedupe across lists).
  EXPECT_EQ(hits(index, *m), (std::vector<std::vector<uint32_t>>{{7, 9}, {7}}));
}

TEST(PostingIndex, TopicGlobsAreTestedAgainstTheTopic) {
  PostingIndex::Builder builder;
  builder.add(glob("*.bodhi.*"), 0);
  builder.add(glob("*.koji.*"), 1);
  builder.add(glob("org.fedoraproject.prod.bodhi.update.comment"), 2);
  PostingIndex index = std::move(builder).build();
  EXPECT_EQ(index.globs(), 3u);
  EXPECT_EQ(records(index, *message("org.fedoraproject.prod.bodhi.update.comment")),
            (std::set<uint32_t>{0, 2}));
  EXPECT_EQ(records(index, *message("org.fedoraproject.prod.buildsys.build.state.change")),
            std::set<uint32_t>{});
}

TEST(PostingIndex, TheGlobCacheGivesWhatTestingEveryGlobGives) {
  PostingIndex::Builder builder;
  const std::vector<std::string> services = {"bodhi", "koji",  "git",    "pagure", "copr",
                                             "fas",   "mdapi", "badges", "wiki",   "planet"};
  for (uint32_t i = 0; i < services.size(); ++i) builder.add(glob("*." + services[i] + ".*"), i);
  PostingIndex index = std::move(builder).build();
  PostingIndex other = [&] {
    PostingIndex::Builder b;
    for (uint32_t i = 0; i < services.size(); ++i) b.add(glob("*." + services[i] + ".*"), 100 + i);
    return std::move(b).build();
  }();
  GlobCache cache;
  for (int round = 0; round < 2; ++round) {  // the second round is answered from the cache
    for (const std::string& s : services) {
      const std::string topic = "org.fedoraproject.prod." + s + ".x";
      auto m = message(topic);
      EXPECT_EQ(records(index, *m, &cache), records(index, *m)) << topic;
    }
  }
  // A cache filled by one index is not believed by another.
  auto m = message("org.fedoraproject.prod.koji.x");
  EXPECT_EQ(records(other, *m, &cache), (std::set<uint32_t>{101}));
  EXPECT_EQ(records(index, *m, &cache), (std::set<uint32_t>{1}));
}

TEST(PostingIndex, TheAlwaysCheckListIsReachedByEveryMessage) {
  PostingIndex::Builder builder;
  builder.add_always(3);
  builder.add_always(5);
  builder.add(field(FieldId::kPackages, "kernel"), 4);
  PostingIndex index = std::move(builder).build();
  EXPECT_EQ(index.always_count(), 2u);
  EXPECT_EQ(records(index, *message("anything")), (std::set<uint32_t>{3, 5}));
  EXPECT_EQ(records(index, *message("")), (std::set<uint32_t>{3, 5}));
}

TEST(PostingIndex, AHotKeyIsOneSortedListNotOneHitPerRecord) {
  // A very popular package: every record follows it, and some follow a quieter one too.
  constexpr uint32_t kRecords = 200'000;
  PostingIndex::Builder builder;
  for (uint32_t r = 0; r < kRecords; ++r) {
    builder.add(field(FieldId::kPackages, "kernel"), r);
    if (r % 1000 == 0) builder.add(field(FieldId::kPackages, "nethack"), r);
  }
  PostingIndex index = std::move(builder).build();
  EXPECT_EQ(index.keys(), 2u);
  EXPECT_EQ(index.postings(), kRecords + kRecords / 1000);
  // 4 bytes a posting plus the offsets, whatever the maps cost.
  EXPECT_LT(index.bytes(), index.postings() * 4 + 4096);

  auto m = message("org.fedoraproject.prod.bodhi.update.comment");
  m->meta.packages = {"kernel"};
  auto lists = hits(index, *m);
  ASSERT_EQ(lists.size(), 1u);
  ASSERT_EQ(lists[0].size(), kRecords);
  EXPECT_TRUE(std::is_sorted(lists[0].begin(), lists[0].end()));
  EXPECT_EQ(std::adjacent_find(lists[0].begin(), lists[0].end()), lists[0].end());
}

}  // namespace
}  // namespace fmn::engine
