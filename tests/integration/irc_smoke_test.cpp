// Two IRC users on the private ngIRCd from tests/support: one sends, the other receives.
#include <gtest/gtest.h>

#include "tests/support/irc_server.h"
#include "tests/support/irc_test_client.h"

namespace fmn::test {
namespace {

constexpr Duration kTimeout = std::chrono::seconds(10);

TEST(IrcSmoke, PrivmsgReachesTheOtherUser) {
  auto irc = IrcServer::start();
  ASSERT_TRUE(irc.ok()) << irc.error().message;
  auto bot = IrcTestClient::connect(irc->port(), "fmn-bot", kTimeout);
  ASSERT_TRUE(bot.ok()) << bot.error().message;
  auto alice = IrcTestClient::connect(irc->port(), "alice", kTimeout);
  ASSERT_TRUE(alice.ok()) << alice.error().message;

  ASSERT_TRUE(bot->privmsg("alice", "bodhi: FEDORA-2024-1234 was pushed to stable").ok());
  auto got = alice->wait_for("PRIVMSG", kTimeout);
  ASSERT_TRUE(got.ok()) << got.error().message << "\nserver output:\n" << irc->log_text();

  EXPECT_EQ(got->nick(), "fmn-bot");
  ASSERT_EQ(got->params.size(), 2u);
  EXPECT_EQ(got->params[0], "alice");
  EXPECT_EQ(got->params[1], "bodhi: FEDORA-2024-1234 was pushed to stable");
  announce_real_server("IRC at " + loopback_address(irc->port()) +
                       ": PRIVMSG fmn-bot -> alice delivered by ngIRCd");
}

TEST(IrcSmoke, ClientsReconnectAfterARestart) {
  auto irc = IrcServer::start();
  ASSERT_TRUE(irc.ok()) << irc.error().message;
  auto alice = IrcTestClient::connect(irc->port(), "alice", kTimeout);
  ASSERT_TRUE(alice.ok()) << alice.error().message;

  auto restarted = irc->restart();
  ASSERT_TRUE(restarted.ok()) << restarted.error().message;
  EXPECT_FALSE(alice->wait_for("PRIVMSG", kTimeout).ok());  // the old session is gone

  alice = IrcTestClient::connect(irc->port(), "alice", kTimeout);
  ASSERT_TRUE(alice.ok()) << alice.error().message;
  auto bot = IrcTestClient::connect(irc->port(), "fmn-bot", kTimeout);
  ASSERT_TRUE(bot.ok()) << bot.error().message;
  ASSERT_TRUE(bot->privmsg("alice", "back").ok());
  auto got = alice->wait_for("PRIVMSG", kTimeout);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->params.back(), "back");
}

TEST(IrcSmoke, ParsesLines) {
  const IrcLine line = parse_irc_line(":bot!~b@127.0.0.1 PRIVMSG alice :hello: world");
  EXPECT_EQ(line.prefix, "bot!~b@127.0.0.1");
  EXPECT_EQ(line.nick(), "bot");
  EXPECT_EQ(line.command, "PRIVMSG");
  EXPECT_EQ(line.params, (std::vector<std::string>{"alice", "hello: world"}));
  EXPECT_EQ(parse_irc_line("PING :irc.fmn.test").params, std::vector<std::string>{"irc.fmn.test"});
}

}  // namespace
}  // namespace fmn::test
