#include "pipeline/delivery_router.h"

#include <gtest/gtest.h>

#include "pipeline/history_recorder.h"
#include "sinks/memory_delivery_history.h"
#include "tests/pipeline/recording_sink.h"
#include "tests/support/fake_clock.h"

namespace fmn::pipeline {
namespace {

using testing::RecordingSink;

Notification to(DestinationKind kind, std::string user) {
  Notification n;
  n.destination = kind;
  n.set_names(user, "", "");
  return n;
}

// `user`'s notification for a destination whose window mutes it until `muted_until` and snoozes
// it until `snoozed_until` (Unix seconds; 0: not).
Notification windowed(const std::string& user, int64_t muted_until, int64_t snoozed_until = 0) {
  Notification n = to(DestinationKind::kEmail, user);
  n.set_names(user, "mine", user + "@example.org");
  DeliveryWindow w;
  w.muted_until = muted_until;
  w.snoozed_until = snoozed_until;
  n.digest.window = std::make_shared<const DeliveryWindow>(w);
  return n;
}

int64_t unix_of(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.wall().time_since_epoch()).count();
}

// A router whose mutes are judged by a fake clock and noted in a memory history.
struct MutedRouting {
  test::FakeClock clock;
  std::shared_ptr<sinks::MemoryDeliveryHistory> history =
      std::make_shared<sinks::MemoryDeliveryHistory>();
  HistoryRecorder recorder{history, 100, clock};
  RecordingSink email;
  SinkWorker worker{email, 8};
  DeliveryRouter router{
      clock, [this](const Notification& n) { recorder.record(n, sinks::DeliveryStatus::kMuted); }};
  MutedRouting() { router.route(DestinationKind::kEmail, worker); }

  // Everything delivered and recorded so far, then the user's records, newest first.
  std::vector<sinks::DeliveryRecord> settle(const std::string& user) {
    worker.stop();
    recorder.stop();
    return history->recent(user, 0, 10).value();
  }
};

// How many owners each delivered notification's message has as the sink sees it. The test holds
// one and the notification one; a copy left behind on the way (in the batch handed over, or in
// the router) would be a third.
class MessageOwners : public sinks::Sink {
 public:
  std::string_view name() const override { return "message-owners"; }
  void deliver(std::span<const Notification> batch) override {
    for (const Notification& n : batch) owners.push_back(n.message.use_count());
  }
  std::vector<long> owners;  // read once the worker has stopped
};

// A router with an email and an IRC worker, each in front of a sink of type `S`.
template <typename S>
struct EmailAndIrc {
  S email, irc;
  SinkWorker email_worker{email, 8}, irc_worker{irc, 8};
  DeliveryRouter router;
  EmailAndIrc() {
    router.route(DestinationKind::kEmail, email_worker);
    router.route(DestinationKind::kIrc, irc_worker);
  }
};

TEST(DeliveryRouter, ABatchHandedOverIsMovedToTheWorkersNotCopied) {
  EmailAndIrc<MessageOwners> kinds;
  auto& [email, irc, email_worker, irc_worker, router] = kinds;
  std::vector<Notification> batch = {to(DestinationKind::kEmail, "a"),
                                     to(DestinationKind::kIrc, "b"),
                                     to(DestinationKind::kEmail, "c")};
  std::vector<MessagePtr> held;
  for (Notification& n : batch) {
    n.message = std::make_shared<const Message>();
    held.push_back(n.message);
  }

  router.deliver_owned(batch);
  email_worker.stop();
  irc_worker.stop();

  EXPECT_EQ(email.owners, (std::vector<long>{2, 2}));
  EXPECT_EQ(irc.owners, std::vector<long>{2});
  for (const Notification& n : batch) EXPECT_EQ(n.message, nullptr) << "moved from";
}

TEST(DeliveryRouter, SplitsEachBatchByDestinationKindKeepingOrder) {
  EmailAndIrc<RecordingSink> kinds;
  auto& [email, irc, email_worker, irc_worker, router] = kinds;
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

TEST(DeliveryRouter, AMutedNotificationIsDroppedCountedAndRecordedAsMuted) {
  MutedRouting r;
  const int64_t now = unix_of(r.clock);
  r.router.deliver(std::vector<Notification>{windowed("alice", now + 3600), windowed("bob", 0),
                                             windowed("carol", now - 1)});
  const auto alice = r.settle("alice");
  EXPECT_EQ(r.email.users(), (std::vector<std::string>{"bob", "carol"}));  // a past mute: over
  EXPECT_EQ(r.router.muted(), 1u);
  EXPECT_EQ(r.router.unrouted(), 0u);
  ASSERT_EQ(alice.size(), 1u);
  EXPECT_EQ(alice[0].status, sinks::DeliveryStatus::kMuted);
  EXPECT_EQ(alice[0].address, "alice@example.org");
  EXPECT_EQ(alice[0].rule, "mine");
  EXPECT_EQ(alice[0].at_ms, now * 1000);
}

TEST(DeliveryRouter, AMuteEndsByItselfAtItsInstant) {
  MutedRouting r;
  const int64_t until = unix_of(r.clock) + 8 * 3600;
  r.router.deliver(std::vector<Notification>{windowed("alice", until)});
  r.clock.advance(std::chrono::hours(8) - std::chrono::seconds(1));
  r.router.deliver(std::vector<Notification>{windowed("alice", until)});
  r.clock.advance(std::chrono::seconds(1));  // at `until`: no longer muted
  r.router.deliver(std::vector<Notification>{windowed("alice", until)});
  const auto alice = r.settle("alice");
  EXPECT_EQ(r.email.users(), std::vector<std::string>{"alice"});
  EXPECT_EQ(r.router.muted(), 2u);
  EXPECT_EQ(alice.size(), 2u);  // the two muted ones; the sink here records nothing
}

TEST(DeliveryRouter, AMuteWinsOverASnooze) {
  MutedRouting r;
  const int64_t now = unix_of(r.clock);
  // Muted for an hour, snoozed for two: dropped, not held for the end of the snooze.
  r.router.deliver(std::vector<Notification>{windowed("alice", now + 3600, now + 7200)});
  // The mute over, the snooze still on: handed on, for the batcher to hold until the snooze ends.
  r.clock.advance(std::chrono::hours(1));
  r.router.deliver(std::vector<Notification>{windowed("alice", now + 3600, now + 7200)});
  const auto alice = r.settle("alice");
  EXPECT_EQ(r.router.muted(), 1u);
  EXPECT_EQ(r.email.users(), std::vector<std::string>{"alice"});
  ASSERT_EQ(alice.size(), 1u);
  EXPECT_EQ(alice[0].status, sinks::DeliveryStatus::kMuted);
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
