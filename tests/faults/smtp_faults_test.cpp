// SMTP faults against the real fmn-pipeline: the server down for a while (retried with backoff
// until it is back, each notification delivered exactly once), and a permanent rejection
// (recorded once, never retried).
#include <gtest/gtest.h>

#include "tests/faults/expected_notifications.h"
#include "tests/faults/pipeline_process.h"
#include "tests/faults/scenario.h"
#include "tests/support/smtp_server.h"
#include "tests/support/zmq_publisher.h"

namespace fmn::faults {
namespace {

using namespace std::chrono_literals;

TEST(SmtpFaults, ServerDownForAWhileThenBackDeliversEachNotificationOnce) {
  auto smtp = test::SmtpServer::start();
  ASSERT_TRUE(smtp.ok()) << smtp.error().message;
  auto bus = test::ZmqPublisher::start();
  ASSERT_TRUE(bus.ok()) << bus.error().message;
  ASSERT_TRUE(smtp->stop().ok());  // down: connections are refused

  auto pipeline = PipelineProcess::start({one_user_prefs(kWatchedRule, "{ to = \"email\" }"),
                                          servers_config(bus->endpoint(), smtp->url())});
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
  ASSERT_TRUE(bus->wait_for_subscriptions(1, 30s).ok());
  auto slice = corpus_slice(150);
  std::set<std::string> expected = matched_ids(slice, kWatchedRule, "ralph");
  ASSERT_GE(expected.size(), 10u);
  ASSERT_TRUE(bus->play(slice).ok());

  // Retried with backoff while the server is down...
  auto retried = pipeline->wait_metric(
      "fmn_retried_total", "sink=\"email\"", [](double v) { return v >= 3; }, 60s);
  ASSERT_TRUE(retried.ok()) << retried.error().message;
  ASSERT_TRUE(smtp->restart().ok());
  // ...and everything arrives once it is back.
  auto mail = smtp->wait_for_mail(expected.size(), 120s);
  ASSERT_TRUE(mail.ok()) << mail.error().message << "\n" << pipeline->log_text();
  EXPECT_EQ(pipeline->metric("fmn_failed_total", "sink=\"email\""), 0.0);
  ASSERT_TRUE(pipeline->terminate().ok());
  auto all = smtp->received();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(describe(received_ids(all.value())), describe(once_each(expected)));
}

TEST(SmtpFaults, PermanentRejectionIsRecordedOnceAndNeverRetried) {
  auto smtp = test::SmtpServer::start();
  ASSERT_TRUE(smtp.ok()) << smtp.error().message;
  auto bus = test::ZmqPublisher::start();
  ASSERT_TRUE(bus.ok()) << bus.error().message;
  ASSERT_TRUE(smtp->set_mode(test::SmtpMode::kRejectPermanent).ok());

  auto pipeline = PipelineProcess::start({one_user_prefs(kWatchedRule, "{ to = \"email\" }"),
                                          servers_config(bus->endpoint(), smtp->url())});
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
  ASSERT_TRUE(bus->wait_for_subscriptions(1, 30s).ok());
  auto slice = corpus_slice(150);
  std::set<std::string> rejected = matched_ids(slice, kWatchedRule, "ralph");
  ASSERT_GE(rejected.size(), 10u);
  ASSERT_TRUE(bus->play(slice).ok());
  double count = static_cast<double>(rejected.size());
  auto failed = pipeline->wait_metric(
      "fmn_failed_total", "sink=\"email\"", [count](double v) { return v == count; }, 60s);
  ASSERT_TRUE(failed.ok()) << failed.error().message;
  EXPECT_EQ(pipeline->metric("fmn_retried_total", "sink=\"email\""), 0.0);

  // The server accepts again: only the next notification arrives. A retry of a rejected one
  // would come first (each user's emails keep their order).
  ASSERT_TRUE(smtp->set_mode(test::SmtpMode::kAccept).ok());
  auto longer = corpus_slice(300);
  std::vector<test::BusMessage> rest(longer.begin() + static_cast<long>(slice.size()),
                                     longer.end());
  std::set<std::string> later = matched_ids(rest, kWatchedRule, "ralph");
  ASSERT_FALSE(later.empty());
  ASSERT_TRUE(bus->play(rest).ok());
  auto mail = smtp->wait_for_mail(later.size(), 60s);
  ASSERT_TRUE(mail.ok()) << mail.error().message << "\n" << pipeline->log_text();
  ASSERT_TRUE(pipeline->terminate().ok());
  auto all = smtp->received();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(describe(received_ids(all.value())), describe(once_each(later)));
}

}  // namespace
}  // namespace fmn::faults
