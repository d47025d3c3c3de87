#include "core/json_writer.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

namespace fmn {
namespace {

TEST(JsonWriter, EscapesEveryControlCharacter) {
  // Long enough for RapidJSON's 16-byte SIMD scan, which lets 0x1A-0x1F through.
  std::string text = "a long enough prefix for the vector scan: ";
  for (int c = 0; c < 0x20; ++c) text += static_cast<char>(c);
  text += " and a suffix past the last block";
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  std::string json(buffer.GetString(), buffer.GetSize());
  for (unsigned char c : json) ASSERT_GE(c, 0x20) << json;
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  ASSERT_TRUE(doc.IsString()) << json;
  EXPECT_EQ(std::string(doc.GetString(), doc.GetStringLength()), text);
}

}  // namespace
}  // namespace fmn
