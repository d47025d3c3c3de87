// "Send me a test notification" through a running fmn-pipeline: a signed-in user asks the web
// app for one, and it reaches their confirmed email address at the real SMTP server, saying it
// is a test, naming the user and the destination, and linking to the app.
#include <gtest/gtest.h>

#include <csignal>

#include "tests/integration/pipeline_process.h"
#include "tests/support/loopback.h"
#include "tests/support/smtp_server.h"
#include "tests/support/temp_dir.h"
#include "tests/web/http_test_client.h"

namespace fmn::test {
namespace {

constexpr Duration kTimeout = std::chrono::seconds(60);
constexpr char kAddress[] = "alice@example.org";

// `data` with quoted-printable soft line breaks joined.
std::string unfolded(std::string data) {
  for (size_t at; (at = data.find("=\r\n")) != std::string::npos;) data.erase(at, 3);
  return data;
}

TEST(PipelineTestNotification, ReachesTheUsersConfirmedAddressAtTheSmtpServer) {
  auto smtp = SmtpServer::start();
  ASSERT_TRUE(smtp.ok()) << smtp.error().message;
  auto dir = TempDir::create("pipeline-test-notification");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  const auto prefs = dir.value() / "prefs.toml";
  ASSERT_TRUE(write_file(prefs, std::string("version = 1\n[[users]]\nname = \"alice\"\n"
                                            "[[users.destinations]]\nkind = \"email\"\n"
                                            "address = \"") +
                                    kAddress + "\"\n")
                  .ok());
  auto bus = pick_free_port();
  auto web = pick_free_port();
  ASSERT_TRUE(bus.ok() && web.ok());
  const std::string app = "http://127.0.0.1:" + std::to_string(*web);
  auto p =
      PipelineProcess::start("test-notification",
                             {"--connect", "tcp://127.0.0.1:" + std::to_string(*bus), "--prefs",
                              prefs.string(), "--smtp", smtp->url(), "--web-demo", "--web-listen",
                              "127.0.0.1:" + std::to_string(*web), "--public-url", app},
                             kTimeout);
  ASSERT_TRUE(p.ok()) << p.error().message;

  const SignedIn alice = demo_sign_in(app, "alice");
  ASSERT_FALSE(alice.csrf.empty());
  const HttpReply sent =
      http_request("POST", app + "/api/v1/destinations/email/test", {alice.cookie, alice.csrf});
  EXPECT_EQ(sent.status, 202) << sent.body;

  auto mail = smtp->wait_for_mail(1, kTimeout);
  ASSERT_TRUE(mail.ok()) << mail.error().message << "\n" << p->output();
  ASSERT_EQ(mail->size(), 1u);
  EXPECT_EQ(mail->front().rcpt_to, std::vector<std::string>{kAddress});
  const std::string data = unfolded(mail->front().data);
  EXPECT_NE(data.find("This is a test notification for alice"), std::string::npos) << data;
  EXPECT_NE(data.find("\"email\""), std::string::npos) << data;
  EXPECT_NE(data.find(app), std::string::npos) << data;
  EXPECT_NE(data.find("X-Fedmsg-Topic: org.fedoraproject.fmn.test"), std::string::npos) << data;
  std::optional<int> exit = p->process().stop(SIGTERM, kTimeout);
  EXPECT_TRUE(exit.has_value());
}

}  // namespace
}  // namespace fmn::test
