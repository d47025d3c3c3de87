// The IRC sink against a real ngIRCd: a client registered as the recipient receives the
// expected PRIVMSGs, in order, paced by the flood limit, with hostile text kept inert.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "sinks/irc_sink.h"
#include "sinks/text_escape.h"
#include "tests/sinks/notification_fixture.h"
#include "tests/support/fake_clock.h"
#include "tests/support/irc_server.h"
#include "tests/support/irc_test_client.h"

namespace fmn::sinks {
namespace {

using namespace std::chrono_literals;
using testing::make_notification;
using testing::MessageSpec;

Notification to(const std::string& nick, int i, std::string subtitle = {}) {
  MessageSpec spec;
  spec.msg_id = "2024-" + std::to_string(i);
  spec.subtitle = subtitle.empty() ? "message " + std::to_string(i) : subtitle;
  spec.link = "https://example.org/" + std::to_string(i);
  return make_notification(spec, DestinationKind::kIrc, nick);
}

// Drives the sink like its thread would until `done` or the deadline.
template <typename Done>
void pump_until(IrcSink& sink, Done done, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline) sink.pump(50ms);
}

TEST(IrcSinkNgircd, RecipientReceivesPacedPrivmsgsInOrder) {
  auto irc = test::IrcServer::start();
  ASSERT_TRUE(irc.ok()) << irc.error().message;
  std::printf("IRC server (ngircd) on 127.0.0.1:%d\n", irc->port());
  auto alice = test::IrcTestClient::connect(irc->port(), "alice", 30s);
  ASSERT_TRUE(alice.ok()) << alice.error().message;

  IrcConfig config;
  config.nick = "fmnbot";
  config.render.irc_colors = false;
  config.target_lines_per_second = 4;  // faster than production, to keep the test short
  config.target_burst = 2;
  // The flood limit runs on a Clock the test moves, so pacing is checked by counting lines, not
  // by timing them; the server, the connection and the recipient are real.
  test::FakeClock clock;
  IrcSink sink(std::make_unique<TcpIrcTransport>(irc->host(), irc->port()), config,
               TemplateSet::builtin(), clock);
  pump_until(
      sink, [&] { return sink.registered(); }, 30s);
  ASSERT_TRUE(sink.registered());

  std::vector<Notification> batch;
  for (int i = 0; i < 6; ++i) batch.push_back(to("alice", i));
  batch.push_back(to("alice", 6, "evil\r\nQUIT :bye\rPRIVMSG #x :spam " + std::string(3000, 'y')));
  sink.deliver(batch);
  // The burst of 2 goes out at once. While the Clock stands still nothing more does, however
  // often the sink runs (meanwhile it reads the server's PONGs).
  const size_t waiting = sink.queued();
  for (int i = 0; i < 10; ++i) sink.pump(20ms);
  EXPECT_EQ(sink.queued(), waiting);
  // A quarter of a second (4 lines/s) lets exactly one more line out.
  clock.advance(250ms);
  sink.pump(0ms);
  EXPECT_EQ(sink.queued(), waiting - 1);

  // As time moves on, every line reaches the recipient, in order.
  const size_t total = waiting + 2;
  std::vector<std::string> texts;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (texts.size() < total && std::chrono::steady_clock::now() < deadline) {
    clock.advance(250ms);
    sink.pump(20ms);
    auto line = alice->wait_for("PRIVMSG", 20ms);
    if (!line.ok()) continue;
    ASSERT_EQ(line->nick(), "fmnbot");
    ASSERT_EQ(line->params.size(), 2u);
    texts.push_back(line->params[1]);
  }
  ASSERT_EQ(texts.size(), total);
  ASSERT_GE(texts.size(), 7u);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(texts[i], "bodhi message " + std::to_string(i) + " https://example.org/" +
                            std::to_string(i) + " [my updates]");
  }
  // The hostile notification arrives as split PRIVMSG lines; nothing became a command.
  for (size_t i = 6; i < texts.size(); ++i) {
    EXPECT_TRUE(is_valid_utf8(texts[i]));
    EXPECT_LE(texts[i].size(), 512u);
  }
  EXPECT_EQ(texts[6].rfind("bodhi evil  QUIT :bye PRIVMSG #x :spam", 0), 0u) << texts[6];
}

TEST(IrcSinkNgircd, ReconnectsAfterTheServerRestarts) {
  auto irc = test::IrcServer::start();
  ASSERT_TRUE(irc.ok()) << irc.error().message;
  IrcConfig config;
  config.nick = "fmnbot";
  config.reconnect.initial = 100ms;
  config.reconnect.max = 500ms;
  IrcSink sink(std::make_unique<TcpIrcTransport>(irc->host(), irc->port()), config);
  pump_until(
      sink, [&] { return sink.registered(); }, 30s);
  ASSERT_TRUE(sink.registered());
  ASSERT_TRUE(irc->restart().ok()) << irc->log_text();
  pump_until(
      sink, [&] { return !sink.registered(); }, 10s);
  auto bob = test::IrcTestClient::connect(irc->port(), "bob", 30s);
  ASSERT_TRUE(bob.ok()) << bob.error().message;
  const std::vector<Notification> batch = {to("bob", 1)};
  sink.deliver(batch);
  pump_until(
      sink, [&] { return sink.registered() && sink.queued() == 0; }, 30s);
  auto line = bob->wait_for("PRIVMSG", 10s);
  ASSERT_TRUE(line.ok()) << line.error().message;
  EXPECT_NE(line->params[1].find("message 1"), std::string::npos);
}

}  // namespace
}  // namespace fmn::sinks
