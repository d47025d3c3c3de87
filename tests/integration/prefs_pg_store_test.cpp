// The PostgreSQL preference store against a real server: migrations, round trips, bad input.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include <fstream>
#include <sstream>

#include "core/destination_kinds.h"
#include "prefs/file_store.h"
#include "prefs/pg_migrations.h"
#include "prefs/pg_store.h"
#include "prefs/toml_writer.h"
#include "tests/support/postgres_server.h"

namespace fmn::prefs {
namespace {

// Rejects rule text containing "invalid" (at its position), so that a test can tell a stored
// rule from a refused one without depending on the rule language's details.
std::vector<Diagnostic> reject_marked(std::string_view source, const User&) {
  size_t at = source.find("invalid");
  if (at == std::string_view::npos) return {};
  return {Diagnostic{.span = TextSpan::point(1, static_cast<uint32_t>(at + 1)),
                     .message = "unknown field `invalid`"}};
}

std::string default_file_text() {
  std::ifstream in(std::string(FMN_DATA_DIR) + "/prefs/default.toml");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class PgStoreTest : public ::testing::Test {
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
    auto store = PgStore::open(pg_->connection_string(), reject_marked);
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::move(store).value();
    test::announce_real_server("PostgreSQL at " + pg_->uri() + " (preferences store)");
  }

  Population load() {
    auto population = store_->load_all();
    EXPECT_TRUE(population.ok()) << population.error().message;
    return population.ok() ? std::move(population).value() : Population{};
  }

  // `population` stored through the bulk path (COPY) and, from an empty database, through the
  // per-user path (prepared statements): each reads back as it was written.
  void expect_both_write_paths_keep(const Population& population) {
    const std::string text = write_preferences_toml(population);
    ASSERT_TRUE(store_->replace_all(population).ok());
    EXPECT_EQ(write_preferences_toml(load()), text);
    ASSERT_TRUE(store_->replace_all(Population{}).ok());
    for (const auto& user : population.users) {
      auto status = store_->put_user(user);
      ASSERT_TRUE(status.ok()) << status.error().message;
    }
    EXPECT_EQ(write_preferences_toml(load()), text);
  }

  static inline std::unique_ptr<test::PostgresServer> pg_;
  std::unique_ptr<PgStore> store_;
};

TEST_F(PgStoreTest, ToolsRefuseADatabaseWithoutTheSchemaAndAReadOnlyRoleOpensACurrentOne) {
  store_.reset();
  {
    pqxx::connection db(pg_->connection_string());
    pqxx::work tx(db);
    tx.exec0("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    tx.commit();
  }
  auto refused = PgStore::open(pg_->connection_string(), reject_marked, SchemaPolicy::kExisting);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("run `fmn-prefs migrate` first"), std::string::npos)
      << refused.error().message;
  pqxx::connection db(pg_->connection_string());
  EXPECT_EQ(pg::schema_version(db).value(), 0) << "the refusal created nothing";

  ASSERT_TRUE(PgStore::open(pg_->connection_string(), reject_marked).ok());  // migrates
  ASSERT_TRUE(PgStore::open(pg_->connection_string(), reject_marked, SchemaPolicy::kExisting).ok());
  {
    // The service's role needs no more than reading the tables once the schema is current.
    pqxx::work tx(db);
    tx.exec0(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fmn_reader') THEN "
        "CREATE ROLE fmn_reader LOGIN; END IF; END $$");
    tx.exec0("GRANT USAGE ON SCHEMA public TO fmn_reader");
    tx.exec0("GRANT SELECT ON ALL TABLES IN SCHEMA public TO fmn_reader");
    tx.commit();
  }
  std::string reader = pg_->connection_string();
  reader.replace(reader.find("user=postgres"), 13, "user=fmn_reader");
  auto read_only = PgStore::open(reader, reject_marked);
  ASSERT_TRUE(read_only.ok()) << read_only.error().message;
  auto population = (*read_only)->load_all();
  EXPECT_TRUE(population.ok()) << population.error().message;
}

TEST_F(PgStoreTest, MigratesAnEmptyDatabaseOnceAndRefusesANewerOne) {
  pqxx::connection db(pg_->connection_string());
  auto version = pg::schema_version(db);
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(*version, pg::migrations().back().version);
  auto again = pg::migrate(db);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, *version);
  {
    pqxx::work tx(db);
    EXPECT_EQ(tx.exec1("SELECT count(*) FROM fmn_schema_version")[0].as<int>(), *version);
    tx.exec0("INSERT INTO fmn_schema_version (version, name) VALUES (999, 'future')");
    tx.commit();
  }
  auto refused = pg::migrate(db);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("newer than this fmn"), std::string::npos);
}

TEST_F(PgStoreTest, TheKindCheckIsWrittenFromTheTableOfKinds) {
  pqxx::connection db(pg_->connection_string());
  // Whether a destination row of `kind`, with or without a token, passes the constraints.
  auto accepted = [&](std::string_view kind, bool token) {
    pqxx::work tx(db);
    try {
      const int64_t user =
          tx.exec1("INSERT INTO fmn_users (name) VALUES ('kinds') RETURNING id")[0].as<int64_t>();
      tx.exec0("INSERT INTO fmn_destinations (user_id, name, kind, address, token) VALUES (" +
               std::to_string(user) + ", 'd', " + tx.quote(std::string(kind)) + ", 'x', " +
               (token ? "'secret-secret-secret'" : "NULL") + ")");
      return true;  // rolled back with tx
    } catch (const pqxx::check_violation&) {
      return false;
    }
  };
  auto check_everything = [&] {
    for (const DestinationKindInfo& kind : destination_kinds()) {
      const bool secret = !kind.secret_holder.empty();
      EXPECT_EQ(accepted(kind.name, secret), kind.user_destination) << kind.name;
      if (kind.user_destination) {
        EXPECT_FALSE(accepted(kind.name, !secret)) << kind.name;
      }
    }
    EXPECT_FALSE(accepted("pager", false));
  };
  check_everything();

  // A database whose check a binary with other kinds wrote is rewritten at the next start.
  {
    pqxx::work tx(db);
    tx.exec0("ALTER TABLE fmn_destinations DROP CONSTRAINT fmn_destinations_kinds");
    tx.exec0(
        "ALTER TABLE fmn_destinations ADD CONSTRAINT fmn_destinations_kinds CHECK (kind = "
        "'email')");
    tx.commit();
  }
  auto migrated = pg::migrate(db);
  ASSERT_TRUE(migrated.ok()) << migrated.error().message;
  check_everything();
}

TEST_F(PgStoreTest, DeliveryTimesAndMutesSurviveBothWritePaths) {
  std::ifstream in(std::string(FMN_DATA_DIR) + "/prefs/explain.toml");
  std::ostringstream file;
  file << in.rdbuf();
  auto population = parse_preferences_text(file.str(), "explain.toml", reject_marked);
  ASSERT_TRUE(population.ok()) << population.error().message;
  // Mutes on the user and on a destination, beside the snoozes.
  for (User& u : population->users) {
    if (u.name != "petr") continue;
    u.muted_until = 1714593600;
    u.destinations[0].muted_until = 1714633200;
  }
  const std::string text = write_preferences_toml(*population);
  ASSERT_NE(text.find("muted_until = 2024-05-01T20:00:00Z\n"), std::string::npos);
  ASSERT_NE(text.find("muted_until = 2024-05-02T07:00:00Z\n"), std::string::npos);
  ASSERT_NE(text.find("tz = \"Europe/Prague\""), std::string::npos);
  ASSERT_NE(text.find("quiet = \"22:00-07:00\""), std::string::npos);
  ASSERT_NE(text.find("at = \"08:00\""), std::string::npos);
  ASSERT_NE(text.find("snoozed_until = "), std::string::npos);
  expect_both_write_paths_keep(*population);
  auto petr = store_->load_user("petr");
  ASSERT_TRUE(petr.ok() && petr->has_value());
  EXPECT_EQ(write_user_toml(**petr), write_user_toml(*population->find("petr")));
  EXPECT_EQ((*petr)->muted_until, 1714593600);
  EXPECT_EQ((*petr)->destinations[0].muted_until, 1714633200);
}

TEST_F(PgStoreTest, NamedListsSurviveBothWritePathsAndTheirConstraintsHold) {
  constexpr const char* kText = R"(version = 1

[[users]]
name = "ralph"

[users.lists]
awkward = ["a,b", "{braces}", "\"quoted\"", "back\\slash", "NULL", " spaced "]
channels = ["#fedora-devel"]
empty = []

[[users.rules]]
name = "channels"
source = 'msg.irc.channel in $lists.channels'

[[users]]
name = "kevin"

[users.lists]
friends = ["ralph"]
)";
  auto population = parse_preferences_text(kText, "lists.toml", reject_marked);
  ASSERT_TRUE(population.ok()) << population.error().message;
  const std::string text = write_preferences_toml(*population);
  ASSERT_NE(text.find("awkward = "), std::string::npos);
  expect_both_write_paths_keep(*population);
  auto ralph = store_->load_user("ralph");
  ASSERT_TRUE(ralph.ok() && ralph->has_value());
  EXPECT_EQ(write_user_toml(**ralph), write_user_toml(*population->find("ralph")));

  User edited = **ralph;  // an edit rewrites the lists too
  edited.lists.erase(edited.lists.begin());
  ASSERT_TRUE(store_->put_user(edited).ok());
  EXPECT_EQ(write_user_toml(*load().find("ralph")), write_user_toml(edited));

  pqxx::connection db(pg_->connection_string());
  for (const char* bad : {"('1x', '{}')", "('a-b', '{}')", "('channels', '{}')"}) {
    pqxx::work tx(db);
    EXPECT_THROW(tx.exec0(std::string("INSERT INTO fmn_user_lists (user_id, name, items) SELECT "
                                      "id, n, i::text[] FROM fmn_users, (VALUES ") +
                          bad + ") v(n, i) WHERE name = 'ralph'"),
                 pqxx::integrity_constraint_violation)
        << bad;
  }
}

TEST_F(PgStoreTest, FileToPostgresToFileIsIdentical) {
  std::string text = default_file_text();
  auto population = parse_preferences_text(text, "default.toml", reject_marked);
  ASSERT_TRUE(population.ok()) << population.error().message;
  ASSERT_EQ(write_preferences_toml(*population), text) << "the checked-in file is canonical";

  // Bulk path (COPY).
  ASSERT_TRUE(store_->replace_all(*population).ok());
  EXPECT_EQ(write_preferences_toml(load()), text);

  // Per-user path (prepared statements), into a fresh database state.
  ASSERT_TRUE(store_->replace_all(Population{}).ok());
  EXPECT_TRUE(load().users.empty());
  for (const auto& user : population->users) {
    auto status = store_->put_user(user);
    ASSERT_TRUE(status.ok()) << status.error().message;
  }
  EXPECT_EQ(write_preferences_toml(load()), text);
  for (const auto& user : population->users) {
    auto one = store_->load_user(user.name);
    ASSERT_TRUE(one.ok() && one->has_value());
    EXPECT_EQ(write_user_toml(**one), write_user_toml(user));
  }
}

TEST_F(PgStoreTest, EditsReplaceOneUserAndDropUnusedRuleTexts) {
  auto population = parse_preferences_text(default_file_text(), "default.toml", reject_marked);
  ASSERT_TRUE(population.ok());
  ASSERT_TRUE(store_->replace_all(*population).ok());
  User ralph = *population->find("ralph");
  ralph.rules[0].source = "agent == $me";
  ralph.rules.pop_back();
  ASSERT_TRUE(store_->put_user(ralph).ok());

  Population after = load();
  ASSERT_EQ(after.users.size(), population->users.size());
  EXPECT_EQ(write_user_toml(*after.find("ralph")), write_user_toml(ralph));
  EXPECT_EQ(write_user_toml(*after.find("kevin")), write_user_toml(*population->find("kevin")));

  auto removed = store_->remove_user("lmacken");
  ASSERT_TRUE(removed.ok());
  EXPECT_TRUE(*removed);
  EXPECT_FALSE(store_->remove_user("lmacken").value());
  EXPECT_EQ(load().find("lmacken"), nullptr);

  pqxx::connection db(pg_->connection_string());
  pqxx::read_transaction tx(db);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM fmn_rule_sources s WHERE NOT EXISTS "
                     "(SELECT 1 FROM fmn_rules r WHERE r.source_id = s.id)")[0]
                .as<int>(),
            0);
}

TEST_F(PgStoreTest, BadInputIsRejectedWithNothingApplied) {
  auto population = parse_preferences_text(default_file_text(), "default.toml", reject_marked);
  ASSERT_TRUE(population.ok());
  ASSERT_TRUE(store_->replace_all(*population).ok());
  const std::string before = write_preferences_toml(load());

  User ralph = *population->find("ralph");
  ralph.rules[1].source = "packages in $my_packages and invalid";
  auto bad_rule = store_->put_user(ralph);
  ASSERT_FALSE(bad_rule.ok());
  EXPECT_EQ(bad_rule.error().code, ErrorCode::kInvalidConfig);
  EXPECT_NE(bad_rule.error().message.find("rule \"my packages\": unknown field `invalid`"),
            std::string::npos)
      << bad_rule.error().message;

  ralph = *population->find("ralph");
  ralph.rules[0].deliveries[0].destination = "pager";
  auto unknown_destination = store_->put_user(ralph);
  ASSERT_FALSE(unknown_destination.ok());
  EXPECT_NE(unknown_destination.error().message.find("unknown destination \"pager\""),
            std::string::npos);

  ralph = *population->find("ralph");
  ralph.destinations[0].address = "kevin@fedoraproject.org";  // kevin's
  auto duplicate = store_->put_user(ralph);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, ErrorCode::kInvalidConfig);
  EXPECT_NE(duplicate.error().message.find("duplicate address"), std::string::npos)
      << duplicate.error().message;

  Population twice = *population;
  twice.users.push_back(twice.users[0]);
  auto import = store_->replace_all(twice);
  ASSERT_FALSE(import.ok());
  EXPECT_NE(import.error().message.find("duplicate user"), std::string::npos);

  EXPECT_EQ(write_preferences_toml(load()), before);
}

TEST_F(PgStoreTest, ConstraintsHoldAgainstHandWrittenSql) {
  auto population = parse_preferences_text(default_file_text(), "default.toml", reject_marked);
  ASSERT_TRUE(population.ok());
  ASSERT_TRUE(store_->replace_all(*population).ok());
  pqxx::connection db(pg_->connection_string());
  auto rejected = [&](const std::string& sql) {
    try {
      pqxx::work tx(db);
      tx.exec0(sql);
      tx.commit();
      return false;
    } catch (const pqxx::integrity_constraint_violation&) {
      return true;
    }
  };
  // A rule of ralph's delivering to kevin's destination.
  EXPECT_TRUE(rejected(
      "INSERT INTO fmn_deliveries (user_id, rule_id, destination_id) SELECT r.user_id, r.id, "
      "d.id FROM fmn_rules r, fmn_destinations d, fmn_users u, fmn_users k WHERE u.name = "
      "'ralph' AND r.user_id = u.id AND k.name = 'kevin' AND d.user_id = k.id LIMIT 1"));
  EXPECT_TRUE(
      rejected("UPDATE fmn_destinations SET address = 'kevin@fedoraproject.org' "
               "WHERE address = 'ralph@fedoraproject.org'"));
  EXPECT_TRUE(
      rejected("UPDATE fmn_destinations SET confirmation = 'pending' "
               "WHERE address = 'ralph@fedoraproject.org'"));
  EXPECT_TRUE(rejected("UPDATE fmn_users SET name = 'no spaces' WHERE name = 'ralph'"));
  EXPECT_TRUE(rejected("UPDATE fmn_users SET muted_until = -1 WHERE name = 'ralph'"));
  EXPECT_TRUE(rejected("UPDATE fmn_destinations SET muted_until = -1"));
}

}  // namespace
}  // namespace fmn::prefs
