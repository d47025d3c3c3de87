// The live change feed against a real PostgreSQL: NOTIFY-driven updates reach a running
// listener, only for the users that changed, and a database restart is survived.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "prefs/file_store.h"
#include "prefs/pg_change_listener.h"
#include "prefs/pg_store.h"
#include "prefs/toml_writer.h"
#include "tests/prefs/recording_sink.h"
#include "tests/support/postgres_server.h"

namespace fmn::prefs {
namespace {

std::vector<Diagnostic> accept_all(std::string_view, const User&) { return {}; }

Population demo_population() {
  auto population =
      read_preferences_file(std::string(FMN_DATA_DIR) + "/prefs/default.toml", accept_all);
  EXPECT_TRUE(population.ok()) << population.error().message;
  return population.ok() ? std::move(population).value() : Population{};
}

size_t change_count(const RecordingSink::Calls& calls) {
  size_t n = 0;
  for (const auto& batch : calls.changes) n += batch.size();
  return n;
}

class LiveUpdateTest : public ::testing::Test {
 protected:
  // One server for the suite (starting one takes seconds); each test starts from an empty
  // database.
  static void SetUpTestSuite() {
    auto pg = test::PostgresServer::start();
    ASSERT_TRUE(pg.ok()) << pg.error().message;
    pg_ = std::make_unique<test::PostgresServer>(std::move(pg).value());
  }
  static void TearDownTestSuite() { pg_.reset(); }

  void SetUp() override {
    ASSERT_NE(pg_, nullptr);
    {
      pqxx::connection db(pg_->connection_string());
      pqxx::work tx(db);
      tx.exec0("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
      tx.commit();
    }
    auto store = PgStore::open(pg_->connection_string(), accept_all);
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->replace_all(demo_population()).ok());
    auto listener =
        PgChangeListener::start(pg_->connection_string(), sink_,
                                {std::chrono::milliseconds(50), std::chrono::milliseconds(500),
                                 std::chrono::milliseconds(50)});
    ASSERT_TRUE(listener.ok()) << listener.error().message;
    listener_ = std::move(listener).value();
    test::announce_real_server("PostgreSQL at " + pg_->uri() + " (LISTEN fmn_prefs)");
  }
  void TearDown() override { listener_.reset(); }

  static inline std::unique_ptr<test::PostgresServer> pg_;
  std::unique_ptr<PgStore> store_;
  RecordingSink sink_;
  std::unique_ptr<PgChangeListener> listener_;
};

TEST_F(LiveUpdateTest, AnEditReachesTheListenerForThatUserOnly) {
  User ralph = *demo_population().find("ralph");
  ralph.rules[2].enabled = false;
  ASSERT_TRUE(store_->put_user(ralph).ok());
  ASSERT_TRUE(sink_.wait_for([](const auto& c) { return !c.changes.empty(); }));
  auto calls = sink_.calls();
  ASSERT_EQ(calls.changes[0].size(), 1u);
  EXPECT_EQ(calls.changes[0][0].name, "ralph");
  ASSERT_TRUE(calls.changes[0][0].user.has_value());
  EXPECT_EQ(write_user_toml(*calls.changes[0][0].user), write_user_toml(ralph));
  EXPECT_TRUE(calls.replaced.empty());
}

TEST_F(LiveUpdateTest, HandWrittenSqlIsSeenToo) {
  pqxx::connection db(pg_->connection_string());
  {
    pqxx::work tx(db);
    tx.exec0("UPDATE fmn_rules SET enabled = false WHERE name = 'playbooks'");
    tx.exec0("UPDATE fmn_users SET packages = packages || '{bodhi-client}' WHERE name = 'lmacken'");
    tx.commit();
  }
  ASSERT_TRUE(sink_.wait_for([](const auto& c) { return change_count(c) >= 2; }));
  std::map<std::string, User> seen;
  for (const auto& batch : sink_.calls().changes) {
    for (const auto& change : batch) {
      ASSERT_TRUE(change.user.has_value());
      seen[change.name] = *change.user;
    }
  }
  EXPECT_EQ(seen.size(), 2u);
  EXPECT_FALSE(seen["kevin"].rules[0].enabled);
  EXPECT_EQ(seen["lmacken"].packages.back(), "bodhi-client");

  {
    pqxx::work tx(db);
    tx.exec0(
        "INSERT INTO fmn_user_lists (user_id, name, items) SELECT id, 'friends', '{ralph}' "
        "FROM fmn_users WHERE name = 'lmacken'");
    tx.commit();
  }
  ASSERT_TRUE(sink_.wait_for([](const auto& c) {
    return !c.changes.empty() && c.changes.back().size() == 1 &&
           c.changes.back()[0].name == "lmacken" && c.changes.back()[0].user.has_value() &&
           c.changes.back()[0].user->lists.size() == 1;
  }));
  EXPECT_EQ(sink_.calls().changes.back()[0].user->lists[0].items,
            std::vector<std::string>{"ralph"});

  {
    pqxx::work tx(db);
    tx.exec0("DELETE FROM fmn_users WHERE name = 'kevin'");
    tx.commit();
  }
  ASSERT_TRUE(sink_.wait_for([](const auto& c) {
    return !c.changes.empty() && c.changes.back().size() == 1 &&
           c.changes.back()[0].name == "kevin" && !c.changes.back()[0].user.has_value();
  }));
}

TEST_F(LiveUpdateTest, ABulkImportAsksForAFullReload) {
  Population population = demo_population();
  population.users.pop_back();
  ASSERT_TRUE(store_->replace_all(population).ok());
  ASSERT_TRUE(sink_.wait_for([](const auto& c) { return !c.replaced.empty(); }));
  EXPECT_EQ(write_preferences_toml(sink_.calls().replaced[0]), write_preferences_toml(population));
}

TEST_F(LiveUpdateTest, SurvivesADatabaseRestart) {
  ASSERT_TRUE(pg_->stop().ok());
  ASSERT_TRUE(sink_.wait_for([](const auto& c) {
    return !c.statuses.empty() && !c.statuses.back().first;
  })) << "the listener did not report the lost connection";

  ASSERT_TRUE(pg_->restart().ok()) << pg_->log_text();
  // Back: everyone is reloaded, since notifications may have been missed meanwhile.
  ASSERT_TRUE(sink_.wait_for([](const auto& c) { return !c.replaced.empty(); }));
  EXPECT_EQ(sink_.calls().replaced[0].users.size(), demo_population().users.size());

  User lmacken = *demo_population().find("lmacken");
  lmacken.enabled = false;
  ASSERT_TRUE(store_->put_user(lmacken).ok());  // the store reconnects on its own too
  ASSERT_TRUE(sink_.wait_for([](const auto& c) {
    return !c.changes.empty() && c.changes.back()[0].name == "lmacken" &&
           !c.changes.back()[0].user->enabled;
  }));
}

}  // namespace
}  // namespace fmn::prefs
