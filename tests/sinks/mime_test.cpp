#include "sinks/mime.h"

#include <gtest/gtest.h>

#include "sinks/text_escape.h"

namespace fmn::sinks {
namespace {

std::string base64_decode(std::string_view in) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (char c : in) {
    if (c == '=') break;
    bits = bits << 6 | static_cast<uint32_t>(kAlphabet.find(c));
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xFF));
    }
  }
  return out;
}

std::string header(std::string_view text) {
  std::string out;
  append_header_text(out, text);
  return out;
}

std::string qp(std::string_view text) {
  std::string out;
  append_quoted_printable(out, text);
  return out;
}

TEST(Mime, AsciiHeaderTextIsKept) { EXPECT_EQ(header("Build failed"), "Build failed"); }

TEST(Mime, Utf8HeaderTextBecomesEncodedWords) {
  EXPECT_EQ(header("caf\xc3\xa9"), "=?UTF-8?B?Y2Fmw6k=?=");
  // 40 two-byte characters: split into words of whole characters, folded.
  std::string long_text;
  for (int i = 0; i < 40; ++i) long_text += "\xc3\xa9";
  const std::string encoded = header(long_text);
  EXPECT_NE(encoded.find("?=\r\n =?UTF-8?B?"), std::string::npos);
  std::string decoded;
  size_t start = 0;
  while (start < encoded.size()) {
    size_t end = encoded.find("\r\n ", start);
    if (end == std::string::npos) end = encoded.size();
    const std::string word = encoded.substr(start, end - start);
    EXPECT_LE(word.size(), 75u);
    ASSERT_EQ(word.rfind("=?UTF-8?B?", 0), 0u) << word;
    const std::string part = base64_decode(word.substr(10, word.size() - 12));
    EXPECT_TRUE(is_valid_utf8(part)) << "a word splits a character";
    decoded += part;
    start = end + 3;
  }
  EXPECT_EQ(decoded, long_text);
}

TEST(Mime, EncodedWordLookalikesAreEncoded) { EXPECT_EQ(header("=?x?="), "=?UTF-8?B?PT94Pz0=?="); }

TEST(Mime, QuotedPrintable) {
  EXPECT_EQ(qp("a=b\ncaf\xc3\xa9 \n"), "a=3Db\r\ncaf=C3=A9=20\r\n");
  const std::string line(200, 'x');
  const std::string out = qp(line);
  EXPECT_NE(out.find("=\r\n"), std::string::npos);
  size_t start = 0;
  std::string joined;
  while (start < out.size()) {
    size_t end = out.find("\r\n", start);
    if (end == std::string::npos) end = out.size();
    EXPECT_LE(end - start, 76u);
    std::string piece = out.substr(start, end - start);
    if (!piece.empty() && piece.back() == '=') piece.pop_back();
    joined += piece;
    start = end + 2;
  }
  EXPECT_EQ(joined, line);
}

TEST(Mime, Rfc5322Date) {
  std::string out;
  append_rfc5322_date(out, 1714564800);
  EXPECT_EQ(out, "Wed, 01 May 2024 12:00:00 +0000");
}

}  // namespace
}  // namespace fmn::sinks
