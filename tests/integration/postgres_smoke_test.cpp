// PostgreSQL through libpqxx against a private server from tests/support.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "tests/support/postgres_server.h"

namespace fmn::test {
namespace {

TEST(PostgresSmoke, CreateInsertSelect) {
  auto pg = PostgresServer::start();
  ASSERT_TRUE(pg.ok()) << pg.error().message;

  pqxx::connection db{pg->connection_string()};
  pqxx::work tx{db};
  tx.exec0("CREATE TABLE rules (id serial PRIMARY KEY, owner text NOT NULL, source text NOT NULL)");
  tx.exec0("INSERT INTO rules (owner, source) VALUES ('alice', 'topic == \"a\"'), ('bob', 'true')");
  const pqxx::result rows = tx.exec("SELECT owner, source FROM rules ORDER BY id");
  const std::string version = tx.exec1("SELECT version()")[0].as<std::string>();
  tx.commit();

  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0].as<std::string>(), "alice");
  EXPECT_EQ(rows[0][1].as<std::string>(), "topic == \"a\"");
  EXPECT_EQ(rows[1][0].as<std::string>(), "bob");
  EXPECT_EQ(db.dbname(), std::string("fmn_test"));
  EXPECT_TRUE(version.starts_with("PostgreSQL 15")) << version;
  announce_real_server("PostgreSQL at " + pg->uri() + ": 2 rows written and read back; " + version);
}

TEST(PostgresSmoke, CommittedRowsSurviveAKill) {
  auto pg = PostgresServer::start();
  ASSERT_TRUE(pg.ok()) << pg.error().message;
  {
    pqxx::connection db{pg->connection_string()};
    pqxx::work tx{db};
    tx.exec0("CREATE TABLE t (v int)");
    tx.exec0("INSERT INTO t VALUES (42)");
    tx.commit();
  }
  pg->kill();
  EXPECT_THROW(pqxx::connection{pg->connection_string()}, pqxx::broken_connection);

  auto restarted = pg->restart();
  ASSERT_TRUE(restarted.ok()) << restarted.error().message;
  pqxx::connection db{pg->connection_string()};
  pqxx::work tx{db};
  EXPECT_EQ(tx.exec1("SELECT v FROM t")[0].as<int>(), 42);
  announce_real_server("PostgreSQL at " + pg->uri() + ": row kept across kill -9 and restart");
}

}  // namespace
}  // namespace fmn::test
