#include "core/log.h"

#include <gtest/gtest.h>

namespace fmn::log {
namespace {

// Drops the leading timestamp so lines compare exactly.
std::string without_ts(const std::string& line, Format format) {
  if (format == Format::kText) return line.substr(line.find(' ') + 1);
  return line.substr(line.find("\"level\""));
}

TEST(Log, TextLineQuotesOnlyWhatNeedsIt) {
  std::string line =
      render(Level::kWarn, "smtp_retry",
             {{"attempt", 3}, {"host", "localhost"}, {"error", "refused now"}}, Format::kText);
  EXPECT_EQ(without_ts(line, Format::kText),
            "WARN smtp_retry attempt=3 host=localhost error=\"refused now\"");
}

TEST(Log, HostileValuesCannotForgeLines) {
  std::string line = render(Level::kInfo, "x", {{"v", "a\nERROR forged=1\r\"q\""}}, Format::kText);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.find('\r'), std::string::npos);
  EXPECT_NE(line.find("v=\"a\\nERROR forged=1\\r\\\"q\\\"\""), std::string::npos) << line;
}

TEST(Log, JsonLine) {
  std::string line = render(Level::kError, "parse_error",
                            {{"line", 12}, {"what", "bad \"json\""}, {"s", 0.5}}, Format::kJson);
  EXPECT_EQ(line.rfind("{\"ts\":\"", 0), 0u);
  EXPECT_EQ(without_ts(line, Format::kJson),
            "\"level\":\"error\",\"event\":\"parse_error\",\"line\":12,"
            "\"what\":\"bad \\\"json\\\"\",\"s\":0.5}");
}

}  // namespace
}  // namespace fmn::log
