#include "prefs/dsl_rule_validator.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "dsl/fields.h"
#include "prefs/file_store.h"

namespace fmn::prefs {
namespace {

TEST(DslRuleValidator, AcceptsValidRulesAndTheDefaultsDefinitions) {
  auto validate = dsl_rule_validator();
  for (const char* ok : {"$me in usernames and agent != $me",
                         "packages in $my_packages and not package_noise and not mutual_noise"}) {
    auto diagnostics = validate(ok, User{});
    EXPECT_TRUE(std::none_of(diagnostics.begin(), diagnostics.end(),
                             [](const Diagnostic& d) { return d.severity == Severity::kError; }))
        << ok << ": " << (diagnostics.empty() ? "" : diagnostics[0].message);
  }
}

TEST(DslRuleValidator, PositionsAreInsideTheRuleText) {
  auto diagnostics =
      dsl_rule_validator()("$me in usernames\n  and pakages in $my_packages", User{});
  ASSERT_FALSE(diagnostics.empty());
  EXPECT_EQ(diagnostics[0].severity, Severity::kError);
  EXPECT_EQ(diagnostics[0].span, (TextSpan{2, 7, 2, 13}));
  EXPECT_NE(diagnostics[0].message.find("pakages"), std::string::npos) << diagnostics[0].message;

  diagnostics = dsl_rule_validator()("agent == )", User{});
  ASSERT_FALSE(diagnostics.empty());
  EXPECT_EQ(diagnostics[0].span.line, 1u);
  EXPECT_EQ(diagnostics[0].span.column, 10u);
}

TEST(DslRuleValidator, NamedListsMustBeTheUsers) {
  User user;
  user.lists = {{"channels", {"#fedora-devel"}, {}}, {"friends", {"adamw"}, {}}};
  auto validate = dsl_rule_validator();
  EXPECT_TRUE(validate("any usernames in $lists.friends", user).empty());

  auto diagnostics = validate("agent in $lists.frends or $me in usernames", user);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].severity, Severity::kError);
  EXPECT_EQ(diagnostics[0].code, "E0110");
  EXPECT_EQ(diagnostics[0].message, "you have no list named `frends`");
  EXPECT_EQ(diagnostics[0].hint, "did you mean `$lists.friends`?");
  EXPECT_EQ(diagnostics[0].span, (TextSpan{1, 10, 1, 22}));

  diagnostics = validate("agent in $lists.colleagues", user);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].hint, "your lists are $lists.channels, $lists.friends");
  diagnostics = validate("agent in $lists.friends", User{});
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_NE(diagnostics[0].hint.find("no named lists yet"), std::string::npos);
}

TEST(DslRuleValidator, RuleParamsCarryTheNamedLists) {
  User user;
  user.name = "ralph";
  user.lists = {{"z", {"b", "a", "b"}, {}}, {"a", {}, {}}};
  dsl::UserParams params = rule_params(user);
  ASSERT_EQ(params.lists.size(), 2u);
  EXPECT_EQ(params.lists[0].name, "a");
  EXPECT_EQ(params.user_list("z"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(params.user_list("missing").empty());
}

TEST(DslRuleValidator, TheDemoPreferencesAreValid) {
  auto population = read_preferences_file(std::string(FMN_DATA_DIR) + "/prefs/default.toml",
                                          dsl_rule_validator());
  ASSERT_TRUE(population.ok()) << population.error().message;
  EXPECT_EQ(population->users.size(), 3u);
}

TEST(DslRuleValidator, ABadRuleInAFileIsReportedAtItsFilePosition) {
  constexpr const char* kText =
      "[[users]]\nname = \"u\"\n[[users.rules]]\nname = \"x\"\nsource = 'agent == $me and "
      "pakages'\n";
  auto population = parse_preferences_text(kText, "p.toml", dsl_rule_validator());
  ASSERT_FALSE(population.ok());
  EXPECT_NE(population.error().message.find(
                "p.toml:5:28-34: error[E0103]: user \"u\", rule \"x\": unknown"),
            std::string::npos)
      << population.error().message;
}

TEST(RuleParams, EveryParameterIsFilledFromAFieldOfTheUserRecord) {
  User user;
  for (const dsl::ParamInfo& p : dsl::all_params()) {
    if (p.filled_from.empty()) continue;  // nothing fills it yet; the guide says so
    if (p.type == dsl::ValueType::kString) {
      EXPECT_EQ(p.filled_from, "name") << p.name;
    } else {
      EXPECT_NE(user.list(p.filled_from), nullptr) << p.name << " <- " << p.filled_from;
    }
  }
}

TEST(RuleParams, AUsersListsBindTheParametersTheTableNames) {
  User user;
  user.name = "ralph";
  user.packages = {"fedmsg", "bodhi"};
  user.groups = {"infra-sig"};
  user.followed_users = {"kevin"};
  dsl::UserParams params = rule_params(user);
  EXPECT_EQ(params.me, "ralph");
  EXPECT_EQ(params.my_packages, (std::vector<std::string>{"bodhi", "fedmsg"}));
  EXPECT_EQ(params.followed_packages, params.my_packages);
  EXPECT_EQ(params.my_groups, std::vector<std::string>{"infra-sig"});
  EXPECT_EQ(params.followed_users, std::vector<std::string>{"kevin"});
  EXPECT_TRUE(params.my_group_packages.empty());
}

}  // namespace
}  // namespace fmn::prefs
