// The fallback rules (data/meta/fallback.toml): generic meta for topics no table names, used
// only then, and counted.
#include <gtest/gtest.h>

#include "core/envelope_parser.h"
#include "core/meta_extractor.h"

namespace fmn {
namespace {

const MetaExtractor& builtin() {
  static const auto x = MetaExtractor::builtin(builtin_aliases());
  return *x.value();
}

Meta extract(const MetaExtractor& x, const std::string& topic, const std::string& body,
             const std::string& msg_id = "2026-abc") {
  auto m = parse_envelope(R"({"topic":")" + topic + R"(","msg_id":")" + msg_id + R"(","msg":)" +
                          body + "}");
  EXPECT_TRUE(m.ok());
  x.extract(*m.value());
  return m.value()->meta;
}

using Strings = std::vector<std::string>;

TEST(MetaFallback, PeopleAndPackagesFromCommonKeys) {
  Meta meta = extract(builtin(), "org.fedoraproject.prod.newsvc.package.retired",
                      R"({"agent": "ralph", "owner": {"name": "adamw"}, "user": "kevin",
                          "packager": "pingou", "package": {"name": "kernel"}, "name": "x"})");
  EXPECT_EQ(meta.category, "newsvc");
  EXPECT_EQ(meta.agent, "ralph");
  EXPECT_EQ(meta.usernames, (Strings{"adamw", "kevin", "pingou", "ralph"}));
  // The topic says it is about a package, so `name` names one too.
  EXPECT_EQ(meta.packages, (Strings{"kernel", "x"}));
  EXPECT_EQ(meta.subtitle, "newsvc.package.retired by ralph");
  EXPECT_EQ(meta.link, "https://apps.fedoraproject.org/datagrepper/id?id=2026-abc");
}

TEST(MetaFallback, NameIsAPackageOnlyWhereTheTopicSaysSo) {
  Meta meta = extract(builtin(), "org.fedoraproject.prod.newsvc.thing.created",
                      R"({"username": "kevin", "name": "not-a-package", "url": "https://x/1"})");
  EXPECT_EQ(meta.agent, "kevin");
  EXPECT_EQ(meta.usernames, Strings{"kevin"});
  EXPECT_TRUE(meta.packages.empty());
  EXPECT_EQ(meta.link, "https://x/1");
}

TEST(MetaFallback, NothingKnownStillNamesTheTopic) {
  Meta meta = extract(builtin(), "org.fedoraproject.prod.newsvc.tick", R"({"n": 3})", "");
  EXPECT_FALSE(meta.agent);
  EXPECT_TRUE(meta.usernames.empty());
  EXPECT_EQ(meta.subtitle, "newsvc.tick");
  EXPECT_FALSE(meta.link);
}

TEST(MetaFallback, ValuesOfTheWrongShapeAreIgnored) {
  Meta meta = extract(builtin(), "org.fedoraproject.prod.newsvc.package.x",
                      R"({"agent": 42, "user": ["a", "b"], "owner": null, "package": {"n": 1},
                          "name": ""})");
  EXPECT_FALSE(meta.agent);
  EXPECT_TRUE(meta.usernames.empty());
  EXPECT_TRUE(meta.packages.empty());
  EXPECT_EQ(meta.subtitle, "newsvc.package.x");
}

TEST(MetaFallback, UsedAndCountedOnlyWhereNoTableApplies) {
  auto x = MetaExtractor::builtin(builtin_aliases());
  ASSERT_TRUE(x.ok());
  const MetaExtractor& extractor = *x.value();
  EXPECT_TRUE(extractor.falls_back("newsvc.package.retired"));
  EXPECT_FALSE(extractor.falls_back("bodhi.update.comment"));
  // A known service's topic keeps its table's answer: no fallback link or subtitle.
  Meta bodhi = extract(extractor, "org.fedoraproject.prod.bodhi.update.comment",
                       R"({"agent": "ralph", "comment": {"text": "hi", "update_title": "x-1-1"}})");
  EXPECT_EQ(extractor.fallback_count(), 0u);
  EXPECT_EQ(bodhi.subtitle.value_or("").find("by ralph"), std::string::npos);
  extract(extractor, "org.fedoraproject.prod.newsvc.a", "{}");
  extract(extractor, "org.fedoraproject.prod.newsvc.b", "{}");
  EXPECT_EQ(extractor.fallback_count(), 2u);
}

}  // namespace
}  // namespace fmn
