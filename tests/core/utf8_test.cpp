#include "core/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace fmn {
namespace {

TEST(Utf8, AcceptsValidText) {
  EXPECT_EQ(first_invalid_utf8(""), 0u);
  std::string ok = "plain ascii that is longer than eight bytes, é ü 日本語 𝄞 and more ascii";
  EXPECT_EQ(first_invalid_utf8(ok), ok.size());
  std::string edges =
      "\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xf0\x90\x80\x80"
      "\xf4\x8f\xbf\xbf";
  EXPECT_EQ(first_invalid_utf8(edges), edges.size());
}

TEST(JsonText, StopsAtRawControlsButNotWhitespace) {
  std::string text = "{\"a\":\t\"long enough for whole words\"}\r\n";
  EXPECT_EQ(first_invalid_json_text(text), text.size());
  EXPECT_EQ(first_invalid_json_text(text + '\x1e' + "tail"), text.size());
  EXPECT_EQ(first_invalid_json_text(std::string("ab\0cd", 5)), 2u);
  EXPECT_EQ(first_invalid_json_text("abcdefghij\x80"), 10u);  // and at bad UTF-8, as before
  EXPECT_EQ(first_invalid_utf8(text + '\x1e'),
            text.size() + 1);  // the UTF-8 check alone lets it be
}

// The ASCII fast path reads blocks of 16 and 8 bytes: a bad byte is found at every position in
// and across those blocks, and a valid multi-byte character in any of them lets the rest pass.
TEST(Utf8, FindsABadByteWhereverItFallsInTheBlocks) {
  const std::string ascii(48, 'a');
  for (size_t at = 0; at < ascii.size(); ++at) {
    std::string bad = ascii;
    bad[at] = '\xff';
    EXPECT_EQ(first_invalid_utf8(bad), at);
    EXPECT_EQ(first_invalid_json_text(bad), at);
    std::string control = ascii;
    control[at] = '\x01';
    EXPECT_EQ(first_invalid_json_text(control), at);
    EXPECT_EQ(first_invalid_utf8(control), control.size());
    std::string whitespace = ascii;
    whitespace[at] = '\n';
    EXPECT_EQ(first_invalid_json_text(whitespace), whitespace.size());
    std::string valid = ascii.substr(0, at) + "\xc3\xa9" + ascii.substr(at);
    EXPECT_EQ(first_invalid_json_text(valid), valid.size());
    std::string truncated = ascii.substr(0, at) + "\xc3";
    EXPECT_EQ(first_invalid_utf8(truncated), at);
  }
}

struct Bad {
  const char* name;
  std::string text;
  size_t offset;
};

class Utf8Invalid : public testing::TestWithParam<Bad> {};

TEST_P(Utf8Invalid, ReportsTheFirstBadByte) {
  EXPECT_EQ(first_invalid_utf8(GetParam().text), GetParam().offset);
}

INSTANTIATE_TEST_SUITE_P(Cases, Utf8Invalid,
                         testing::Values(Bad{"lone_continuation", "abcdefghij\x80", 10},
                                         Bad{"overlong_two_byte", "a\xc0\xaf", 1},
                                         Bad{"overlong_three_byte", "\xe0\x80\xaf", 0},
                                         Bad{"surrogate", "12345678\xed\xa0\x80", 8},
                                         Bad{"above_max", "\xf4\x90\x80\x80", 0},
                                         Bad{"f5_lead", "\xf5\x80\x80\x80", 0},
                                         Bad{"truncated_at_end", "abc\xe2\x82", 3},
                                         Bad{"bad_continuation", "\xe2\x28\xa1", 0},
                                         Bad{"ff", "\xff\xfe", 0}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace fmn
