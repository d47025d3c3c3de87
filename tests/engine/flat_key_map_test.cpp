// FlatKeyMap: every value inserted is found with its first id, through the table's growth;
// values never inserted are not found.
#include "engine/flat_key_map.h"

#include <gtest/gtest.h>

#include <string>

namespace fmn::engine {
namespace {

TEST(FlatKeyMap, AValueKeepsTheIdItWasFirstInsertedWith) {
  FlatKeyMap map;
  EXPECT_EQ(map.insert("kernel", 7), 7u);
  EXPECT_EQ(map.insert("kernel", 8), 7u);
  EXPECT_EQ(map.size(), 1u);
  EXPECT_EQ(map.find("kernel"), 7u);
}

TEST(FlatKeyMap, FindsEveryValueAfterGrowingAndNothingElse) {
  FlatKeyMap map;
  EXPECT_EQ(map.find("anything"), std::nullopt);
  for (uint32_t i = 0; i < 20000; ++i) map.insert("user" + std::to_string(i), i);
  map.insert("", 20000);
  map.shrink_to_fit();
  ASSERT_EQ(map.size(), 20001u);
  for (uint32_t i = 0; i < 20000; ++i) ASSERT_EQ(map.find("user" + std::to_string(i)), i);
  EXPECT_EQ(map.find(""), 20000u);
  EXPECT_EQ(map.find("user20000"), std::nullopt);
  EXPECT_EQ(map.find("use"), std::nullopt);
}

}  // namespace
}  // namespace fmn::engine
