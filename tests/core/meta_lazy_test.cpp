// Lazy meta: extracting the index part first and the deferred fields (display fields, rule-only
// lists) on first need gives the same meta as extracting everything at once, on every corpus
// message, whichever field is asked for first and whichever thread asks.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "core/envelope_parser.h"
#include "core/meta_extractor.h"

namespace fmn {
namespace {

const MetaExtractor& builtin() {
  static const auto x = MetaExtractor::builtin(builtin_aliases());
  return *x.value();
}

std::vector<std::string> corpus_lines(const std::string& name) {
  std::ifstream in(std::string(FMN_CORPUS_DIR) + "/" + name);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

class MetaLazyCorpus : public ::testing::TestWithParam<const char*> {};

TEST_P(MetaLazyCorpus, IndexThenDisplayEqualsAllAtOnce) {
  const std::vector<std::string> lines = corpus_lines(GetParam());
  ASSERT_FALSE(lines.empty());
  size_t with_display = 0, with_objects = 0;
  for (const std::string& line : lines) {
    auto full = parse_envelope(line);
    auto lazy = parse_envelope(line);
    ASSERT_TRUE(full.ok() && lazy.ok()) << line;
    builtin().extract(*full.value());
    builtin().extract(*lazy.value(), MetaParts::kIndex);
    Meta expected_index = full.value()->meta;
    expected_index.subtitle.reset();
    expected_index.link.reset();
    expected_index.objects.clear();
    EXPECT_EQ(meta_to_json(lazy.value()->meta), meta_to_json(expected_index)) << line;
    lazy.value()->complete_meta();
    EXPECT_EQ(meta_to_json(lazy.value()->meta), meta_to_json(full.value()->meta)) << line;
    with_display += full.value()->meta.subtitle || full.value()->meta.link;
    with_objects += !full.value()->meta.objects.empty();
  }
  // The deferred fields were there to be deferred.
  EXPECT_GT(with_display, lines.size() / 2);
  EXPECT_GT(with_objects, lines.size() / 4);
}

TEST_P(MetaLazyCorpus, EachDeferredFieldIsCompletedAlone) {
  for (const std::string& line : corpus_lines(GetParam())) {
    auto full = parse_envelope(line);
    auto lazy = parse_envelope(line);
    ASSERT_TRUE(full.ok() && lazy.ok()) << line;
    builtin().extract(*full.value());
    builtin().extract(*lazy.value(), MetaParts::kIndex);
    const Meta& got = lazy.value()->meta;
    lazy.value()->complete_meta(field_bit(MessageField::kObjects));
    EXPECT_EQ(got.objects, full.value()->meta.objects) << line;
    EXPECT_FALSE(got.subtitle || got.link) << line;
    lazy.value()->complete_meta(field_bit(MessageField::kLink));
    EXPECT_EQ(got.link, full.value()->meta.link) << line;
    EXPECT_FALSE(got.subtitle) << line;
    lazy.value()->complete_meta(kDisplayMetaFields);
    EXPECT_EQ(meta_to_json(got), meta_to_json(full.value()->meta)) << line;
  }
}

INSTANTIATE_TEST_SUITE_P(Corpora, MetaLazyCorpus,
                         ::testing::Values("fedmsg-real.jsonl", "fedmsg-test-examples.jsonl"));

TEST(MetaLazy, FullExtractionLeavesNothingToComplete) {
  auto m = parse_envelope(
      R"({"topic":"org.fedoraproject.prod.newsvc.thing.done","msg_id":"2026-1","msg":{}})");
  ASSERT_TRUE(m.ok());
  builtin().extract(*m.value());
  EXPECT_EQ(m.value()->deferred_meta, nullptr);
  const std::string before = meta_to_json(m.value()->meta);
  m.value()->complete_meta();
  EXPECT_EQ(meta_to_json(m.value()->meta), before);
}

TEST(MetaLazy, CompletedOnceWhenManyThreadsAsk) {
  auto x = MetaExtractor::builtin(builtin_aliases());
  ASSERT_TRUE(x.ok());
  auto parsed =
      parse_envelope(R"({"topic":"org.fedoraproject.prod.newsvc.thing.done","msg_id":"2026-2",)"
                     R"("msg":{"agent":"ralph"}})");
  ASSERT_TRUE(parsed.ok());
  (*x)->extract(*parsed.value(), MetaParts::kIndex);
  EXPECT_EQ((*x)->fallback_count(), 1u);
  const MessagePtr m = std::move(parsed).value();
  EXPECT_FALSE(m->meta.subtitle.has_value());
  std::vector<std::string> seen(8);
  std::vector<std::thread> threads;
  for (std::string& s : seen) {
    threads.emplace_back([&m, &s] {
      m->complete_meta();
      s = m->meta.subtitle.value_or("");
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& s : seen) EXPECT_EQ(s, "newsvc.thing.done by ralph");
  // The fallback rules served the message once, whatever the passes.
  EXPECT_EQ((*x)->fallback_count(), 1u);
}

}  // namespace
}  // namespace fmn
