// SMTP through libcurl against the recording server from tests/support.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "tests/support/smtp_server.h"

namespace fmn::test {
namespace {

struct SendResult {
  CURLcode code;
  long response;  // the server's last SMTP reply code
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
  auto* rest = static_cast<std::string_view*>(user);
  const size_t n = std::min(size * count, rest->size());
  rest->copy(buffer, n);
  rest->remove_prefix(n);
  return n;
}

SendResult send_mail(const SmtpServer& smtp, const std::string& from, const std::string& to,
                     std::string_view message) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt(
      curl_slist_append(nullptr, ("<" + to + ">").c_str()), &curl_slist_free_all);
  const std::string url = smtp.url();
  const std::string mail_from = "<" + from + ">";
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(curl.get(), CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(curl.get(), CURLOPT_READDATA, &message);
  curl_easy_setopt(curl.get(), CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 30L);
  SendResult result{curl_easy_perform(curl.get()), 0};
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &result.response);
  return result;
}

constexpr std::string_view kMessage =
    "From: Fedora Notifications <notifications@fedoraproject.org>\r\n"
    "To: alice@example.org\r\n"
    "Subject: bodhi: alice commented on FEDORA-2024-1234\r\n"
    "Message-ID: <2024-abc.fmn@fedoraproject.org>\r\n"
    "X-Fedmsg-Topic: org.fedoraproject.prod.bodhi.update.comment\r\n"
    "X-Fedmsg-Category: bodhi\r\n"
    "Precedence: Bulk\r\n"
    "\r\n"
    "alice commented on FEDORA-2024-1234\r\n"
    ".a line that starts with a dot\r\n";

TEST(SmtpSmoke, RecordsTheMessageAsSent) {
  auto smtp = SmtpServer::start();
  ASSERT_TRUE(smtp.ok()) << smtp.error().message;

  const SendResult sent =
      send_mail(*smtp, "notifications@fedoraproject.org", "alice@example.org", kMessage);
  ASSERT_EQ(sent.code, CURLE_OK) << curl_easy_strerror(sent.code) << "\n" << smtp->log_text();
  EXPECT_EQ(sent.response, 250);

  auto mails = smtp->wait_for_mail(1, std::chrono::seconds(10));
  ASSERT_TRUE(mails.ok()) << mails.error().message;
  ASSERT_EQ(mails->size(), 1u);
  const ReceivedMail& mail = mails->front();
  EXPECT_EQ(mail.mail_from, "notifications@fedoraproject.org");
  EXPECT_EQ(mail.rcpt_to, std::vector<std::string>{"alice@example.org"});
  EXPECT_EQ(mail.data, kMessage);  // headers, body and the dot-stuffed line intact
  announce_real_server("SMTP at " + smtp->url() + ": 1 message sent with libcurl and recorded");
}

TEST(SmtpSmoke, ModesRejectPermanentlyOrTransiently) {
  auto smtp = SmtpServer::start();
  ASSERT_TRUE(smtp.ok()) << smtp.error().message;

  ASSERT_TRUE(smtp->set_mode(SmtpMode::kRejectPermanent).ok());
  SendResult sent = send_mail(*smtp, "n@fedoraproject.org", "alice@example.org", kMessage);
  EXPECT_NE(sent.code, CURLE_OK);
  EXPECT_EQ(sent.response, 550);

  ASSERT_TRUE(smtp->set_mode(SmtpMode::kRejectTransient).ok());
  sent = send_mail(*smtp, "n@fedoraproject.org", "alice@example.org", kMessage);
  EXPECT_NE(sent.code, CURLE_OK);
  EXPECT_EQ(sent.response, 421);

  ASSERT_TRUE(smtp->set_mode(SmtpMode::kAccept).ok());
  sent = send_mail(*smtp, "n@fedoraproject.org", "alice@example.org", kMessage);
  EXPECT_EQ(sent.code, CURLE_OK) << curl_easy_strerror(sent.code);

  auto mails = smtp->received();
  ASSERT_TRUE(mails.ok()) << mails.error().message;
  EXPECT_EQ(mails->size(), 1u);  // only the accepted one
}

TEST(SmtpSmoke, RefusedMessagesAreRecordedApartAndSlowModeStillAccepts) {
  auto smtp = SmtpServer::start();
  ASSERT_TRUE(smtp.ok()) << smtp.error().message;

  ASSERT_TRUE(smtp->set_mode(SmtpMode::kRefuseData).ok());
  SendResult sent = send_mail(*smtp, "n@fedoraproject.org", "alice@example.org", kMessage);
  EXPECT_NE(sent.code, CURLE_OK);
  EXPECT_EQ(sent.response, 554);
  auto refused = smtp->refused();
  ASSERT_TRUE(refused.ok()) << refused.error().message;
  ASSERT_EQ(refused->size(), 1u);
  EXPECT_EQ(refused->front().data, kMessage);

  ASSERT_TRUE(smtp->set_mode(SmtpMode::kSlow).ok());
  sent = send_mail(*smtp, "n@fedoraproject.org", "alice@example.org", kMessage);
  EXPECT_EQ(sent.code, CURLE_OK) << curl_easy_strerror(sent.code);
  EXPECT_EQ(sent.response, 250);

  auto mails = smtp->received();
  ASSERT_TRUE(mails.ok()) << mails.error().message;
  EXPECT_EQ(mails->size(), 1u);  // the slow one; the refused one only in refused()
}

}  // namespace
}  // namespace fmn::test
