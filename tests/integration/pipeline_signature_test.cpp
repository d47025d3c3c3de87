// Signature validation on the real fmn-pipeline, subscribed to a ZeroMQ bus: configured with a
// CA made by the openssl tool, it delivers the messages signed with a certificate of that CA and
// drops the others, each counted by reason in /metrics and logged with its msg_id and topic.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <csignal>
#include <fstream>

#include "tests/integration/pipeline_process.h"
#include "tests/support/loopback.h"
#include "tests/support/test_ca.h"
#include "tests/support/zmq_publisher.h"

namespace fmn::test {
namespace {

constexpr Duration kTimeout = std::chrono::seconds(60);

std::string topic_of(const std::string& kind, int n) {
  return "org.fedoraproject.prod.fmn." + kind + "." + std::to_string(n);
}

std::string envelope(const std::string& kind, int n) {
  return R"({"topic":")" + topic_of(kind, n) + R"(","msg":{"text":"h\u00e9llo \u2603","n":)" +
         std::to_string(n) + R"(,"ratio":0.25},"msg_id":"2024-)" + kind + "-" + std::to_string(n) +
         R"(","timestamp":1700000000,"i":)" + std::to_string(n) + R"(,"username":"fmn"})";
}

// `json` with the string value of `key` replaced by `value`.
std::string replace_string(std::string json, const std::string& key, const std::string& value) {
  size_t start = json.find("\"" + key + "\":\"") + key.size() + 4;
  json.replace(start, json.find('"', start) - start, value);
  return json;
}

TEST(PipelineSignatures, SignedMessagesAreDeliveredAndTheOthersCountedByReasonAndDropped) {
  auto ca = TestCa::create("pipeline");
  ASSERT_TRUE(ca.ok()) << ca.error().message;
  auto other = TestCa::create("pipeline-other");
  ASSERT_TRUE(other.ok()) << other.error().message;
  auto dir = TempDir::create("pipeline-signatures");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  const std::string config = (*dir / "fmn.toml").string(), prefs = (*dir / "prefs.toml").string();
  std::ofstream(config) << "[security]\nvalidate_signatures = true\nca_cert = \""
                        << ca->ca_certificate().string() << "\"\n";
  std::ofstream(prefs) << "version = 1\n[[users]]\nname = \"alice\"\n"
                          "[[users.destinations]]\nkind = \"email\"\naddress = \"a@example.org\"\n"
                          "[[users.rules]]\nname = \"everything of fmn\"\n"
                          "source = 'topic ~ \"*.fmn.*\"'\ndeliver = [{ to = \"email\" }]\n";

  std::vector<BusMessage> messages;
  auto add = [&](const std::string& kind, int n, Result<std::string> json) {
    ASSERT_TRUE(json.ok()) << json.error().message;
    messages.push_back({topic_of(kind, n), *json});
  };
  for (int n = 1; n <= 3; ++n) add("good", n, ca->sign(envelope("good", n)));
  add("unsigned", 1, envelope("unsigned", 1));
  auto tampered = ca->sign(envelope("tampered", 1));
  ASSERT_TRUE(tampered.ok()) << tampered.error().message;
  add("tampered", 1, replace_string(*tampered, "text", "jello"));
  add("foreign", 1, other->sign(envelope("foreign", 1)));
  auto malformed = ca->sign(envelope("malformed", 1));
  ASSERT_TRUE(malformed.ok()) << malformed.error().message;
  add("malformed", 1, replace_string(*malformed, "certificate", "bm90IGEgY2VydGlmaWNhdGU="));
  ASSERT_FALSE(HasFatalFailure());

  auto port = pick_free_port();
  ASSERT_TRUE(port.ok()) << port.error().message;
  auto publisher = ZmqPublisher::start(*port);
  ASSERT_TRUE(publisher.ok()) << publisher.error().message;
  auto p = PipelineProcess::start(
      "signatures", {"--config", config, "--connect", publisher->endpoint(), "--prefs", prefs},
      kTimeout);
  ASSERT_TRUE(p.ok()) << p.error().message;
  ASSERT_TRUE(publisher->wait_for_subscriptions(1, kTimeout).ok());
  ASSERT_TRUE(publisher->play(messages).ok());
  Status all = p->wait_metric("fmn_messages_received_total", messages.size(), kTimeout);
  ASSERT_TRUE(all.ok()) << all.error().message;

  for (const char* reason : {"unsigned", "bad_signature", "untrusted_certificate", "malformed"}) {
    EXPECT_EQ(p->metric("fmn_signature_rejected_total{reason=\"" + std::string(reason) + "\"}"), 1)
        << reason << "\n"
        << p->get("/metrics").second;
  }
  EXPECT_EQ(p->metric("fmn_parse_errors_total"), 0);
  std::optional<int> exit = p->process().stop(SIGTERM, kTimeout);
  ASSERT_TRUE(exit && WIFEXITED(*exit) && WEXITSTATUS(*exit) == 0) << p->output();

  std::vector<std::string> lines = p->notifications();
  ASSERT_EQ(lines.size(), 3u) << p->output();
  for (int n = 1; n <= 3; ++n) {
    EXPECT_NE(lines[n - 1].find(topic_of("good", n)), std::string::npos) << lines[n - 1];
  }
  const std::string output = p->output();
  for (const auto& [kind, reason] :
       {std::pair{"unsigned", "unsigned"}, std::pair{"tampered", "bad_signature"},
        std::pair{"foreign", "untrusted_certificate"}, std::pair{"malformed", "malformed"}}) {
    const std::string logged = "signature_rejected msg_id=2024-" + std::string(kind) +
                               "-1 topic=" + topic_of(kind, 1) + " reason=" + reason;
    EXPECT_NE(output.find(logged), std::string::npos) << logged << " in\n" << output;
  }
}

}  // namespace
}  // namespace fmn::test
