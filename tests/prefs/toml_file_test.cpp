#include <gtest/gtest.h>

#include "prefs/toml_reader.h"
#include "prefs/toml_writer.h"

namespace fmn::prefs {
namespace {

// Stands in for the rule-language checker where a test is about positions, not the language:
// flags every occurrence of `pakages` at its line and column inside the rule text.
std::vector<Diagnostic> flag_misspelling(std::string_view source, const User&) {
  std::vector<Diagnostic> out;
  uint32_t line = 1, column = 1;
  for (size_t i = 0; i < source.size(); ++i) {
    if (source.substr(i, 7) == "pakages") {
      out.push_back({.span = {line, column, line, column + 6},
                     .message = "unknown field `pakages`",
                     .hint = "did you mean `packages`?"});
    }
    if (source[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return out;
}

constexpr const char* kCanonical =
    R"(# fmn preferences: users, their destinations and rules (format: docs/preferences.md).
version = 1

[[users]]
name = "ralph"
aliases = ["threebean", "rbean@redhat.com"]
packages = ["fedmsg", "python-fedora"]
followed_users = ["kevin"]
followed_groups = ["infra-sig"]
groups = ["sysadmin-main"]

[users.lists]
channels = ["#fedora-devel", "#fedora-admin"]
nobody = []

[[users.destinations]]
kind = "email"
address = "ralph@example.org"

[[users.destinations]]
kind = "irc"
address = "threebean"
confirmation = "pending"
code = "a1b2c3d4e5"
expires = 2024-05-01T12:00:00Z

[[users.destinations]]
name = "feed"
kind = "sse"
address = "ralph-feed"
token = "0123456789abcdef0123"
confirmation = "rejected"

[[users.rules]]
name = "mentions me"
source = '$me in usernames and agent != $me'
deliver = [{ to = "email", every = "1h", count = 20, links = false }, { to = "irc", markup = true }]

[[users.rules]]
name = "kernel"
source = '''
category == "bodhi"
  and msg.update.title startswith 'kernel-' '''
enabled = false

[[users]]
name = "kevin"
enabled = false
)";

TEST(TomlFile, ReadsEveryField) {
  auto parsed = read_preferences_toml(kCanonical, "prefs.toml", flag_misspelling);
  ASSERT_TRUE(parsed.diagnostics.empty())
      << render_text(parsed.diagnostics, "prefs.toml", kCanonical);
  const auto& users = parsed.population.users;
  ASSERT_EQ(users.size(), 2u);
  const User& ralph = users[0];
  EXPECT_EQ(ralph.name, "ralph");
  EXPECT_TRUE(ralph.enabled);
  EXPECT_EQ(ralph.aliases, (std::vector<std::string>{"threebean", "rbean@redhat.com"}));
  EXPECT_EQ(ralph.groups, (std::vector<std::string>{"sysadmin-main"}));
  ASSERT_EQ(ralph.lists.size(), 2u);
  EXPECT_EQ(ralph.lists[0].name, "channels");
  EXPECT_EQ(ralph.lists[0].items, (std::vector<std::string>{"#fedora-devel", "#fedora-admin"}));
  EXPECT_EQ(ralph.lists[0].pos.line, 13u);
  EXPECT_EQ(ralph.lists[1].name, "nobody");
  EXPECT_TRUE(ralph.lists[1].items.empty());
  ASSERT_EQ(ralph.destinations.size(), 3u);
  EXPECT_EQ(ralph.destinations[0].name, "email");
  EXPECT_EQ(ralph.destinations[1].kind, DestinationKind::kIrc);
  EXPECT_EQ(ralph.destinations[1].confirmation.state, ConfirmationState::kPending);
  EXPECT_EQ(ralph.destinations[1].confirmation.expires_at, 1714564800);
  EXPECT_EQ(ralph.destinations[2].token, "0123456789abcdef0123");
  EXPECT_EQ(ralph.destinations[2].confirmation.state, ConfirmationState::kRejected);
  ASSERT_EQ(ralph.rules.size(), 2u);
  const Rule& mentions = ralph.rules[0];
  EXPECT_EQ(mentions.source.view(), "$me in usernames and agent != $me");
  ASSERT_EQ(mentions.deliveries.size(), 2u);
  EXPECT_EQ(mentions.deliveries[0].digest.every_seconds, 3600u);
  EXPECT_EQ(mentions.deliveries[0].digest.count, 20u);
  EXPECT_FALSE(mentions.deliveries[0].options.include_links);
  EXPECT_TRUE(mentions.deliveries[1].digest.immediate());
  EXPECT_TRUE(mentions.deliveries[1].options.markup);
  EXPECT_FALSE(ralph.rules[1].enabled);
  EXPECT_EQ(ralph.rules[1].source.view(),
            "category == \"bodhi\"\n  and msg.update.title startswith 'kernel-' ");
  EXPECT_FALSE(users[1].enabled);
}

TEST(TomlFile, CanonicalTextRoundTripsByteForByte) {
  auto parsed = read_preferences_toml(kCanonical, "prefs.toml", flag_misspelling);
  ASSERT_FALSE(has_errors(parsed.diagnostics));
  EXPECT_EQ(write_preferences_toml(parsed.population), kCanonical);
}

TEST(TomlFile, DeliveryTimesRoundTrip) {
  constexpr const char* kText =
      R"(# fmn preferences: users, their destinations and rules (format: docs/preferences.md).
version = 1

[[users]]
name = "petr"
tz = "Europe/Prague"
snoozed_until = 2024-05-01T18:00:00Z
muted_until = 2024-05-01T20:00:00Z

[[users.destinations]]
kind = "email"
address = "petr@example.org"
quiet = "22:00-07:00"
snoozed_until = 2024-05-02T08:30:00Z
muted_until = 2024-05-02T09:00:00+02:00

[[users.rules]]
name = "r"
source = 'topic ~ "*"'
deliver = [{ to = "email", at = "08:00", count = 5 }]
)";
  auto parsed = read_preferences_toml(kText, "prefs.toml", flag_misspelling);
  ASSERT_TRUE(parsed.diagnostics.empty()) << render_text(parsed.diagnostics, "prefs.toml", kText);
  const User& petr = parsed.population.users[0];
  EXPECT_EQ(petr.tz, "Europe/Prague");
  EXPECT_EQ(petr.snoozed_until, 1714586400);
  EXPECT_EQ(petr.muted_until, 1714593600);
  EXPECT_EQ(petr.destinations[0].muted_until, 1714633200);  // the offset applied
  EXPECT_EQ(petr.destinations[0].quiet.from, 22 * 60);
  EXPECT_EQ(petr.destinations[0].quiet.to, 7 * 60);
  EXPECT_EQ(petr.rules[0].deliveries[0].digest.at, 8 * 60);
  EXPECT_FALSE(petr.rules[0].deliveries[0].digest.immediate());
  // Written back in UTC: the one line that changes.
  std::string canonical = kText;
  canonical.replace(canonical.find("2024-05-02T09:00:00+02:00"), 25, "2024-05-02T07:00:00Z");
  EXPECT_EQ(write_preferences_toml(parsed.population), canonical);
  // every = "1d" beside `at` says the same thing and is dropped from the canonical form.
  std::string daily = kText;
  daily.replace(daily.find("at = "), 0, "every = \"1d\", ");
  auto same = read_preferences_toml(daily, "prefs.toml", flag_misspelling);
  ASSERT_TRUE(same.diagnostics.empty()) << render_text(same.diagnostics, "prefs.toml", daily);
  EXPECT_EQ(write_preferences_toml(same.population), canonical);
}

TEST(TomlFile, BadDeliveryTimesAreReportedWithHints) {
  constexpr const char* kText =
      "[[users]]\nname = \"p\"\ntz = \"Europe/Pargue\"\n"
      "[[users.destinations]]\nkind = \"email\"\naddress = \"p@example.org\"\n"
      "quiet = \"22:00\"\nsnoozed_until = \"tomorrow\"\nqiuet = \"x\"\n"
      "muted_until = 2024-05-01T20:00:00\n"
      "[[users.rules]]\nname = \"r\"\nsource = 'x'\n"
      "deliver = [{ to = \"email\", at = \"8am\" }, { to = \"email\", every = \"1h\", "
      "at = \"08:00\" }]\n";
  auto parsed = read_preferences_toml(kText, "bad.toml", flag_misspelling);
  const std::string all = render_text(parsed.diagnostics, "bad.toml", kText);
  for (const char* expected :
       {"bad.toml:3:6: error: user \"p\": unknown time zone \"Europe/Pargue\"",
        "bad.toml:7:9: error: user \"p\": `quiet` must be two different times",
        "bad.toml:8:17: error: user \"p\": `snoozed_until` must be a date-time with an offset",
        "bad.toml:9:1: error: user \"p\": unknown key `qiuet`", "did you mean `quiet`?",
        "bad.toml:10:15: error: user \"p\": `muted_until` must be a date-time with an offset",
        "error: user \"p\": `at` must be a time of day",
        "error: user \"p\": `at` sends a daily digest: `every` cannot be 1h"}) {
    EXPECT_NE(all.find(expected), std::string::npos) << expected << "\n" << all;
  }
}

TEST(TomlFile, WriterQuotesAnyRuleTextSafely) {
  Population population;
  User& user = population.users.emplace_back();
  user.name = "u";
  for (const char* source : {"a == 'x'", "a == '''x'''\nor b", "tab\there", "ends with '"}) {
    Rule& rule = user.rules.emplace_back();
    rule.name = "r" + std::to_string(user.rules.size());
    rule.source = source;
  }
  std::string text = write_preferences_toml(population);
  auto parsed = read_preferences_toml(text, "x.toml", flag_misspelling);
  ASSERT_FALSE(has_errors(parsed.diagnostics)) << render_text(parsed.diagnostics, "x.toml", text);
  ASSERT_EQ(parsed.population.users[0].rules.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(parsed.population.users[0].rules[i].source, user.rules[i].source);
  }
}

TEST(TomlFile, NamedListsAreWrittenByNameAndBadOnesReported) {
  Population population;
  User& user = population.users.emplace_back();
  user.name = "u";
  user.lists = {{"zeta", {"z"}, {}}, {"alpha", {"a", "b"}, {}}};
  EXPECT_EQ(write_user_toml(user),
            "[[users]]\nname = \"u\"\n\n[users.lists]\nalpha = [\"a\", \"b\"]\nzeta = [\"z\"]\n");

  constexpr const char* kText =
      "[[users]]\nname = \"p\"\nlists = [\"x\"]\n[[users]]\nname = \"q\"\n[users.lists]\n"
      "a = \"x\"\nb = [1]\n";
  auto parsed = read_preferences_toml(kText, "bad.toml", flag_misspelling);
  const std::string all = render_text(parsed.diagnostics, "bad.toml", kText);
  for (const char* expected : {"bad.toml:3:9: error: user \"p\": `lists` must be a table of lists",
                               "bad.toml:7:5: error: user \"q\": `a` must be an array of strings",
                               "bad.toml:8:6: error: user \"q\": `b` must hold only strings"}) {
    EXPECT_NE(all.find(expected), std::string::npos) << expected << "\n" << all;
  }
}

TEST(TomlFile, SyntaxErrorHasPosition) {
  constexpr const char* kText = "version = 1\n[[users]]\nname = \"ralph\nenabled = true\n";
  auto parsed = read_preferences_toml(kText, "bad.toml", flag_misspelling);
  ASSERT_EQ(parsed.diagnostics.size(), 1u);
  EXPECT_EQ(parsed.diagnostics[0].span.line, 3u);
  EXPECT_TRUE(parsed.population.users.empty());
}

TEST(TomlFile, UnknownKeysAndWrongTypesAreAllReported) {
  constexpr const char* kText =
      "[[users]]\nname = \"ralph\"\npackges = [\"x\"]\nenabled = \"yes\"\n"
      "[[users.destinations]]\nkind = \"pigeon\"\naddress = \"x\"\n";
  auto parsed = read_preferences_toml(kText, "bad.toml", flag_misspelling);
  ASSERT_EQ(parsed.diagnostics.size(), 3u) << render_text(parsed.diagnostics, "bad.toml", kText);
  EXPECT_EQ(parsed.diagnostics[0].message, "unknown key `packges`");
  EXPECT_EQ(parsed.diagnostics[0].hint, "did you mean `packages`?");
  EXPECT_EQ(parsed.diagnostics[0].span.line, 3u);
  EXPECT_EQ(parsed.diagnostics[0].span.column, 1u);
  EXPECT_EQ(parsed.diagnostics[1].span.line, 4u);
  EXPECT_EQ(parsed.diagnostics[2].message, "unknown destination kind \"pigeon\"");
  EXPECT_EQ(parsed.diagnostics[2].span.line, 6u);
  EXPECT_EQ(render_text(parsed.diagnostics[0], "bad.toml", kText),
            "bad.toml:3:1: error: user \"ralph\": unknown key `packges`\n"
            "   3 | packges = [\"x\"]\n"
            "     | ^\n"
            "   hint: did you mean `packages`?\n");
}

TEST(TomlFile, RuleErrorsPointIntoTheRuleText) {
  constexpr const char* kText =
      "[[users]]\nname = \"u\"\n"
      "[[users.rules]]\nname = \"a\"\nsource = 'x in pakages'\n"
      "[[users.rules]]\nname = \"b\"\nsource = \"pakages\"\n"
      "[[users.rules]]\nname = \"c\"\nsource = '''\n$me in usernames\n  or pakages'''\n"
      "[[users.rules]]\nname = \"d\"\nsource = '''pakages'''\n";
  auto parsed = read_preferences_toml(kText, "r.toml", flag_misspelling);
  ASSERT_EQ(parsed.diagnostics.size(), 4u) << render_text(parsed.diagnostics, "r.toml", kText);
  auto at = [&](size_t i) {
    return std::pair(parsed.diagnostics[i].span.line, parsed.diagnostics[i].span.column);
  };
  EXPECT_EQ(at(0), std::pair(5u, 16u));
  EXPECT_EQ(at(1), std::pair(8u, 11u));
  EXPECT_EQ(at(2), std::pair(13u, 6u));
  EXPECT_EQ(at(3), std::pair(16u, 13u));
  EXPECT_EQ(parsed.diagnostics[2].subject, "user \"u\", rule \"c\"");
}

}  // namespace
}  // namespace fmn::prefs
