// InternedString and ParamList: a text is stored once and every holder shares it; a list of
// interned strings behaves as the vector it replaces through growth, erasure and copies.
#include "dsl/param_list.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace fmn::dsl {
namespace {

TEST(InternedString, EqualTextsShareOneCopy) {
  std::string a = "python-requests", b = "python-" + std::string("requests");
  InternedString x(a), y(b);
  EXPECT_EQ(x, y);
  EXPECT_EQ(x.view().data(), y.view().data());
  EXPECT_EQ(x.view(), "python-requests");
  EXPECT_NE(x, InternedString("python-request"));
}

TEST(InternedString, OrdersByTextAndTheEmptyStringIsTheDefault) {
  EXPECT_LT(InternedString("kernel"), InternedString("nethack"));
  EXPECT_TRUE(InternedString().empty());
  EXPECT_EQ(InternedString(""), InternedString());
  std::string with_nul("a\0b", 3);
  EXPECT_EQ(InternedString(with_nul).view(), with_nul);
}

TEST(ParamList, KeepsItsItemsThroughGrowthAndErasure) {
  ParamList list;
  for (int i = 0; i < 1000; ++i) list.push_back("pkg" + std::to_string(i));
  ASSERT_EQ(list.size(), 1000u);
  EXPECT_EQ(list[0], "pkg0");
  EXPECT_EQ(list[999], "pkg999");
  list.erase(std::find(list.begin(), list.end(), "pkg500"));
  EXPECT_EQ(list.size(), 999u);
  EXPECT_EQ(list[500], "pkg501");
  list.resize(3);
  list.push_back("extra");
  EXPECT_EQ(list, (ParamList{"pkg0", "pkg1", "pkg2", "extra"}));
  list.clear();
  EXPECT_TRUE(list.empty());
}

TEST(ParamList, InsertsARangeInPlace) {
  ParamList list{"a", "d"};
  std::vector<std::string> middle{"b", "c"};
  list.insert(list.begin() + 1, middle.begin(), middle.end());
  EXPECT_EQ(list, (ParamList{"a", "b", "c", "d"}));
}

TEST(ParamList, CopiesAreIndependentAndMovesLeaveNothingBehind) {
  ParamList a(std::vector<std::string>{"kernel", "nethack"});
  ParamList b = a;
  b.push_back("bodhi");
  EXPECT_EQ(a.size(), 2u);
  EXPECT_EQ(b.size(), 3u);
  ParamList c = std::move(b);
  EXPECT_EQ(c.size(), 3u);
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move): a moved-from list is empty
}

}  // namespace
}  // namespace fmn::dsl
