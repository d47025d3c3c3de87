#include "core/quoted_text.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace fmn {
namespace {

TEST(QuotedText, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(double_quoted(""), R"("")");
  EXPECT_EQ(double_quoted("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(double_quoted("l1\nl2\r\t"), R"("l1\nl2\r\t")");
  EXPECT_EQ(double_quoted(std::string_view("\0\x1f\x7f", 3)), R"("\u0000\u001f\u007f")");
  EXPECT_EQ(double_quoted("caf\xc3\xa9 \xe2\x9c\x93"), "\"caf\xc3\xa9 \xe2\x9c\x93\"");
}

TEST(QuotedText, EveryAsciiByteReadsBackAsJson) {
  std::string all;
  for (int c = 0; c < 0x80; ++c) all += static_cast<char>(c);
  std::string text = double_quoted(all);
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  ASSERT_FALSE(doc.HasParseError()) << text;
  ASSERT_TRUE(doc.IsString());
  EXPECT_EQ(std::string(doc.GetString(), doc.GetStringLength()), all);
}

}  // namespace
}  // namespace fmn
