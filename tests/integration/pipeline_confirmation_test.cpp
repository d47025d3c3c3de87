// Confirmation answers that come back through a sink, through a running fmn-pipeline: an IRC
// nick answers its request by /msg to the bot (ngIRCd, preferences in PostgreSQL), and a
// webhook receiver echoes its challenge (a real HTTP receiver, preferences in a file). Either
// way the destination is confirmed in the store, and only by its own address with its code.
#include <gtest/gtest.h>

#include <csignal>
#include <thread>

#include "prefs/dsl_rule_validator.h"
#include "prefs/file_store.h"
#include "prefs/pg_store.h"
#include "tests/integration/pipeline_process.h"
#include "tests/support/irc_server.h"
#include "tests/support/irc_test_client.h"
#include "tests/support/loopback.h"
#include "tests/support/postgres_server.h"
#include "tests/support/temp_dir.h"
#include "tests/support/webhook_server.h"
#include "tests/web/http_test_client.h"

namespace fmn::test {
namespace {

constexpr Duration kTimeout = std::chrono::seconds(60);
const std::string kJson = "Content-Type: application/json";

// The next PRIVMSG or NOTICE (`command`) whose text holds `needle`; others are skipped.
Result<IrcLine> wait_for_text(IrcTestClient& client, std::string_view command,
                              std::string_view needle) {
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto line = client.wait_for(command, kTimeout);
    if (!line) return line.error();
    if (!line->params.empty() && line->params.back().find(needle) != std::string::npos) {
      return line;
    }
  }
  return Error{ErrorCode::kNotFound,
               std::string(command) + " with \"" + std::string(needle) + "\" never came"};
}

prefs::ConfirmationState chat_state(prefs::PreferenceStore& store) {
  auto ralph = store.load_user("ralph");
  EXPECT_TRUE(ralph.ok() && ralph->has_value());
  if (!ralph.ok() || !ralph->has_value()) return prefs::ConfirmationState::kRejected;
  const prefs::Destination* chat = (*ralph)->find_destination("chat");
  EXPECT_NE(chat, nullptr);
  return chat != nullptr ? chat->confirmation.state : prefs::ConfirmationState::kRejected;
}

TEST(PipelineConfirmation, AnIrcNickConfirmsByMessagingTheBotAndOnlyItWithItsCode) {
  auto pg = PostgresServer::start();
  ASSERT_TRUE(pg.ok()) << pg.error().message;
  auto opened = prefs::PgStore::open(pg->connection_string(), prefs::dsl_rule_validator());
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  std::unique_ptr<prefs::PgStore> store = std::move(opened).value();
  auto demo = prefs::read_preferences_file(std::string(FMN_DATA_DIR) + "/prefs/default.toml",
                                           prefs::dsl_rule_validator());
  ASSERT_TRUE(demo.ok());
  ASSERT_TRUE(store->replace_all(*demo).ok());
  auto irc = IrcServer::start();
  ASSERT_TRUE(irc.ok()) << irc.error().message;
  auto rbean = IrcTestClient::connect(irc->port(), "RBean", kTimeout);
  auto mallory = IrcTestClient::connect(irc->port(), "mallory", kTimeout);
  ASSERT_TRUE(rbean.ok() && mallory.ok());
  auto bus = pick_free_port();
  auto web = pick_free_port();
  ASSERT_TRUE(bus.ok() && web.ok());
  const std::string app = "http://127.0.0.1:" + std::to_string(*web);
  auto p = PipelineProcess::start(
      "irc-confirmation",
      {"--connect", "tcp://127.0.0.1:" + std::to_string(*bus), "--prefs-db",
       pg->connection_string(), "--irc", loopback_address(irc->port()), "--web-demo",
       "--web-listen", "127.0.0.1:" + std::to_string(*web), "--public-url", app},
      kTimeout);
  ASSERT_TRUE(p.ok()) << p.error().message;

  const SignedIn ralph = demo_sign_in(app, "ralph");
  ASSERT_FALSE(ralph.csrf.empty());
  const HttpReply added =
      http_request("POST", app + "/api/v1/destinations", {ralph.cookie, ralph.csrf, kJson},
                   R"({"name":"chat","kind":"irc","address":"rbean"})");
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(http_request("POST", app + "/api/v1/destinations/chat/test", {ralph.cookie, ralph.csrf})
                .status,
            409);  // nothing but the request until it is confirmed

  auto request = wait_for_text(*rbean, "PRIVMSG", " confirm ralph ");
  ASSERT_TRUE(request.ok()) << request.error().message << "\n" << p->output();
  const std::string bot = request->nick();
  const std::string& text = request->params.back();
  const size_t at = text.find(" confirm ralph ") + 15;
  const std::string code = text.substr(at, text.find(' ', at) - at);
  ASSERT_EQ(code.size(), 16u) << text;

  ASSERT_TRUE(mallory->privmsg(bot, "confirm ralph " + code).ok());  // not the pending nick
  EXPECT_TRUE(wait_for_text(*mallory, "NOTICE", "No such").ok());
  ASSERT_TRUE(rbean->privmsg(bot, "confirm ralph wrongcode0000000").ok());
  EXPECT_TRUE(wait_for_text(*rbean, "NOTICE", "No such").ok());
  EXPECT_EQ(chat_state(*store), prefs::ConfirmationState::kPending);

  ASSERT_TRUE(rbean->privmsg(bot, "hello bot").ok());  // chatter: counted, ignored
  ASSERT_TRUE(rbean->privmsg(bot, "CONFIRM ralph " + code).ok());
  auto confirmed = wait_for_text(*rbean, "NOTICE", "Confirmed");
  ASSERT_TRUE(confirmed.ok()) << confirmed.error().message << "\n" << p->output();
  EXPECT_EQ(chat_state(*store), prefs::ConfirmationState::kConfirmed);
  EXPECT_EQ(p->output().find(code), std::string::npos);  // the code is never logged

  const HttpReply test =
      http_request("POST", app + "/api/v1/destinations/chat/test", {ralph.cookie, ralph.csrf});
  EXPECT_EQ(test.status, 202) << test.body;
  EXPECT_TRUE(wait_for_text(*rbean, "PRIVMSG", "test notification").ok()) << p->output();
  EXPECT_EQ(p->metric("fmn_irc_answers_total"), 3);
  EXPECT_EQ(p->metric("fmn_irc_answers_ignored_total"), 1);
  EXPECT_TRUE(p->process().stop(SIGTERM, kTimeout).has_value());
}

TEST(PipelineConfirmation, AWebhookThatEchoesItsChallengeIsConfirmedInTheStore) {
  auto receiver = WebhookServer::start("any-secret-of-16-chars");
  ASSERT_TRUE(receiver.ok()) << receiver.error().message;
  auto dir = TempDir::create("pipeline-webhook-confirmation");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  const auto prefs = dir.value() / "prefs.toml";
  ASSERT_TRUE(write_file(prefs, "version = 1\n[[users]]\nname = \"alice\"\n").ok());
  const auto config = dir.value() / "fmn.toml";
  ASSERT_TRUE(write_file(config, "[webhook]\nenabled = true\n").ok());
  auto bus = pick_free_port();
  auto web = pick_free_port();
  ASSERT_TRUE(bus.ok() && web.ok());
  const std::string app = "http://127.0.0.1:" + std::to_string(*web);
  auto p = PipelineProcess::start(
      "webhook-confirmation",
      {"--config", config.string(), "--connect", "tcp://127.0.0.1:" + std::to_string(*bus),
       "--prefs", prefs.string(), "--web-demo", "--web-listen", "127.0.0.1:" + std::to_string(*web),
       "--public-url", app},
      kTimeout);
  ASSERT_TRUE(p.ok()) << p.error().message;

  const SignedIn alice = demo_sign_in(app, "alice");
  const HttpReply added = http_request(
      "POST", app + "/api/v1/destinations", {alice.cookie, alice.csrf, kJson},
      R"({"name":"hook","kind":"webhook","address":")" + receiver->url("/fmn") + "\"}");
  ASSERT_EQ(added.status, 201) << added.body;
  auto got = receiver->wait_for_requests(1, kTimeout);
  ASSERT_TRUE(got.ok()) << got.error().message << "\n" << p->output();
  EXPECT_EQ(got->front().event, "confirmation");

  // The answer is recorded once the challenge came back; read the store until it shows.
  prefs::FileStore store(prefs.string(), prefs::dsl_rule_validator());
  auto state = [&] {
    auto user = store.load_user("alice");
    const prefs::Destination* hook =
        user.ok() && user->has_value() ? (*user)->find_destination("hook") : nullptr;
    return hook != nullptr ? hook->confirmation.state : prefs::ConfirmationState::kRejected;
  };
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  while (state() != prefs::ConfirmationState::kConfirmed &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling, not proving
  }
  EXPECT_EQ(state(), prefs::ConfirmationState::kConfirmed) << p->output();
  EXPECT_TRUE(p->process().stop(SIGTERM, kTimeout).has_value());
}

}  // namespace
}  // namespace fmn::test
