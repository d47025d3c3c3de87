// Answers to confirmation requests sent to the IRC bot: what counts as one, who it is from, what
// the bot replies, and that garbage and floods are counted and ignored.
#include "sinks/irc_answers.h"

#include <gtest/gtest.h>

#include "sinks/irc_sink.h"
#include "tests/support/fake_clock.h"

namespace fmn::sinks {
namespace {

using namespace std::chrono_literals;

TEST(IrcAnswers, AConfirmOrRejectToTheBotIsAnAnswerFromTheSender) {
  IrcAnswer a;
  ASSERT_EQ(parse_irc_answer(":RBean!r@host PRIVMSG fmn :confirm ralph c0de42", "fmn", a),
            IrcAnswerKind::kAnswer);
  EXPECT_EQ(a.nick, "RBean");
  EXPECT_EQ(a.user, "ralph");
  EXPECT_EQ(a.code, "c0de42");
  EXPECT_TRUE(a.accept);
  ASSERT_EQ(parse_irc_answer(":rbean!r@host PRIVMSG FMN :  REJECT ralph c0de42 ", "fmn", a),
            IrcAnswerKind::kAnswer);
  EXPECT_FALSE(a.accept);
}

TEST(IrcAnswers, OtherMessagesAreNotForTheBotOrGarbage) {
  IrcAnswer a;
  EXPECT_EQ(parse_irc_answer(":x!u@h PRIVMSG #fedora :confirm ralph c", "fmn", a),
            IrcAnswerKind::kNotForBot);
  EXPECT_EQ(parse_irc_answer(":irc.test NOTICE fmn :hello", "fmn", a), IrcAnswerKind::kNotForBot);
  EXPECT_EQ(parse_irc_answer("PING :irc.test", "fmn", a), IrcAnswerKind::kNotForBot);
  for (const char* garbage :
       {":x!u@h PRIVMSG fmn :hello", ":x!u@h PRIVMSG fmn :confirm ralph",
        ":x!u@h PRIVMSG fmn :confirm ralph c extra", ":x!u@h PRIVMSG fmn :\x01VERSION\x01",
        ":x!u@h PRIVMSG fmn :confirm ra/ph c", ":irc.test PRIVMSG fmn :confirm ralph c",
        ":bad,nick!u@h PRIVMSG fmn :confirm ralph c", ":x!u@h PRIVMSG fmn :confirm ralph \x01"}) {
    EXPECT_EQ(parse_irc_answer(garbage, "fmn", a), IrcAnswerKind::kGarbage) << garbage;
  }
  EXPECT_EQ(
      parse_irc_answer(":x!u@h PRIVMSG fmn :confirm ralph " + std::string(500, 'c'), "fmn", a),
      IrcAnswerKind::kGarbage);
}

TEST(IrcAnswers, TheNoticeNamesTheOutcomeAndNeverTheCode) {
  const IrcAnswer a{"rbean", "ralph", "s3cret", true};
  EXPECT_NE(irc_answer_notice(a, ConfirmationOutcome::kDone).find("NOTICE rbean :Confirmed"),
            std::string::npos);
  EXPECT_NE(irc_answer_notice({"rbean", "ralph", "s3cret", false}, ConfirmationOutcome::kDone)
                .find(":Refused"),
            std::string::npos);
  EXPECT_NE(irc_answer_notice(a, ConfirmationOutcome::kExpired).find("expired"), std::string::npos);
  EXPECT_NE(irc_answer_notice(a, ConfirmationOutcome::kUnknownOrWrongCode).find("wrong code"),
            std::string::npos);
  for (auto outcome :
       {ConfirmationOutcome::kDone, ConfirmationOutcome::kExpired,
        ConfirmationOutcome::kUnknownOrWrongCode, ConfirmationOutcome::kUnavailable}) {
    EXPECT_EQ(irc_answer_notice(a, outcome).find("s3cret"), std::string::npos);
  }
}

// A server that delivers the lines the test queues and records what the sink sends.
class QueuedServer : public IrcTransport {
 public:
  Result<bool> connect() override { return true; }
  Result<bool> send_line(std::string_view line) override {
    sent.emplace_back(line);
    return true;
  }
  Result<bool> read_lines(std::chrono::milliseconds, std::vector<std::string>& out) override {
    out.insert(out.end(), incoming.begin(), incoming.end());
    incoming.clear();
    return true;
  }
  void close() override {}
  std::vector<std::string> sent, incoming;
};

TEST(IrcSink, HandsAnswersToTheHandlerAndRepliesWithANotice) {
  test::FakeClock clock;
  auto server = std::make_unique<QueuedServer>();
  QueuedServer& s = *server;
  std::vector<ConfirmationAnswer> answers;
  IrcConfig config;
  config.answers_burst = 2;
  IrcSink sink(std::move(server), config, TemplateSet::builtin(), clock, {},
               [&](const ConfirmationAnswer& a) {
                 answers.push_back(a);
                 return a.code == "good" ? ConfirmationOutcome::kDone
                                         : ConfirmationOutcome::kUnknownOrWrongCode;
               });
  s.incoming = {":irc.test 001 fmn :Welcome", ":RBean!r@h PRIVMSG fmn :confirm ralph good",
                ":rbean!r@h PRIVMSG fmn :hello there", ":other!o@h PRIVMSG fmn :reject ralph bad",
                ":flood!f@h PRIVMSG fmn :confirm ralph x"};
  sink.tick();
  sink.tick();
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[0].user, "ralph");
  EXPECT_EQ(answers[0].kind, "irc");
  EXPECT_EQ(answers[0].address, "RBean");  // the sender, as the server names it
  EXPECT_TRUE(answers[0].accept);
  EXPECT_EQ(answers[1].address, "other");
  EXPECT_FALSE(answers[1].accept);
  EXPECT_EQ(sink.answer_counters().answered.load(), 2u);
  EXPECT_EQ(sink.answer_counters().ignored.load(), 2u);  // the chatter and the flood
  std::vector<std::string> notices;
  for (const std::string& line : s.sent) {
    if (line.starts_with("NOTICE ")) notices.push_back(line);
  }
  ASSERT_EQ(notices.size(), 2u);
  EXPECT_TRUE(notices[0].starts_with("NOTICE RBean :Confirmed")) << notices[0];
  EXPECT_TRUE(notices[1].starts_with("NOTICE other :No such")) << notices[1];
  clock.advance(2s);  // the bucket refills: answers are taken again
  s.incoming = {":flood!f@h PRIVMSG fmn :confirm ralph x"};
  sink.tick();
  EXPECT_EQ(answers.size(), 3u);
}

}  // namespace
}  // namespace fmn::sinks
