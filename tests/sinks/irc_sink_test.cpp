#include "sinks/irc_sink.h"

#include <gtest/gtest.h>

#include "tests/sinks/notification_fixture.h"
#include "tests/support/fake_clock.h"

namespace fmn::sinks {
namespace {

using namespace std::chrono_literals;
using test::FakeClock;
using testing::make_notification;
using testing::MessageSpec;

TEST(IrcText, LinesFitTheProtocolAndSplitOnCharacters) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += "\xc3\xa9 ";  // "é " x 300 = 900 bytes
  IrcLineLimits limits;
  limits.max_lines = 10;
  const auto lines = privmsg_lines("alice", text, limits);
  ASSERT_GE(lines.size(), 3u);
  std::string joined;
  for (const std::string& line : lines) {
    EXPECT_LE(line.size() + 2 + limits.reserve, 512u);
    ASSERT_EQ(line.rfind("PRIVMSG alice :", 0), 0u);
    const std::string body = line.substr(15);
    EXPECT_TRUE(is_valid_utf8(body));
    if (!joined.empty()) joined += ' ';
    joined += body;
  }
  EXPECT_EQ(joined, text);  // only the spaces lines were split at are gone
}

TEST(IrcText, NothingCanEndTheCommand) {
  const auto lines = privmsg_lines("alice", "hi\rQUIT :bye\nJOIN #x\0", {});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].find_first_of(std::string("\r\n\0", 3)), std::string::npos);
  EXPECT_TRUE(privmsg_lines("a b", "x", {}).empty());
  EXPECT_TRUE(privmsg_lines("a,b", "x", {}).empty());
  EXPECT_TRUE(privmsg_lines(":a", "x", {}).empty());
  EXPECT_TRUE(privmsg_lines("a\r\nQUIT", "x", {}).empty());
  EXPECT_TRUE(privmsg_lines("", "x", {}).empty());
}

TEST(IrcText, OverlongTextIsCutWithAnEllipsis) {
  IrcLineLimits limits;
  limits.max_lines = 2;
  const auto lines = privmsg_lines("alice", std::string(5000, 'x'), limits);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[1].ends_with("\xe2\x80\xa6"));
}

TEST(TokenBucket, BurstThenRate) {
  const std::chrono::steady_clock::time_point t0{};
  TokenBucket bucket(1.0, 3, t0);
  EXPECT_TRUE(bucket.try_take(t0));
  EXPECT_TRUE(bucket.try_take(t0));
  EXPECT_TRUE(bucket.try_take(t0));
  EXPECT_FALSE(bucket.try_take(t0));
  EXPECT_EQ(bucket.next_available(t0), t0 + 1s);
  EXPECT_FALSE(bucket.try_take(t0 + 999ms));
  EXPECT_TRUE(bucket.try_take(t0 + 1s));
  EXPECT_TRUE(bucket.try_take(t0 + 100s));
  EXPECT_TRUE(bucket.try_take(t0 + 100s));
  EXPECT_TRUE(bucket.try_take(t0 + 100s));
  EXPECT_FALSE(bucket.try_take(t0 + 100s));  // never more than the burst
}

// A server played by the test: what the sink sent, and lines to give it. Like a real server it
// answers PINGs, and refuses PRIVMSGs to the nicks in `absent` (401), in order.
class ScriptedServer : public IrcTransport {
 public:
  Result<bool> connect() override {
    ++connects;
    if (refuse_connect) return Error{ErrorCode::kIo, "refused"};
    open = true;
    return true;
  }
  Result<bool> send_line(std::string_view line) override {
    if (!open) return Error{ErrorCode::kIo, "closed"};
    sent.emplace_back(line);
    if (line.starts_with("PING :") && answer_pings) {
      incoming.push_back(":irc.test PONG irc.test :" + std::string(line.substr(6)));
    }
    for (const std::string& nick : absent) {
      if (line.starts_with("PRIVMSG " + nick + " :")) {
        incoming.push_back(":irc.test 401 fmn " + nick + " :No such nick or channel name");
      }
    }
    return true;
  }
  Result<bool> read_lines(std::chrono::milliseconds, std::vector<std::string>& out) override {
    if (!open) return Error{ErrorCode::kIo, "closed"};
    out.insert(out.end(), incoming.begin(), incoming.end());
    incoming.clear();
    if (drop) {
      drop = false;
      open = false;
      return Error{ErrorCode::kIo, "connection reset"};
    }
    return true;
  }
  void close() override { open = false; }

  std::vector<std::string> privmsgs() const {
    std::vector<std::string> out;
    for (const std::string& s : sent) {
      if (s.starts_with("PRIVMSG")) out.push_back(s);
    }
    return out;
  }

  bool open = false, refuse_connect = false, drop = false, answer_pings = true;
  int connects = 0;
  std::vector<std::string> sent, incoming, absent;
};

struct Fixture {
  explicit Fixture(IrcConfig config = {}) {
    auto s = std::make_unique<ScriptedServer>();
    server = s.get();
    config.render.irc_colors = false;
    sink = std::make_unique<IrcSink>(std::move(s), config, TemplateSet::builtin(), clock);
  }
  void welcome() {
    sink->tick();
    server->incoming.push_back(":irc.test 001 fmn :Welcome");
    sink->tick();
    ASSERT_TRUE(sink->registered());
  }
  FakeClock clock;
  ScriptedServer* server;
  std::unique_ptr<IrcSink> sink;
};

Notification to(std::string nick, int i) {
  MessageSpec spec;
  spec.msg_id = "2024-" + std::to_string(i);
  spec.subtitle = "message " + std::to_string(i);
  spec.link.clear();
  return make_notification(spec, DestinationKind::kIrc, std::move(nick));
}

TEST(IrcSink, RegistersAndAnswersPings) {
  Fixture f;
  f.sink->tick();
  ASSERT_GE(f.server->sent.size(), 2u);
  EXPECT_EQ(f.server->sent[0], "NICK fmn");
  EXPECT_EQ(f.server->sent[1], "USER fmn 0 * :Fedora_Notifications");
  f.server->incoming = {":irc.test 433 * fmn :Nickname already in use"};
  f.sink->tick();
  EXPECT_EQ(f.server->sent.back(), "NICK fmn_");
  f.server->incoming = {"PING :irc.test", ":irc.test 001 fmn_ :Welcome"};
  f.sink->tick();
  EXPECT_EQ(f.server->sent.back(), "PONG :irc.test");
  EXPECT_TRUE(f.sink->registered());
}

TEST(IrcSink, SaslPlain) {
  IrcConfig config;
  config.sasl_user = "fmn";
  config.sasl_password = "secret";
  Fixture f(config);
  f.sink->tick();
  EXPECT_EQ(f.server->sent[0], "CAP REQ :sasl");
  f.server->incoming = {":irc.test CAP * ACK :sasl", "AUTHENTICATE +"};
  f.sink->tick();
  EXPECT_EQ(f.server->sent[f.server->sent.size() - 2], "AUTHENTICATE PLAIN");
  EXPECT_EQ(f.server->sent.back(), "AUTHENTICATE Zm1uAGZtbgBzZWNyZXQ=");  // fmn\0fmn\0secret
  f.server->incoming = {":irc.test 903 fmn :SASL authentication successful"};
  f.sink->tick();
  EXPECT_EQ(f.server->sent.back(), "CAP END");
}

TEST(IrcSink, PacesEachTargetAfterABurst) {
  Fixture f;
  f.welcome();
  std::vector<Notification> batch;
  for (int i = 0; i < 6; ++i) batch.push_back(to("alice", i));
  batch.push_back(to("bob", 100));
  f.sink->deliver(batch);
  // Burst of 3 for alice, 1 for bob.
  EXPECT_EQ(f.server->privmsgs().size(), 4u);
  f.clock.advance(999ms);
  f.sink->tick();
  EXPECT_EQ(f.server->privmsgs().size(), 4u);
  f.clock.advance(1ms);
  f.sink->tick();
  EXPECT_EQ(f.server->privmsgs().size(), 5u);
  f.clock.advance(2s);
  f.sink->tick();
  const auto sent = f.server->privmsgs();
  ASSERT_EQ(sent.size(), 7u);
  std::vector<std::string> alice;
  for (const std::string& s : sent) {
    if (s.starts_with("PRIVMSG alice :")) alice.push_back(s);
  }
  ASSERT_EQ(alice.size(), 6u);
  for (int i = 0; i < 6; ++i) {
    EXPECT_NE(alice[i].find("message " + std::to_string(i) + " "), std::string::npos) << alice[i];
  }
  f.sink->tick();  // reads the server's last PONG
  EXPECT_EQ(f.sink->counters().delivered.load(), 7u);
}

TEST(IrcSink, LinesUnconfirmedWhenTheConnectionDropsAreSentAgain) {
  Fixture f;
  f.welcome();
  f.server->answer_pings = false;  // the server dies before it answers
  f.sink->deliver(std::vector{to("alice", 1), to("alice", 2)});
  ASSERT_EQ(f.server->privmsgs().size(), 2u);
  f.server->drop = true;
  f.sink->tick();
  EXPECT_EQ(f.sink->counters().delivered.load(), 0u);
  EXPECT_EQ(f.sink->counters().retried.load(), 2u);
  EXPECT_EQ(f.sink->queued(), 2u);

  f.server->answer_pings = true;
  f.clock.advance(1s);
  f.welcome();
  f.sink->tick();
  const auto sent = f.server->privmsgs();
  ASSERT_EQ(sent.size(), 4u);
  EXPECT_EQ(sent[2], sent[0]);  // in their order, before anything newer
  EXPECT_EQ(sent[3], sent[1]);
  EXPECT_EQ(f.sink->counters().delivered.load(), 2u);
}

// The PING the sink sent last, answered by the server.
std::string pong_to_last_ping(const ScriptedServer& server) {
  for (auto it = server.sent.rbegin(); it != server.sent.rend(); ++it) {
    if (it->starts_with("PING :")) return ":irc.test PONG irc.test :" + it->substr(6);
  }
  return "";
}

TEST(IrcSink, ANotificationSettlesOnlyOnceTheServerConfirmedIt) {
  Fixture f;
  f.welcome();
  f.server->answer_pings = false;
  int settled = 0;
  std::vector<NotificationSettled> callbacks{[&] { ++settled; }};
  f.sink->deliver_confirmed(std::vector{to("alice", 1)}, callbacks);
  ASSERT_EQ(f.server->privmsgs().size(), 1u);
  f.sink->tick();
  EXPECT_EQ(settled, 0);  // written, not yet confirmed
  f.server->incoming.push_back(pong_to_last_ping(*f.server));
  f.sink->tick();
  EXPECT_EQ(settled, 1);
}

// The PONG after a round is read right after writing it, not at the next tick: a line the server
// took stays unconfirmed (sent twice after a crash) only for the server's round trip.
TEST(IrcSink, TheConfirmationOfARoundIsReadRightAfterWritingIt) {
  Fixture f;
  f.welcome();
  int settled = 0;
  std::vector<NotificationSettled> callbacks{[&] { ++settled; }};
  f.sink->deliver_confirmed(std::vector{to("alice", 1)}, callbacks);
  EXPECT_EQ(settled, 1);
  EXPECT_EQ(f.sink->counters().delivered.load(), 1u);
}

TEST(IrcSink, StoppingSendsWhatItCanWaitsForConfirmationThenQuits) {
  Fixture f;
  f.welcome();
  int settled = 0;
  std::vector<Notification> batch;
  std::vector<NotificationSettled> callbacks;
  for (int i = 0; i < 5; ++i) {
    batch.push_back(to("alice", i));
    callbacks.emplace_back([&] { ++settled; });
  }
  f.sink->deliver_confirmed(batch, callbacks);
  // The burst went out; the fake clock never lets the pacing send the other two.
  EXPECT_EQ(f.server->privmsgs().size(), 3u);
  EXPECT_EQ(f.sink->drain(200ms), 2u);
  EXPECT_EQ(settled, 3);  // the confirmed ones; the two left are not settled
  EXPECT_EQ(f.server->sent.back(), "QUIT :fmn is stopping");
  EXPECT_FALSE(f.server->open);
  EXPECT_EQ(f.sink->counters().delivered.load(), 3u);
}

TEST(IrcSink, ANickNotOnTheServerIsRetriedUntilItIsBack) {
  IrcConfig config;
  config.absent_target.jitter = 0;
  Fixture f(config);
  f.welcome();
  f.server->absent = {"alice"};
  f.sink->deliver(std::vector{to("alice", 1), to("bob", 2)});
  f.sink->tick();                                      // the 401 for alice, then the PONG
  EXPECT_EQ(f.sink->counters().delivered.load(), 1u);  // bob's
  EXPECT_EQ(f.sink->queued(), 1u);
  f.clock.advance(1s);
  f.sink->tick();
  EXPECT_EQ(f.server->privmsgs().size(), 2u);  // alice's line waits for the retry time
  f.server->absent.clear();                    // alice reconnected
  f.clock.advance(1s);
  f.sink->tick();
  f.sink->tick();
  const auto sent = f.server->privmsgs();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[2], sent[0]);
  EXPECT_EQ(f.sink->counters().delivered.load(), 2u);
  EXPECT_EQ(f.sink->counters().failed.load(), 0u);
}

TEST(IrcSink, ANickThatStaysAwayIsGivenUp) {
  IrcConfig config;
  config.absent_target.max_attempts = 2;
  config.absent_target.jitter = 0;
  std::vector<DeliveryFailure> failures;
  auto s = std::make_unique<ScriptedServer>();
  ScriptedServer* server = s.get();
  test::FakeClock clock;
  IrcSink sink(std::move(s), config, TemplateSet::builtin(), clock,
               [&](const DeliveryFailure& f) { failures.push_back(f); });
  sink.tick();
  server->incoming.push_back(":irc.test 001 fmn :Welcome");
  server->absent = {"alice"};
  sink.tick();
  sink.deliver(std::vector{to("alice", 1), to("alice", 2)});
  for (int i = 0; i < 10; ++i) {
    clock.advance(10s);
    sink.tick();
  }
  EXPECT_EQ(sink.queued(), 0u);
  EXPECT_EQ(sink.counters().failed.load(), 2u);
  EXPECT_EQ(sink.counters().delivered.load(), 0u);
  ASSERT_FALSE(failures.empty());
  EXPECT_EQ(failures.back().address, "alice");
}

TEST(IrcSink, ReconnectsWithBackoffAndKeepsQueuedLines) {
  Fixture f;
  f.welcome();
  f.server->drop = true;
  f.sink->tick();  // connection lost
  EXPECT_FALSE(f.sink->registered());
  f.server->refuse_connect = true;
  const std::vector<Notification> batch = {to("alice", 1)};
  f.sink->deliver(batch);
  EXPECT_EQ(f.sink->queued(), 1u);
  f.clock.advance(1s);
  f.sink->tick();  // first reconnect attempt fails
  const int attempts = f.server->connects;
  f.clock.advance(1s);
  f.sink->tick();  // backing off (2 s after the second failure): no attempt yet
  EXPECT_EQ(f.server->connects, attempts);
  f.server->refuse_connect = false;
  f.clock.advance(10s);
  f.welcome();
  f.sink->tick();
  ASSERT_EQ(f.server->privmsgs().size(), 1u);
  EXPECT_EQ(f.sink->queued(), 0u);
}

TEST(IrcSink, InvalidNickIsRejected) {
  Fixture f;
  f.welcome();
  const std::vector<Notification> batch = {to("alice\r\nQUIT", 1)};
  f.sink->deliver(batch);
  EXPECT_TRUE(f.server->privmsgs().empty());
  EXPECT_EQ(f.sink->counters().rejected.load(), 1u);
}

}  // namespace
}  // namespace fmn::sinks
