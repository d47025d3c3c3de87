// Reordering rules in the app over preferences in a real PostgreSQL (production): the new order
// is what the app reads back and what the pipeline loads (load_all(), its cold start), since a
// notification names the first of a user's rules that matched.
#include <gtest/gtest.h>

#include "prefs/dsl_rule_validator.h"
#include "prefs/file_store.h"
#include "prefs/pg_store.h"
#include "tests/support/postgres_server.h"
#include "tests/web/http_test_client.h"
#include "web/web_app.h"

namespace fmn::web {
namespace {

using test::http_request;
using test::HttpReply;

std::vector<std::string> rule_names(const prefs::User& user) {
  std::vector<std::string> names;
  for (const prefs::Rule& rule : user.rules) names.push_back(rule.name);
  return names;
}

TEST(WebRuleOrderPg, TheOrderSetInTheAppIsWhatThePipelineLoads) {
  auto pg = test::PostgresServer::start();
  ASSERT_TRUE(pg.ok()) << pg.error().message;
  auto opened = prefs::PgStore::open(pg->connection_string(), prefs::dsl_rule_validator());
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  std::unique_ptr<prefs::PgStore> reader = std::move(opened).value();
  auto demo = prefs::read_preferences_file(std::string(FMN_DATA_DIR) + "/prefs/default.toml",
                                           prefs::dsl_rule_validator());
  ASSERT_TRUE(demo.ok());
  ASSERT_TRUE(reader->replace_all(*demo).ok());

  auto writer = prefs::PgStore::open(pg->connection_string(), prefs::dsl_rule_validator());
  ASSERT_TRUE(writer.ok());
  WebAppConfig config;
  config.unsubscribe_secret = "0123456789abcdef0123456789abcdef";
  config.demo_sign_in = true;
  HttpServerConfig server;
  server.bind = "127.0.0.1";
  auto app = WebApp::start(config, server, std::move(writer).value(),
                           std::make_shared<dsl::RuleCompiler>());
  ASSERT_TRUE(app.ok()) << app.error().message;
  const std::string base = "http://127.0.0.1:" + std::to_string((*app)->port());

  const test::SignedIn ralph = test::demo_sign_in(base, "ralph");
  ASSERT_FALSE(ralph.csrf.empty());
  const std::vector<std::string> as_ralph{ralph.cookie, ralph.csrf,
                                          "Content-Type: application/json"};

  const std::vector<std::string> before = rule_names(*demo->find("ralph"));
  ASSERT_EQ(before.size(), 3u);
  const std::vector<std::string> wanted{before[2], before[0], before[1]};
  const HttpReply moved = http_request(
      "POST", base + "/api/v1/rules/order", as_ralph,
      R"({"names":[")" + wanted[0] + R"(",")" + wanted[1] + R"(",")" + wanted[2] + R"("]})");
  ASSERT_EQ(moved.status, 200) << moved.body;

  auto one = reader->load_user("ralph");
  ASSERT_TRUE(one.ok() && one->has_value());
  EXPECT_EQ(rule_names(**one), wanted);
  auto all = reader->load_all();
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_NE(all->find("ralph"), nullptr);
  EXPECT_EQ(rule_names(*all->find("ralph")), wanted);
  EXPECT_EQ(all->find("ralph")->rules[0].deliveries.size(),
            demo->find("ralph")->rules[2].deliveries.size());
}

}  // namespace
}  // namespace fmn::web
