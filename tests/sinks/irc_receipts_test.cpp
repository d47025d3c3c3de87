#include "sinks/irc_receipts.h"

#include <gtest/gtest.h>

namespace fmn::sinks {
namespace {

const IrcReceipts::time_point t0{};

IrcPrivmsg line(const std::string& target, int i) {
  return {target, "PRIVMSG " + target + " :" + std::to_string(i), true};
}

std::vector<std::string> texts(const std::vector<IrcPrivmsg>& lines) {
  std::vector<std::string> out;
  for (const IrcPrivmsg& l : lines) out.push_back(l.text);
  return out;
}

TEST(IrcReceipts, APongConfirmsTheRoundsBeforeItsPing) {
  IrcReceipts r;
  EXPECT_EQ(r.checkpoint(t0), "");  // nothing sent: no PING
  r.sent(line("alice", 1));
  r.sent(line("bob", 2));
  const std::string first = r.checkpoint(t0);
  r.sent(line("alice", 3));
  const std::string second = r.checkpoint(t0);
  ASSERT_NE(first, second);
  EXPECT_EQ(r.oldest_checkpoint(), t0);

  auto settled = r.confirmed(first);
  EXPECT_EQ(texts(settled.accepted),
            (std::vector<std::string>{"PRIVMSG alice :1", "PRIVMSG bob :2"}));
  EXPECT_TRUE(settled.refused.empty());
  EXPECT_TRUE(r.confirmed(first).accepted.empty());  // answered twice: settles nothing
  EXPECT_TRUE(r.confirmed("someone-else").accepted.empty());
  EXPECT_EQ(texts(r.confirmed(second).accepted), (std::vector<std::string>{"PRIVMSG alice :3"}));
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.oldest_checkpoint(), std::nullopt);
}

TEST(IrcReceipts, ARefusalNamesTheTargetsOldestUnconfirmedLine) {
  IrcReceipts r;
  r.sent(line("alice", 1));
  r.sent(line("bob", 2));
  const std::string first = r.checkpoint(t0);
  r.sent(line("alice", 3));
  const std::string second = r.checkpoint(t0);
  // The server's answers, in order: alice was not there for line 3 only.
  auto settled = r.confirmed(first);
  r.refused("alice");
  auto later = r.confirmed(second);
  EXPECT_EQ(settled.accepted.size(), 2u);
  EXPECT_TRUE(later.accepted.empty());
  EXPECT_EQ(texts(later.refused), (std::vector<std::string>{"PRIVMSG alice :3"}));
}

TEST(IrcReceipts, UnconfirmedLinesComeBackInOrderWhenTheConnectionDrops) {
  IrcReceipts r;
  r.sent(line("alice", 1));
  const std::string first = r.checkpoint(t0);
  r.sent(line("bob", 2));
  r.checkpoint(t0);
  r.sent(line("alice", 3));  // sent, its round not even closed
  EXPECT_EQ(texts(r.unconfirmed()),
            (std::vector<std::string>{"PRIVMSG alice :1", "PRIVMSG bob :2", "PRIVMSG alice :3"}));
  EXPECT_TRUE(r.empty());
  EXPECT_TRUE(r.confirmed(first).accepted.empty());
}

}  // namespace
}  // namespace fmn::sinks
