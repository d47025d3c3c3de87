// How diagnostics look, whatever the text: long lines are cut around the mistake, bytes that
// are not UTF-8 never reach the output, and the text and JSON forms give the same range.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "core/utf8.h"
#include "dsl/compile.h"

namespace fmn::dsl {
namespace {

struct Rendered {
  std::string text;
  std::vector<std::string> json;
};

Rendered render_all(const std::string& source) {
  SourceFile file("t.fmn", source);
  Diagnostics diags;
  compile(file, diags);
  Rendered r;
  for (const Diagnostic& d : diags.all()) {
    r.text += render_text(d, file.name(), file.text());
    r.json.push_back(render_json(d, file.name()));
  }
  return r;
}

rapidjson::Document parse_json(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str(), json.size());
  EXPECT_FALSE(doc.HasParseError()) << json;
  return doc;
}

TEST(DiagnosticsRender, LongLineIsCutAroundTheMistake) {
  // A 100 KB line with one mistake in the middle.
  std::string filler;
  for (int i = 0; filler.size() < 50'000; ++i) filler += "msg.a" + std::to_string(i) + " == 1 or ";
  std::string source = "rule \"long\" = " + filler + "msg.b === 2 or " + filler + "true\n";
  ASSERT_GT(source.size(), 100'000u);
  Rendered r = render_all(source);
  ASSERT_EQ(r.json.size(), 1u) << r.text.substr(0, 500);
  EXPECT_LT(r.text.size(), 1'000u);
  // The underline still points at the third `=`: find the caret's column in the echoed line.
  size_t echoed = r.text.find(" | ") + 3;
  std::string line = r.text.substr(echoed, r.text.find('\n', echoed) - echoed);
  EXPECT_TRUE(line.starts_with("…") && line.ends_with("…")) << line;
  size_t marks = r.text.find(" | ", echoed) + 3;
  std::string under = r.text.substr(marks, r.text.find('\n', marks) - marks);
  size_t caret = under.find_first_of("^~");
  ASSERT_NE(caret, std::string::npos);
  // Columns count characters: the leading "…" is three bytes but one column.
  EXPECT_EQ(line.substr(caret + 2, 4), "= 2 ") << line << "\n" << under;
}

TEST(DiagnosticsRender, LongNamesAndStringsInMessagesAreCut) {
  // Messages quote the source: a 100 KB name or string is cut in its middle, both forms.
  std::string name(100'000, 'n');
  std::string value(100'000, 'X');
  for (const std::string& source :
       {"rule \"" + name + "\" = agent == $me\nrule \"" + name + "\" = agent == $me\n",
        "rule \"a\" = msg.x == 1 and " + name + "\n",
        "rule \"a\" = category == \"" + value + "\"\n"}) {
    Rendered r = render_all(source);
    ASSERT_FALSE(r.json.empty());
    EXPECT_LT(r.text.size(), 3'000u) << r.text.substr(0, 500);
    for (const std::string& json : r.json) {
      EXPECT_LT(json.size(), 1'000u) << json.substr(0, 500);
      rapidjson::Document doc = parse_json(json);
      std::string message = doc["message"].GetString();
      if (message.find_first_of("`\"") == std::string::npos) continue;  // quotes nothing
      // The quote is cut in its middle: what the message says after it is still there.
      EXPECT_NE(message.find("\xE2\x80\xA6"), std::string::npos) << message;
      EXPECT_TRUE(message.ends_with("already exists") || message.ends_with("n`") ||
                  message.ends_with("\"buildsys\""))
          << message;
    }
  }
  // Short quotes are left alone.
  Rendered r = render_all("rule \"a\" = pakages in $my_packages\n");
  EXPECT_NE(r.text.find("unknown field `pakages`"), std::string::npos) << r.text;
}

TEST(DiagnosticsRender, ShortLinesAreShownWhole) {
  Rendered r = render_all("rule \"a\" = msg.x === 2\n");
  EXPECT_NE(r.text.find("   1 | rule \"a\" = msg.x === 2\n"), std::string::npos) << r.text;
}

TEST(DiagnosticsRender, TextAndJsonGiveTheSameRange) {
  // One character, a multi-byte one, and a longer range.
  for (auto [source, where, column, end_column] :
       {std::tuple{"rule \"a\" = agent == \xE2\x80\x98x\xE2\x80\x99\n", "1:21:", 21, 21},
        std::tuple{"rule \"a\" = agent == $\n", "1:22:", 22, 22},
        // After a tab, at the end of the file, and on a CRLF line.
        std::tuple{"rule \"a\" = agent ==\t$\n", "1:22:", 22, 22},
        std::tuple{"rule \"a\" =", "1:11:", 11, 11},
        std::tuple{"rule \"a\" = agent == $me\r\nrule \"b\" = agent == \xE2\x82\xAC\r\n",
                   "2:21:", 21, 21},
        std::tuple{"rule \"a\" = pakages in $my_packages\n", "1:12-18:", 12, 18}}) {
    Rendered r = render_all(source);
    ASSERT_FALSE(r.json.empty()) << source;
    EXPECT_NE(r.text.find(std::string("t.fmn:") + where), std::string::npos) << r.text;
    rapidjson::Document doc = parse_json(r.json[0]);
    EXPECT_EQ(doc["column"].GetInt(), column) << r.json[0];
    EXPECT_EQ(doc["end_column"].GetInt(), end_column) << r.json[0];
  }
}

TEST(DiagnosticsRender, InvalidBytesNeverReachTheOutput) {
  std::string source = "rule \"caf\xE9\" = $me in usernames\nrule \"b\\u0000\" = true\n";
  source += std::string("# \0 \xFF\xFE\n", 7);
  Rendered r = render_all(source);
  ASSERT_GE(r.json.size(), 3u);
  EXPECT_EQ(first_invalid_utf8(r.text), r.text.size());
  EXPECT_EQ(r.text.find('\0'), std::string::npos);
  for (const std::string& json : r.json) {
    EXPECT_EQ(first_invalid_json_text(json), json.size()) << json;
    parse_json(json);
  }
}

TEST(DiagnosticsRender, StrictTextRejectsWhatJsonCannotHold) {
  for (const char* source :
       {"rule \"a\\u0000\" = agent == $me", "rule \"a\" = agent == \"\\ud800\"",
        "rule \"a\" = msg[\"k\\u0000\"] == 1", "rule \"\xC0\xAF\" = agent == $me"}) {
    SourceFile file("t.fmn", source);
    Diagnostics diags;
    EXPECT_FALSE(compile(file, diags)) << source;
    ASSERT_FALSE(diags.all().empty());
    EXPECT_EQ(diags.all()[0].code, "E0016") << source;
  }
}

}  // namespace
}  // namespace fmn::dsl
