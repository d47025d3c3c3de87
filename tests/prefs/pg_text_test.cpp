#include "prefs/pg_text.h"

#include <gtest/gtest.h>

namespace fmn::prefs::pg {
namespace {

TEST(PgText, SplitsAndUnescapesCopyLines) {
  std::vector<std::string_view> fields;
  split_copy_line("1\tra\\tlph\t\\N\t", fields);
  ASSERT_EQ(fields.size(), 4u);
  std::string out;
  copy_unescape(fields[1], out);
  EXPECT_EQ(out, "ra\tlph");
  EXPECT_EQ(fields[2], "\\N");
  EXPECT_EQ(fields[3], "");
  copy_unescape("a\\\\b\\nc", out);
  EXPECT_EQ(out, "a\\b\nc");
}

TEST(PgText, ArrayLiteralsRoundTrip) {
  std::vector<std::string> items = {"plain", "with space", "quote\"s", "back\\slash",
                                    "a,b",   "{braces}",   "NULL"};
  std::vector<std::string> parsed;
  ASSERT_TRUE(parse_text_array(format_text_array(items), parsed));
  EXPECT_EQ(parsed, items);
  ASSERT_TRUE(parse_text_array("{}", parsed));
  EXPECT_TRUE(parsed.empty());
  ASSERT_TRUE(parse_text_array("{a,b,\"c d\"}", parsed));
  EXPECT_EQ(parsed, (std::vector<std::string>{"a", "b", "c d"}));
}

TEST(PgText, RejectsMalformedArrays) {
  std::vector<std::string> parsed;
  for (const char* bad : {"", "a", "{a", "{a,}", "{NULL}", "{\"open}", "{a\"b\"c}x"}) {
    EXPECT_FALSE(parse_text_array(bad, parsed)) << bad;
  }
}

}  // namespace
}  // namespace fmn::prefs::pg
