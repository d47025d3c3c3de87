#include "pipeline/delivery_router.h"

#include <gtest/gtest.h>

#include "tests/pipeline/recording_sink.h"

namespace fmn::pipeline {
namespace {

using testing::RecordingSink;

Notification to(DestinationKind kind, std::string user) {
  Notification n;
  n.destination = kind;
  n.user = std::move(user);
  return n;
}

TEST(DeliveryRouter, SplitsEachBatchByDestinationKindKeepingOrder) {
  RecordingSink email, irc;
  SinkWorker email_worker(email, 8), irc_worker(irc, 8);
  DeliveryRouter router;
  router.route(DestinationKind::kEmail, email_worker);
  router.route(DestinationKind::kIrc, irc_worker);
  EXPECT_TRUE(router.routes(DestinationKind::kEmail));
  EXPECT_FALSE(router.routes(DestinationKind::kSse));

  std::vector<Notification> batch = {
      to(DestinationKind::kEmail, "a"), to(DestinationKind::kIrc, "b"),
      to(DestinationKind::kEmail, "c"), to(DestinationKind::kSse, "d"),
      to(DestinationKind::kIrc, "e"),   to(DestinationKind::kStdout, "f")};
  router.deliver(batch);
  router.deliver(std::vector<Notification>{to(DestinationKind::kIrc, "g")});
  email_worker.stop();
  irc_worker.stop();

  EXPECT_EQ(email.users(), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(irc.users(), (std::vector<std::string>{"b", "e", "g"}));
  EXPECT_EQ(email.batches(), std::vector<size_t>{2});  // one part per kind and batch
  EXPECT_EQ(irc.batches(), (std::vector<size_t>{2, 1}));
  EXPECT_EQ(router.unrouted(), 2u);  // sse and stdout have no worker
}

TEST(DeliveryRouter, OneWorkerMayServeEveryKindLeftUnrouted) {
  RecordingSink email, out;
  SinkWorker email_worker(email, 8), worker(out, 8);
  DeliveryRouter router;
  router.route(DestinationKind::kEmail, email_worker);
  router.route_unrouted(worker);
  std::vector<Notification> batch;
  for (const DestinationKindInfo& kind : destination_kinds()) {
    EXPECT_TRUE(router.routes(kind.kind)) << kind.name;
    batch.push_back(to(kind.kind, std::string(kind.name)));
  }
  router.deliver(batch);
  email_worker.stop();
  worker.stop();
  EXPECT_EQ(email.users(), (std::vector<std::string>{"email"}));
  EXPECT_EQ(out.users().size(), kDestinationKindCount - 1);
  EXPECT_EQ(router.unrouted(), 0u);
}

TEST(DeliveryRouter, EverythingIsUnroutedWithoutWorkers) {
  DeliveryRouter router;
  router.deliver(
      std::vector<Notification>{to(DestinationKind::kEmail, "a"), to(DestinationKind::kIrc, "b")});
  EXPECT_EQ(router.unrouted(), 2u);
}

TEST(DeliveryRouter, ConfirmationRequestsGoToTheirKindsWorker) {
  RecordingSink email_sink;
  SinkWorker email(email_sink, 8);
  DeliveryRouter router;
  router.route(DestinationKind::kEmail, email);
  EXPECT_TRUE(
      router.send_confirmation({"ralph", DestinationKind::kEmail, "r@example.org", "c", 0}));
  EXPECT_FALSE(router.send_confirmation({"ralph", DestinationKind::kIrc, "rbean", "c", 0}));
  email.stop();
  EXPECT_EQ(email_sink.confirmations(), std::vector<std::string>{"r@example.org"});
}

TEST(DeliveryRouter, ASingleNotificationGoesToItsKindsWorker) {
  RecordingSink email_sink;
  SinkWorker email(email_sink, 8);
  DeliveryRouter router;
  router.route(DestinationKind::kEmail, email);
  EXPECT_TRUE(router.send_single(to(DestinationKind::kEmail, "ralph")));
  EXPECT_FALSE(router.send_single(to(DestinationKind::kIrc, "ralph")));
  email.stop();
  EXPECT_EQ(email_sink.users(), std::vector<std::string>{"ralph"});
  EXPECT_EQ(router.unrouted(), 0u);  // refused, not counted as lost pipeline traffic
}

}  // namespace
}  // namespace fmn::pipeline
