// PostgreSQL faults against the real fmn-pipeline, its preferences in PostgreSQL: the database
// restarts while the service runs. During the outage matching goes on with the rules loaded
// last, a warning is logged, fmn_preferences_store_up and /readyz show it; once the database is
// back the service reloads everyone, and a rule edited then is live.
#include <gtest/gtest.h>

#include "prefs/dsl_rule_validator.h"
#include "prefs/file_store.h"
#include "prefs/pg_store.h"
#include "tests/faults/expected_notifications.h"
#include "tests/faults/pipeline_process.h"
#include "tests/faults/scenario.h"
#include "tests/support/postgres_server.h"
#include "tests/support/smtp_server.h"
#include "tests/support/zmq_publisher.h"

namespace fmn::faults {
namespace {

using namespace std::chrono_literals;

// ralph's rule once edited: items 1 and 10-19 only.
constexpr const char* kEditedRule = R"(topic ~ "*.faults.item.1*")";

TEST(PostgresFaults, RestartWhileRunningKeepsMatchingThenAnEditIsLive) {
  auto pg = test::PostgresServer::start();
  ASSERT_TRUE(pg.ok()) << pg.error().message;
  auto smtp = test::SmtpServer::start();
  ASSERT_TRUE(smtp.ok()) << smtp.error().message;
  auto bus = test::ZmqPublisher::start();
  ASSERT_TRUE(bus.ok()) << bus.error().message;

  // ralph's preferences, imported into the database as an operator would.
  auto store = prefs::PgStore::open(pg->connection_string(), prefs::dsl_rule_validator());
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto population = prefs::parse_preferences_text(one_user_prefs(kItemRule, "{ to = \"email\" }"),
                                                  "prefs.toml", prefs::dsl_rule_validator());
  ASSERT_TRUE(population.ok()) << population.error().message;
  ASSERT_TRUE((*store)->replace_all(population.value()).ok());

  PipelineOptions options;
  options.config_toml = servers_config(bus->endpoint(), smtp->url());
  options.prefs_database = pg->connection_string();
  auto pipeline = PipelineProcess::start(options);
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
  ASSERT_TRUE(bus->wait_for_subscriptions(1, 30s).ok());
  EXPECT_EQ(pipeline->metric("fmn_preferences_store_up"), 1.0);

  ASSERT_TRUE(bus->play(numbered_items("a", 1, 3)).ok());
  auto mail = smtp->wait_for_mail(3, 60s);
  ASSERT_TRUE(mail.ok()) << mail.error().message << "\n" << pipeline->log_text();

  // The database goes away: said in the metrics, the readiness and the log...
  ASSERT_TRUE(pg->stop().ok());
  auto down = pipeline->wait_metric(
      "fmn_preferences_store_up", "", [](double v) { return v == 0; }, 30s);
  ASSERT_TRUE(down.ok()) << down.error().message;
  EXPECT_EQ(pipeline->readiness(), 503);
  EXPECT_GE(pipeline->metric("fmn_preferences_store_errors_total").value_or(0), 1.0);
  // ...and matching goes on with the rules loaded last.
  ASSERT_TRUE(bus->play(numbered_items("a", 4, 3)).ok());
  mail = smtp->wait_for_mail(6, 60s);
  ASSERT_TRUE(mail.ok()) << mail.error().message << "\n" << pipeline->log_text();

  // Back: the service reconnects by itself and reloads everyone.
  ASSERT_TRUE(pg->restart().ok()) << pg->log_text();
  auto reloaded = pipeline->wait_metric(
      "fmn_preference_loads_total", "", [](double v) { return v >= 2; }, 60s);
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
  EXPECT_EQ(pipeline->metric("fmn_preferences_store_up"), 1.0);
  EXPECT_EQ(pipeline->readiness(), 200);

  // ralph narrows his rule to items 1, 10-19...: live once the change feed has applied it.
  auto ralph = (*store)->load_user("ralph");
  ASSERT_TRUE(ralph.ok() && ralph->has_value()) << (ralph.ok() ? "" : ralph.error().message);
  prefs::User edited = **ralph;
  edited.rules[0].source = std::string(kEditedRule);
  const double updates = pipeline->metric("fmn_preference_user_updates_total").value_or(0);
  ASSERT_TRUE((*store)->put_user(edited).ok());
  auto applied = pipeline->wait_metric(
      "fmn_preference_user_updates_total", "", [&](double v) { return v > updates; }, 30s);
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  std::vector<test::BusMessage> after_edit = numbered_items("a", 20, 3);  // no longer matched
  for (test::BusMessage& m : numbered_items("a", 10, 3)) after_edit.push_back(std::move(m));
  ASSERT_TRUE(bus->play(after_edit).ok());
  mail = smtp->wait_for_mail(9, 60s);
  ASSERT_TRUE(mail.ok()) << mail.error().message << "\n" << pipeline->log_text();
  ASSERT_TRUE(pipeline->terminate().ok());  // delivers whatever is still queued

  const std::string log = pipeline->log_text();
  EXPECT_NE(log.find("WARN preferences_store"), std::string::npos) << log;
  auto all = smtp->received();
  ASSERT_TRUE(all.ok());
  std::set<std::string> expected = matched_ids(numbered_items("a", 1, 6), kItemRule, "ralph");
  expected.merge(matched_ids(after_edit, kEditedRule, "ralph"));
  ASSERT_EQ(expected.size(), 9u);
  EXPECT_EQ(describe(received_ids(all.value())), describe(once_each(expected)));
}

}  // namespace
}  // namespace fmn::faults
