#include "sinks/confirmation.h"

#include <gtest/gtest.h>

#include "sinks/email_sink.h"
#include "sinks/irc_sink.h"
#include "sinks/renderer.h"
#include "sinks/stdout_sink.h"

namespace fmn::sinks {
namespace {

ConfirmationRequest request(DestinationKind kind, std::string address) {
  return {"bowlofeggs", kind, std::move(address), "c0de-42", 1714568400};
}

TEST(Confirmation, EmailCarriesCodeAndBothLinks) {
  RenderConfig config;
  config.base_url = "https://n.example.org";
  Renderer r(TemplateSet::builtin(), config);
  RenderedEmail e;
  r.confirmation_email(request(DestinationKind::kEmail, "b+new@example.org"), e);
  EXPECT_EQ(e.subject, "Confirm b+new@example.org for Fedora notifications");
  EXPECT_NE(e.text.find("https://n.example.org/confirm?user=bowlofeggs&kind=email&address="
                        "b%2Bnew%40example.org&code=c0de-42&action=accept"),
            std::string::npos)
      << e.text;
  EXPECT_NE(e.text.find("&action=reject"), std::string::npos);
  EXPECT_NE(e.text.find("Confirmation code: c0de-42 (valid until 2024-05-01 13:00:00 UTC)"),
            std::string::npos);
}

TEST(Confirmation, IrcLineIsOneLine) {
  Renderer r;
  std::string line;
  r.confirmation_irc(request(DestinationKind::kIrc, "bowlofeggs"), "fmn", line);
  EXPECT_EQ(line.find_first_of("\r\n"), std::string::npos);
  EXPECT_NE(line.find("/msg fmn confirm bowlofeggs c0de-42"), std::string::npos) << line;
  EXPECT_NE(line.find("/msg fmn reject bowlofeggs c0de-42"), std::string::npos) << line;
  EXPECT_NE(line.find("kind=irc&address=bowlofeggs&code=c0de-42&action=accept"), std::string::npos);
}

TEST(Confirmation, FormPageEscapesTheTarget) {
  const std::string page = confirmation_form_page("/confirm?user=\"><script>x</script>", true);
  EXPECT_EQ(page.find("<script>"), std::string::npos);
  EXPECT_NE(page.find("method=\"post\""), std::string::npos);
  EXPECT_NE(page.find(">Accept</button>"), std::string::npos);
}

class Recorder : public SmtpTransport {
 public:
  SendResult send(const OutgoingEmail& email) override {
    sent.push_back(email);
    return {};
  }
  std::vector<OutgoingEmail> sent;
};

TEST(Confirmation, EmailSinkSendsItWithoutListHeaders) {
  auto transport = std::make_unique<Recorder>();
  Recorder* recorder = transport.get();
  EmailSink sink(std::move(transport), {});
  sink.send_confirmation(request(DestinationKind::kEmail, "new@example.org"));
  ASSERT_EQ(recorder->sent.size(), 1u);
  EXPECT_EQ(recorder->sent[0].to, "new@example.org");
  EXPECT_EQ(recorder->sent[0].data.find("List-Unsubscribe"), std::string::npos);
  EXPECT_NE(recorder->sent[0].data.find("Subject: Confirm new@example.org"), std::string::npos);
  sink.send_confirmation(request(DestinationKind::kEmail, "not an address"));
  EXPECT_EQ(recorder->sent.size(), 1u);
  EXPECT_EQ(sink.counters().rejected.load(), 1u);
}

TEST(StdoutSink, PrintsAConfirmationRequestWithItsLink) {
  char buffer[512] = {};
  std::FILE* out = fmemopen(buffer, sizeof buffer - 1, "w");
  ASSERT_NE(out, nullptr);
  StdoutSink sink(out, "http://localhost:8081");
  sink.send_confirmation({"ralph", DestinationKind::kEmail, "r@example.org", "c0de", 0});
  std::fclose(out);
  EXPECT_EQ(std::string(buffer),
            "ralph (email r@example.org) <- confirm at http://localhost:8081/confirm?user=ralph&"
            "kind=email&address=r%40example.org&code=c0de&action=accept\n");
  EXPECT_EQ(sink.counters().delivered.load(), 1u);
}

}  // namespace
}  // namespace fmn::sinks
