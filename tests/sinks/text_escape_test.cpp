#include "sinks/text_escape.h"

#include <gtest/gtest.h>

namespace fmn::sinks {
namespace {

template <typename F>
std::string escaped(F f, std::string_view in) {
  std::string out;
  f(out, in);
  return out;
}

TEST(TextEscape, OneLineRemovesEveryLineBreakAndControl) {
  static constexpr char kHostile[] =
      "a\r\nb\0c\x03"
      "04d\xc2\x85"
      "e\xe2\x80\xa8"
      "f\xe2\x80\xa9g";
  const std::string hostile(kHostile, sizeof kHostile - 1);
  EXPECT_EQ(escaped(append_one_line, hostile), "a  b c 04d e f g");
}

TEST(TextEscape, InvalidUtf8BecomesReplacementCharacter) {
  EXPECT_EQ(escaped(append_one_line, "caf\xc3\xa9 \xff\xc3"),
            "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_TRUE(is_valid_utf8("caf\xc3\xa9"));
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_TRUE(is_valid_utf8("\xf0\x9f\x8e\x89"));   // 🎉
}

TEST(TextEscape, Html) {
  EXPECT_EQ(escaped(append_html, "<script>alert('x&y')</script>\n\"q\""),
            "&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt; &quot;q&quot;");
}

TEST(TextEscape, Json) {
  EXPECT_EQ(escaped(append_json, "a\"b\\c\nd\x01\xe2\x80\xa8"),
            "a\\\"b\\\\c\\u000ad\\u0001\\u2028");
}

TEST(TextEscape, TruncatesOnUtf8Boundaries) {
  const std::string s = "\xc3\xa9\xc3\xa9\xc3\xa9";  // ééé
  EXPECT_EQ(utf8_prefix(s, 3), "\xc3\xa9");
  EXPECT_EQ(utf8_prefix(s, 4), "\xc3\xa9\xc3\xa9");
  EXPECT_EQ(utf8_prefix(s, 10), s);
  std::string out;
  append_truncated(out, "abcdefgh", 6);
  EXPECT_EQ(out, "abc\xe2\x80\xa6");
  out.clear();
  append_truncated(out, "abc", 6);
  EXPECT_EQ(out, "abc");
}

}  // namespace
}  // namespace fmn::sinks
