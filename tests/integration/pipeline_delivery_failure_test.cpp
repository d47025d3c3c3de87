// A destination that refuses deliveries for good, seen by the operator of a running
// fmn-pipeline: the real SMTP server answers 550 to the user's address, and the service logs
// the refusal with its context (user, kind, the address redacted) and counts it per kind and
// reason in /metrics.
#include <gtest/gtest.h>

#include <csignal>
#include <sstream>

#include "tests/integration/pipeline_process.h"
#include "tests/support/loopback.h"
#include "tests/support/smtp_server.h"
#include "tests/support/temp_dir.h"

namespace fmn::test {
namespace {

constexpr Duration kTimeout = std::chrono::seconds(60);
constexpr char kAddress[] = "alice.smith@example.org";
constexpr char kRefused[] = "fmn_delivery_failures_total{sink=\"email\",reason=\"refused\"}";

// The lines of `output` that contain `event`.
std::vector<std::string> lines_with(const std::string& output, const std::string& event) {
  std::vector<std::string> found;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    if (line.find(event) != std::string::npos) found.push_back(line);
  }
  return found;
}

TEST(PipelineDeliveryFailure, ASmtp550IsLoggedWithItsContextAndCounted) {
  auto smtp = SmtpServer::start();
  ASSERT_TRUE(smtp.ok()) << smtp.error().message;
  ASSERT_TRUE(smtp->set_mode(SmtpMode::kRejectPermanent).ok());
  auto dir = TempDir::create("pipeline-delivery-failure");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  const auto prefs = dir.value() / "prefs.toml";
  ASSERT_TRUE(write_file(prefs, std::string("version = 1\n[[users]]\nname = \"alice\"\n"
                                            "[[users.destinations]]\nkind = \"email\"\n"
                                            "address = \"") +
                                    kAddress +
                                    "\"\n[[users.rules]]\nname = \"updates\"\n"
                                    "source = 'topic ~ \"*.bodhi.*\"'\n"
                                    "deliver = [{ to = \"email\" }]\n")
                  .ok());
  auto bus = pick_free_port();
  ASSERT_TRUE(bus.ok()) << bus.error().message;
  const std::string endpoint = "tcp://127.0.0.1:" + std::to_string(*bus);
  auto p = PipelineProcess::start(
      "delivery-failure", {"--connect", endpoint, "--prefs", prefs.string(), "--smtp", smtp->url()},
      kTimeout);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->metric(kRefused), 0);

  auto replay = start_replay("delivery-failure-replay", endpoint, 1);
  ASSERT_TRUE(replay.ok()) << replay.error().message;
  auto replayed = wait_exit(*replay, kTimeout);
  ASSERT_TRUE(replayed.ok()) << replayed.error().message;
  Status refused = p->wait_metric(kRefused, 1, kTimeout);
  ASSERT_TRUE(refused.ok()) << refused.error().message << "\n" << smtp->log_text();

  const std::vector<std::string> logged = lines_with(p->output(), "delivery_refused");
  ASSERT_FALSE(logged.empty()) << p->output();
  for (const std::string& line : logged) {
    EXPECT_NE(line.find("user=alice"), std::string::npos) << line;
    EXPECT_NE(line.find("kind=email"), std::string::npos) << line;
    EXPECT_NE(line.find("a***@example.org"), std::string::npos) << line;
    EXPECT_NE(line.find("550"), std::string::npos) << line;
    EXPECT_EQ(line.find(kAddress), std::string::npos) << "the address in clear: " << line;
  }
  EXPECT_EQ(p->metric(R"(fmn_delivery_failures_total{sink="email",reason="gave_up"})"), 0);
  auto mail = smtp->received();
  ASSERT_TRUE(mail.ok()) << mail.error().message;
  EXPECT_TRUE(mail->empty());
  std::optional<int> exit = p->process().stop(SIGTERM, kTimeout);
  EXPECT_TRUE(exit.has_value());
}

}  // namespace
}  // namespace fmn::test
