#include "core/diagnostic.h"

#include <gtest/gtest.h>

#include <vector>

namespace fmn {
namespace {

constexpr std::string_view kPrefs =
    "[[users]]\nname = \"ralph\"\n[[users.rules]]\ndeliver = [{ to = \"mail\" }]\n";

Diagnostic about_a_record() {
  return {.span = TextSpan::point(4, 18),
          .subject = "user \"ralph\", rule \"mine\"",
          .message = "unknown destination \"mail\"",
          .hint = "the user's destinations are: email, irc"};
}

// Preference data and rule text print the same way: a record's subject before the message, no
// code when the kind of problem has none.
TEST(Diagnostic, ADiagnosticAboutARecordNamesItAndQuotesItsLine) {
  EXPECT_EQ(render_text(about_a_record(), "prefs.toml", kPrefs),
            "prefs.toml:4:18: error: user \"ralph\", rule \"mine\": unknown destination \"mail\"\n"
            "   4 | deliver = [{ to = \"mail\" }]\n"
            "     |                  ^\n"
            "   hint: the user's destinations are: email, irc\n");
}

TEST(Diagnostic, WithoutAPositionOrAFileOnlyTheFirstLineAndTheHint) {
  Diagnostic d = about_a_record();
  d.span = {};
  EXPECT_EQ(render_text(d, "prefs.toml", kPrefs),
            "prefs.toml: error: user \"ralph\", rule \"mine\": unknown destination \"mail\"\n"
            "   hint: the user's destinations are: email, irc\n");
  d.hint.clear();
  EXPECT_EQ(render_text(d, ""),
            "error: user \"ralph\", rule \"mine\": unknown destination \"mail\"\n");
}

TEST(Diagnostic, OneLineFormStartsWithThePositionAndKeepsTheCode) {
  Diagnostic d{.code = "E0101", .span = {2, 7, 2, 13}, .message = "unknown field `pakages`"};
  EXPECT_EQ(render_line(d), "2:7-13: error[E0101]: unknown field `pakages`");
  d.span = {1, 3, 2, 4};
  d.severity = Severity::kWarning;
  EXPECT_EQ(render_line(d), "1:3-2:4: warning[E0101]: unknown field `pakages`");
}

TEST(Diagnostic, JsonNamesTheFileAndTheSubjectOnlyWhenThereAreSome) {
  Diagnostic d{.code = "E0101", .span = {1, 12, 1, 18}, .message = "unknown field `pakages`"};
  EXPECT_EQ(render_json(d),
            R"({"line":1,"column":12,"end_line":1,"end_column":18,"severity":"error",)"
            R"("code":"E0101","message":"unknown field `pakages`","hint":""})");
  EXPECT_EQ(render_json(about_a_record(), "p.toml"),
            R"({"file":"p.toml","line":4,"column":18,"end_line":4,"end_column":18,)"
            R"("severity":"error","code":"","subject":"user \"ralph\", rule \"mine\"",)"
            R"("message":"unknown destination \"mail\"",)"
            R"("hint":"the user's destinations are: email, irc"})");
}

TEST(Diagnostic, BytesThatAreNotUtf8PrintAsReplacementCharacters) {
  Diagnostic d{.span = TextSpan::point(1, 1), .message = "bad \xC0 byte"};
  EXPECT_EQ(render_line(d), "1:1: error: bad \xEF\xBF\xBD byte");
  EXPECT_EQ(render_json(d).find('\xC0'), std::string::npos);
}

TEST(Diagnostic, HasErrorsIgnoresWarnings) {
  std::vector<Diagnostic> all{{.severity = Severity::kWarning, .message = "w"}};
  EXPECT_FALSE(has_errors(all));
  all.push_back({.message = "e"});
  EXPECT_TRUE(has_errors(all));
}

}  // namespace
}  // namespace fmn
