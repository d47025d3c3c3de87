#include "prefs/validation.h"

#include <gtest/gtest.h>

#include "prefs/dsl_rule_validator.h"

namespace fmn::prefs {
namespace {

std::vector<Diagnostic> accept_all(std::string_view, const User&) { return {}; }

User valid_user(std::string name, std::string email) {
  User user;
  user.name = std::move(name);
  Destination& d = user.destinations.emplace_back();
  d.name = "email";
  d.address = std::move(email);
  Rule& rule = user.rules.emplace_back();
  rule.name = "mine";
  rule.source = "packages in $my_packages";
  rule.deliveries.push_back({"email", {}, {}, {}});
  return user;
}

std::vector<std::string> messages(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const auto& d : diagnostics) out.push_back(d.message);
  return out;
}

TEST(Validation, AcceptsAValidUser) {
  std::vector<Diagnostic> out;
  validate_user(valid_user("ralph", "ralph@example.org"), accept_all, out);
  EXPECT_TRUE(out.empty()) << render_text(out, "");
}

TEST(Validation, RejectsUnknownAndRepeatedDestinations) {
  User user = valid_user("ralph", "ralph@example.org");
  user.rules[0].deliveries.push_back({"mail", {}, {}, {}});
  user.rules[0].deliveries.push_back({"email", {}, {}, {}});
  std::vector<Diagnostic> out;
  validate_user(user, accept_all, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].message, "unknown destination \"mail\"");
  EXPECT_EQ(out[0].hint, "the user's destinations are: email");
  EXPECT_EQ(out[1].message, "destination \"email\" listed twice");
}

TEST(Validation, RejectsBadAddressesNamesAndConfirmations) {
  User user = valid_user("no spaces", "ralph@example.org\r\nBcc: x@y");
  Destination irc;
  irc.name = "irc";
  irc.kind = DestinationKind::kIrc;
  irc.address = "9lives";
  irc.confirmation.state = ConfirmationState::kPending;
  user.destinations.push_back(irc);
  Destination feed;
  feed.name = "feed";
  feed.kind = DestinationKind::kSse;
  feed.address = "feed";
  user.destinations.push_back(feed);
  std::vector<Diagnostic> out;
  validate_user(user, accept_all, out);
  EXPECT_EQ(messages(out),
            (std::vector<std::string>{
                "invalid user name", "invalid email address \"ralph@example.org\r\nBcc: x@y\"",
                "invalid IRC nick \"9lives\"",
                "a pending confirmation needs a code (8+ letters or digits) and an expiry time",
                "an SSE feed needs a secret token of at least 16 characters"}));
}

TEST(Validation, WebhooksNeedAnHttpUrlAndASecretAndOnlyKindsWithSecretsHaveTokens) {
  User user = valid_user("ralph", "ralph@example.org");
  user.destinations[0].token = "a-token-nobody-asked-for";
  Destination hook;
  hook.name = "hook";
  hook.kind = DestinationKind::kWebhook;
  hook.address = "https://user:pw@hooks.example.org/fmn";
  user.destinations.push_back(hook);
  Destination good = hook;
  good.name = "good";
  good.address = "https://hooks.example.org/fmn";
  good.token = "0123456789abcdef0123";
  user.destinations.push_back(good);
  std::vector<Diagnostic> out;
  validate_user(user, accept_all, out);
  EXPECT_EQ(messages(out), (std::vector<std::string>{
                               "\"email\" destinations have no token",
                               "invalid webhook URL \"https://user:pw@hooks.example.org/fmn\"",
                               "a webhook needs a secret token of at least 16 characters"}));
  DestinationKind kind = DestinationKind::kEmail;
  EXPECT_TRUE(parse_destination_kind("webhook", kind));
  EXPECT_EQ(kind, DestinationKind::kWebhook);
  EXPECT_FALSE(parse_destination_kind("stdout", kind));
  EXPECT_EQ(user_destination_kind_names(), "email, irc, sse and webhook");
}

TEST(Validation, NamedListsHaveValidUniqueNamesAndBoundedEntries) {
  User user = valid_user("ralph", "ralph@example.org");
  user.lists = {{"channels", {"#fedora-devel"}, {}},
                {"9lives", {"a"}, {}},
                {"channels", {}, {}},
                {"empty", {}, {}},
                {"bad_entry", {"ok", ""}, {}},
                {"huge", std::vector<std::string>(10001, "x"), {}}};
  std::vector<Diagnostic> out;
  validate_user(user, accept_all, out);
  EXPECT_EQ(messages(out),
            (std::vector<std::string>{"invalid list name \"9lives\"", "duplicate list \"channels\"",
                                      "lists.bad_entry: invalid entry \"\"",
                                      "lists.huge: 10001 entries, the limit is 10000"}));

  User many = valid_user("ralph", "ralph@example.org");
  for (int i = 0; i < 101; ++i) many.lists.push_back({"l" + std::to_string(i), {"a"}, {}});
  out.clear();
  validate_user(many, accept_all, out);
  EXPECT_EQ(messages(out), (std::vector<std::string>{"too many lists: 101, the limit is 100"}));
}

TEST(Validation, ARuleReadingADeletedListIsRefused) {
  User user = valid_user("ralph", "ralph@example.org");
  user.rules[0].source = "usernames in $lists.friends";
  user.lists = {{"friends", {"adamw"}, {}}};
  std::vector<Diagnostic> out;
  validate_user(user, dsl_rule_validator(), out);
  EXPECT_TRUE(out.empty()) << render_text(out, "");
  user.lists.clear();
  validate_user(user, dsl_rule_validator(), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].code, "E0110");
  EXPECT_EQ(out[0].message, "source 1:14: you have no list named `friends`");
}

// A list a rule reads as patterns is checked entry by entry whenever the user is saved, so an
// edit of the list alone is refused as an edit of the rule would be.
TEST(Validation, AListEditThatBreaksARulesPatternIsRefused) {
  User user = valid_user("ralph", "ralph@example.org");
  user.rules[0].source = "msg.comment.text matches $lists.praise or topic ~ $lists.watched";
  user.lists = {{"praise", {"(?i)works for me"}, {}}, {"watched", {"*.bodhi.*"}, {}}};
  std::vector<Diagnostic> out;
  validate_user(user, dsl_rule_validator(), out);
  EXPECT_TRUE(out.empty()) << render_text(out, "");
  user.lists[0].items.push_back("^lgtm(");
  user.lists[1].items.push_back("bodhi.update");
  validate_user(user, dsl_rule_validator(), out);
  ASSERT_EQ(out.size(), 2u) << render_text(out, "");
  EXPECT_EQ(out[0].code, "E0204");
  EXPECT_EQ(out[0].severity, Severity::kError);
  EXPECT_EQ(out[0].subject, "user \"ralph\", rule \"mine\"");
  EXPECT_EQ(out[0].message,
            "source 1:26: `$lists.praise` entry 2 \"^lgtm(\": invalid regular expression: "
            "missing ): ^lgtm(");
  EXPECT_EQ(out[1].code, "W0005");  // a warning, as for a literal: it does not refuse the save
  EXPECT_EQ(out[1].severity, Severity::kWarning);
}

TEST(Validation, RuleDiagnosticsWithoutAFileNameTheirSourcePosition) {
  User user = valid_user("ralph", "ralph@example.org");
  auto validator = [](std::string_view, const User&) {
    return std::vector<Diagnostic>{
        Diagnostic{.span = TextSpan::point(1, 13), .message = "unknown parameter `$my_pkgs`"},
        Diagnostic{.severity = Severity::kWarning, .span = {1, 1, 1, 4}, .message = "always true"}};
  };
  std::vector<Diagnostic> out;
  validate_user(user, validator, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].message, "source 1:13: unknown parameter `$my_pkgs`");
  EXPECT_EQ(out[0].subject, "user \"ralph\", rule \"mine\"");
  EXPECT_EQ(out[1].severity, Severity::kWarning);
  EXPECT_TRUE(has_errors(out));
}

TEST(Validation, PopulationRejectsDuplicateUsersAndAddresses) {
  Population population;
  population.users.push_back(valid_user("ralph", "shared@example.org"));
  population.users.push_back(valid_user("kevin", "shared@example.org"));
  population.users.push_back(valid_user("ralph", "other@example.org"));
  auto out = validate_population(population, accept_all);
  EXPECT_EQ(messages(out), (std::vector<std::string>{
                               "duplicate address: email \"shared@example.org\" already belongs "
                               "to user \"ralph\"",
                               "duplicate user"}));
}

TEST(Validation, CompilesEachDistinctSourceOnce) {
  Population population;
  for (int i = 0; i < 50; ++i) {
    population.users.push_back(
        valid_user("u" + std::to_string(i), "u" + std::to_string(i) + "@example.org"));
  }
  auto compiler = std::make_shared<dsl::RuleCompiler>();
  EXPECT_TRUE(validate_population(population, dsl_rule_validator(compiler)).empty());
  EXPECT_EQ(compiler->stats().compilations, 1u);
  EXPECT_EQ(compiler->stats().hits, 49u);
}

}  // namespace
}  // namespace fmn::prefs
