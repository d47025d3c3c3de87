// The durable outbox in a real Redis: entries stay until their sink confirmed them, a restart
// takes its own back, another instance takes a dead one's once idle, an entry handed out too
// often becomes a dead letter, and a sink worker leaves what it could not settle for the next
// start, which delivers it; what its batcher could not check while Redis restarted is delivered
// in the same run once Redis is back.
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <set>
#include <thread>

#include "pipeline/sink_worker.h"
#include "sinks/digest_batcher.h"
#include "sinks/redis_connection.h"
#include "sinks/redis_digest_store.h"
#include "sinks/redis_outbox.h"
#include "tests/sinks/notification_fixture.h"
#include "tests/sinks/recording_sink.h"
#include "tests/support/redis_config.h"
#include "tests/support/redis_server.h"
#include "tests/support/tcp_proxy.h"

namespace fmn::sinks {
namespace {

using namespace std::chrono_literals;
using testing::make_notification;
using testing::MessageSpec;

std::vector<Notification> numbered(int count, DestinationKind kind = DestinationKind::kEmail) {
  std::vector<Notification> out;
  for (int i = 0; i < count; ++i) {
    MessageSpec spec;
    spec.msg_id = "2024-outbox-" + std::to_string(i);
    out.push_back(make_notification(spec, kind, "alice@example.org"));
  }
  return out;
}

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = test::RedisServer::start();
    ASSERT_TRUE(redis.ok()) << redis.error().message;
    redis_.emplace(std::move(redis).value());
    std::printf("Redis at %s\n", redis_->url().c_str());
  }
  std::unique_ptr<RedisOutbox> open(std::string consumer, std::chrono::milliseconds idle = 1h,
                                    int max_deliveries = 5, std::string_view kind = "email",
                                    int port = 0, size_t dead_letters_max = 100'000) {
    RedisConfig config;
    config.host = redis_->host();
    config.port = port != 0 ? port : redis_->port();
    auto outbox = RedisOutbox::open(
        config, kind, {std::move(consumer), max_deliveries, idle, dead_letters_max, 24h});
    if (!outbox) ADD_FAILURE() << outbox.error().message;
    return outbox ? std::move(outbox).value() : nullptr;
  }
  static size_t size(RedisOutbox& outbox) {
    auto n = outbox.size();
    EXPECT_TRUE(n.ok());
    return n ? *n : 0;
  }

  std::optional<test::RedisServer> redis_;
};

TEST_F(OutboxTest, AnEntryStaysUntilRemovedAndARestartTakesItsOwnBack) {
  const auto batch = numbered(3);
  {
    auto first = open("instance-a");
    ASSERT_NE(first, nullptr);
    auto settled = first->append(std::span(batch).first(1));
    ASSERT_TRUE(settled.ok()) << settled.error().message;
    ASSERT_TRUE(first->append(std::span(batch).subspan(1)).ok());
    EXPECT_EQ(size(*first), 2u);
    ASSERT_TRUE(first->remove(std::vector<std::string>{*settled}).ok());
    EXPECT_EQ(size(*first), 1u);
  }
  auto restarted = open("instance-a");
  ASSERT_NE(restarted, nullptr);
  auto recovery = restarted->recover();
  ASSERT_TRUE(recovery.ok()) << recovery.error().message;
  ASSERT_EQ(recovery->entries.size(), 1u);
  const auto& taken = recovery->entries[0].notifications;
  ASSERT_EQ(taken.size(), 2u);
  EXPECT_EQ(taken[0].message->msg_id, batch[1].message->msg_id);
  EXPECT_EQ(taken[1].message->msg_id, batch[2].message->msg_id);
  EXPECT_EQ(taken[1].address(), "alice@example.org");
  ASSERT_TRUE(restarted->remove(std::vector<std::string>{recovery->entries[0].id}).ok());
  EXPECT_EQ(size(*restarted), 0u);
}

TEST_F(OutboxTest, AnAppendWhoseReplyWasLostIsWrittenOnce) {
  auto proxy = test::TcpProxy::start(redis_->port());
  ASSERT_TRUE(proxy.ok()) << proxy.error().message;
  auto outbox = open("instance-a", 1h, 5, "email", (*proxy)->port());
  ASSERT_NE(outbox, nullptr);
  ASSERT_TRUE(outbox->append(numbered(1)).ok());
  // Redis runs the next transaction, but its reply never reaches the outbox.
  (*proxy)->drop_next_reply();
  auto id = outbox->append(numbered(2));
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ((*proxy)->dropped(), 1);
  EXPECT_EQ(size(*open("observer")), 2u);
  // The id is the entry's own: removing it leaves the first entry alone.
  ASSERT_TRUE(outbox->remove(std::vector<std::string>{*id}).ok());
  auto recovery = open("instance-a")->recover();
  ASSERT_TRUE(recovery.ok()) << recovery.error().message;
  ASSERT_EQ(recovery->entries.size(), 1u);
  EXPECT_EQ(recovery->entries[0].notifications.size(), 1u);
}

// Redis' bytes sent to its clients so far (INFO stats).
size_t bytes_sent_by(const test::RedisServer& redis) {
  redisContext* c = redisConnect(redis.host().c_str(), redis.port());
  EXPECT_NE(c, nullptr);
  if (c == nullptr) return 0;
  auto* reply = static_cast<redisReply*>(redisCommand(c, "INFO stats"));
  std::string text = reply != nullptr && reply->type == REDIS_REPLY_STRING
                         ? std::string(reply->str, reply->len)
                         : std::string();
  if (reply != nullptr) freeReplyObject(reply);
  redisFree(c);
  constexpr std::string_view kKey = "total_net_output_bytes:";
  const size_t at = text.find(kKey);
  EXPECT_NE(at, std::string::npos) << text;
  return at == std::string::npos ? 0 : std::stoul(text.substr(at + kKey.size()));
}

TEST_F(OutboxTest, AnAppendIsAnsweredWithItsIdsNotWithTheBatchBack) {
  auto outbox = open("instance-a");
  ASSERT_NE(outbox, nullptr);
  MessageSpec spec;  // a 200 KB batch: lists are stored whole (texts only as far as shown)
  spec.usernames.assign(20'000, std::string(10, 'u'));
  const std::vector<Notification> batch{make_notification(spec, DestinationKind::kEmail, "a@b.c")};
  const size_t before = bytes_sent_by(*redis_);
  auto id = outbox->append(batch);
  ASSERT_TRUE(id.ok()) << id.error().message;
  const size_t sent = bytes_sent_by(*redis_) - before;
  EXPECT_LT(sent, 20'000u) << "the append's answer carried the batch";
  // Held all the same: a restart takes it back whole.
  auto recovery = open("instance-a")->recover();
  ASSERT_TRUE(recovery.ok()) << recovery.error().message;
  ASSERT_EQ(recovery->entries.size(), 1u);
  EXPECT_EQ(recovery->entries[0].id, *id);
  ASSERT_EQ(recovery->entries[0].notifications.size(), 1u);
  EXPECT_EQ(recovery->entries[0].notifications[0].message->meta.usernames, spec.usernames);
}

// Instances sharing a stream append in turn, each after the other's newest entry: each entry is
// added once and owned by the instance that added it, and only its own restart takes it back.
TEST_F(OutboxTest, InstancesAppendingToOneStreamEachOwnTheirOwnEntries) {
  auto a = open("instance-a");
  auto b = open("instance-b");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  std::set<std::string> ids_a, ids_b;
  for (int i = 0; i < 20; ++i) {
    auto id_a = a->append(numbered(1));
    auto id_b = b->append(numbered(2));
    ASSERT_TRUE(id_a.ok()) << id_a.error().message;
    ASSERT_TRUE(id_b.ok()) << id_b.error().message;
    ids_a.insert(*id_a);
    ids_b.insert(*id_b);
  }
  EXPECT_EQ(ids_a.size(), 20u);
  EXPECT_EQ(ids_b.size(), 20u);
  EXPECT_EQ(size(*a), 40u);
  const auto taken = [&](std::string consumer) {
    std::set<std::string> ids;
    auto recovery = open(std::move(consumer))->recover();
    EXPECT_TRUE(recovery.ok());
    if (recovery) {
      for (const OutboxEntry& e : recovery->entries) ids.insert(e.id);
    }
    return ids;
  };
  EXPECT_EQ(taken("instance-a"), ids_a);
  EXPECT_EQ(taken("instance-b"), ids_b);
}

// A dead letter is written once however often its removal is sent: again by the connection
// after Redis ran it but its reply was lost, again by a worker retrying what it could not
// confirm, again after its entry has left.
TEST_F(OutboxTest, ADeadLetterWhoseRemovalIsSentAgainIsWrittenOnce) {
  auto proxy = test::TcpProxy::start(redis_->port());
  ASSERT_TRUE(proxy.ok()) << proxy.error().message;
  auto outbox = open("instance-a", 1h, 5, "email", (*proxy)->port());
  ASSERT_NE(outbox, nullptr);
  const auto batch = numbered(3);
  auto id = outbox->append(batch);
  ASSERT_TRUE(id.ok()) << id.error().message;
  // The first notification is given up while the others wait.
  std::vector<DeadLetter> dead{{batch[0], "refused (550): no such user", *id, 0}};
  (*proxy)->drop_next_reply();
  ASSERT_TRUE(outbox->remove({}, dead).ok());
  EXPECT_EQ((*proxy)->dropped(), 1);
  EXPECT_EQ(outbox->dead_letters().value(), 1u);
  // The last one too, and the entry leaves: sent with the first again, its reply lost again.
  dead.push_back({batch[2], "refused (550): no such user", *id, 2});
  const std::vector<std::string> ids{*id};
  (*proxy)->drop_next_reply();
  ASSERT_TRUE(outbox->remove(ids, dead).ok());
  EXPECT_EQ((*proxy)->dropped(), 2);
  EXPECT_EQ(size(*outbox), 0u);
  ASSERT_TRUE(outbox->remove(ids, dead).ok());
  size_t undecodable = 0;
  auto kept = outbox->read_dead_letters("", 10, undecodable);
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  ASSERT_EQ(kept->size(), 2u);
  EXPECT_EQ((*kept)[0].notifications.at(0).message->msg_id, "2024-outbox-0");
  EXPECT_EQ((*kept)[1].notifications.at(0).message->msg_id, "2024-outbox-2");
  // Nothing is left of the entry: its marks went with it.
  auto redis = RedisConnection::open({.host = redis_->host(), .port = redis_->port()});
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  auto marks = (*redis)->command({"KEYS", "*marks*"});
  ASSERT_TRUE(marks.ok()) << marks.error().message;
  EXPECT_TRUE(marks->elements.empty());
}

// Gives up `count` notifications (`user`'s) as the sink worker does: one entry, removed with its
// notifications written to the dead letters.
void give_up(RedisOutbox& outbox, int count, const std::string& user) {
  auto batch = numbered(count);
  for (Notification& n : batch) n.set_names(user, n.rule_name(), n.address());
  auto id = outbox.append(batch);
  ASSERT_TRUE(id.ok()) << id.error().message;
  std::vector<DeadLetter> dead;
  for (size_t i = 0; i < batch.size(); ++i) {
    dead.push_back({batch[i], "refused (550): no such user", *id, i});
  }
  ASSERT_TRUE(outbox.remove(std::vector<std::string>{*id}, dead).ok());
}

TEST_F(OutboxTest, DeadLettersAreKeptUpToTheirCountAndAge) {
  auto outbox = open("instance-a", 1h, 5, "email", 0, 3);
  give_up(*outbox, 5, "bob");
  EXPECT_EQ(outbox->dead_letters().value(), 3u);  // the oldest two went at once
  auto kept = outbox->list_dead_letters("", 10);
  ASSERT_TRUE(kept.ok());
  ASSERT_EQ(kept->size(), 3u);
  EXPECT_EQ(outbox->dead_lettered_total(), 5u);

  const auto now = std::chrono::system_clock::now();
  ASSERT_TRUE(outbox->trim_dead_letters(now).ok());
  EXPECT_EQ(outbox->dead_letters().value(), 3u);  // none a day old yet
  ASSERT_TRUE(outbox->trim_dead_letters(now + 25h).ok());
  EXPECT_EQ(outbox->dead_letters().value(), 0u);
}

TEST_F(OutboxTest, DeadLettersAreReadBackOldestFirstAndDeletedOnceReplayed) {
  auto outbox = open("instance-a");
  give_up(*outbox, 2, "bob");
  give_up(*outbox, 1, "alice");
  give_up(*outbox, 1, "bob");
  size_t undecodable = 0;
  auto bobs = outbox->read_dead_letters("bob", 10, undecodable);
  ASSERT_TRUE(bobs.ok()) << bobs.error().message;
  ASSERT_EQ(bobs->size(), 3u);
  EXPECT_EQ(undecodable, 0u);
  EXPECT_EQ((*bobs)[0].notifications.at(0).message->msg_id, "2024-outbox-0");
  EXPECT_EQ((*bobs)[1].notifications.at(0).message->msg_id, "2024-outbox-1");
  EXPECT_EQ((*bobs)[2].notifications.at(0).user(), "bob");
  auto first = outbox->read_dead_letters("", 1, undecodable);
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].id, (*bobs)[0].id);

  std::vector<std::string> ids;
  for (const ReplayableDeadLetter& d : *bobs) ids.push_back(d.id);
  ASSERT_TRUE(outbox->delete_dead_letters(ids).ok());
  auto left = outbox->list_dead_letters("", 10);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].user, "alice");
}

TEST_F(OutboxTest, AUsersDeadLettersAreFoundBehindAPageOfOthers) {
  auto outbox = open("instance-a");
  give_up(*outbox, 1, "bob");
  give_up(*outbox, 1500, "alice");  // more than a page of the listing's scan
  auto bobs = outbox->list_dead_letters("bob", 10);
  ASSERT_TRUE(bobs.ok()) << bobs.error().message;
  ASSERT_EQ(bobs->size(), 1u);
  EXPECT_EQ((*bobs)[0].user, "bob");
  EXPECT_EQ(outbox->list_dead_letters("", 2000)->size(), 1501u);
}

TEST_F(OutboxTest, AnotherInstanceTakesADeadInstancesEntriesOnlyOnceIdleLongEnough) {
  auto dead = open("instance-a");
  ASSERT_NE(dead, nullptr);
  ASSERT_TRUE(dead->append(numbered(2)).ok());

  auto patient = open("instance-b", 1h);
  auto recovery = patient->recover();
  ASSERT_TRUE(recovery.ok()) << recovery.error().message;
  EXPECT_TRUE(recovery->entries.empty());

  auto taker = open("instance-c", 0ms);
  recovery = taker->recover();
  ASSERT_TRUE(recovery.ok()) << recovery.error().message;
  ASSERT_EQ(recovery->entries.size(), 1u);
  EXPECT_EQ(recovery->entries[0].notifications.size(), 2u);
  // Now instance-c's: instance-b still does not see them, instance-c after a restart does.
  EXPECT_TRUE(patient->recover()->entries.empty());
  EXPECT_EQ(open("instance-c")->recover()->entries.size(), 1u);
}

TEST_F(OutboxTest, AnEntryHandedOutTooOftenBecomesADeadLetter) {
  ASSERT_TRUE(open("instance-a", 1h, 2)->append(numbered(1)).ok());  // handed out once
  // Each start (a new open) takes it back.
  EXPECT_EQ(open("instance-a", 1h, 2)->recover()->entries.size(), 1u);  // twice
  auto outbox = open("instance-a", 1h, 2);
  auto recovery = outbox->recover();  // a third time: too often
  ASSERT_TRUE(recovery.ok()) << recovery.error().message;
  EXPECT_TRUE(recovery->entries.empty());
  EXPECT_EQ(recovery->dead_lettered, 1u);
  ASSERT_EQ(recovery->dead.size(), 1u);  // what it held, for the users' delivery history
  EXPECT_EQ(recovery->dead[0].message->msg_id, "2024-outbox-0");
  EXPECT_EQ(outbox->dead_lettered_total(), 1u);
  EXPECT_EQ(size(*outbox), 0u);
  auto dead = outbox->dead_letters();
  ASSERT_TRUE(dead.ok());
  EXPECT_EQ(*dead, 1u);
}

TEST_F(OutboxTest, AWorkerPassesOnWhatItsStartDeadLettered) {
  {
    auto outbox = open("instance-a", 1h, 1);
    ASSERT_TRUE(outbox->append(numbered(2)).ok());  // handed out once
  }
  auto outbox = open("instance-a", 1h, 1);
  testing::RecordingSink sink;
  std::vector<Notification> dead;
  pipeline::SinkWorker worker(
      sink, 100, 0ms, 200ms, outbox.get(),
      [&dead](std::span<const Notification> n) { dead.insert(dead.end(), n.begin(), n.end()); });
  EXPECT_EQ(worker.recovered(), 0u);
  ASSERT_EQ(dead.size(), 2u);
  EXPECT_EQ(dead[1].message->msg_id, "2024-outbox-1");
  worker.stop();
  EXPECT_TRUE(sink.single.empty());  // never delivered
}

TEST_F(OutboxTest, EachDestinationKindHasItsOwnStream) {
  auto email = open("instance-a", 1h, 5, "email");
  auto irc = open("instance-a", 1h, 5, "irc");
  ASSERT_TRUE(irc->append(numbered(4, DestinationKind::kIrc)).ok());
  ASSERT_TRUE(email->append(numbered(1)).ok());
  EXPECT_EQ(size(*email), 1u);
  EXPECT_EQ(size(*irc), 1u);
  EXPECT_EQ(open("instance-a", 1h, 5, "email")->recover()->entries.size(), 1u);
}

TEST_F(OutboxTest, AWorkerLeavesWhatItsSinkDidNotConfirmAndTheNextStartDeliversIt) {
  auto batch = std::make_shared<std::vector<Notification>>(numbered(3));
  {
    auto outbox = open("instance-a");
    testing::RecordingSink unconfirming;
    unconfirming.hold_notifications = true;  // the server never confirms
    pipeline::SinkWorker worker(unconfirming, 100, 0ms, 200ms, outbox.get());
    worker.submit(batch);
    worker.stop();
    EXPECT_EQ(unconfirming.single.size(), 3u);
    EXPECT_EQ(worker.left_in_outbox(), 3u);
    EXPECT_EQ(size(*outbox), 1u);  // one entry per batch
  }
  auto outbox = open("instance-a");
  testing::RecordingSink confirming;
  pipeline::SinkWorker worker(confirming, 100, 0ms, 200ms, outbox.get());
  EXPECT_EQ(worker.recovered(), 3u);
  worker.stop();
  ASSERT_EQ(confirming.single.size(), 3u);
  EXPECT_EQ(confirming.single[2].message->msg_id, (*batch)[2].message->msg_id);
  EXPECT_EQ(worker.left_in_outbox(), 0u);
  EXPECT_EQ(size(*outbox), 0u);
}

// A sink that confirms at once and records what it got; its first delivery waits until the test
// opens its gate. Used from the worker's thread while the test reads it.
class GatedSink : public Sink {
 public:
  std::string_view name() const override { return "gated"; }
  void deliver(std::span<const Notification> batch) override {
    std::unique_lock lock(mu_);
    entered_ = true;
    opened_.wait(lock, [&] { return open_; });
    for (const Notification& n : batch) received_.insert(std::string(n.message->msg_id));
    deliveries_ += batch.size();
  }
  void open() {
    std::lock_guard lock(mu_);
    open_ = true;
    opened_.notify_all();
  }
  bool entered() {
    std::lock_guard lock(mu_);
    return entered_;
  }
  size_t received() {
    std::lock_guard lock(mu_);
    return received_.size();
  }
  size_t deliveries() {  // with repeats
    std::lock_guard lock(mu_);
    return deliveries_;
  }

 private:
  std::mutex mu_;
  std::condition_variable opened_;
  bool entered_ = false, open_ = false;
  std::set<std::string> received_;
  size_t deliveries_ = 0;
};

// Whether `done()` holds within a minute (checked every 50 ms): a wait for a condition.
template <typename Done>
bool eventually(Done done) {
  const auto deadline = std::chrono::steady_clock::now() + 1min;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

// Counts what it is handed through deliver_confirmed() (a batch with an outbox entry, i.e. one
// Redis holds) apart from deliver() (one delivered from memory), and confirms at once.
class EntryCountingSink : public Sink {
 public:
  std::string_view name() const override { return "counting"; }
  void deliver(std::span<const Notification> batch) override { from_memory += batch.size(); }
  void deliver_confirmed(std::span<const Notification> batch,
                         std::span<NotificationSettled> settled) override {
    from_outbox += batch.size();
    for (NotificationSettled& s : settled) s();
  }
  std::atomic<size_t> from_memory{0}, from_outbox{0};
};

// submit() does not wait for Redis (the graph routes its next batch meanwhile), yet a batch
// reaches its sink, and counts as completed (what a source acknowledges upstream follows), only
// once Redis holds it: here Redis refuses writes for a while (CLIENT PAUSE WRITE).
TEST_F(OutboxTest, SubmitDoesNotWaitForRedisButTheSinkGetsABatchOnlyOnceRedisHoldsIt) {
  RedisConfig config;
  config.host = redis_->host();
  config.port = redis_->port();
  config.timeout = 1min;  // the pause is not a lost connection
  auto outbox = RedisOutbox::open(config, "email", {"instance-a"});
  ASSERT_TRUE(outbox.ok()) << outbox.error().message;
  auto admin = RedisConnection::open(config);
  ASSERT_TRUE(admin.ok()) << admin.error().message;
  EntryCountingSink sink;
  pipeline::SinkWorker worker(sink, 100, 0ms, 200ms, outbox->get());
  ASSERT_TRUE((*admin)->command({"CLIENT", "PAUSE", "60000", "WRITE"}).ok());
  worker.submit(std::make_shared<std::vector<Notification>>(numbered(2)));
  worker.submit(std::make_shared<std::vector<Notification>>(numbered(3)));
  EXPECT_EQ(worker.submitted(), 2u);
  EXPECT_EQ(worker.completed(), 0u);  // Redis holds neither yet
  EXPECT_EQ(sink.from_outbox + sink.from_memory, 0u);
  ASSERT_TRUE((*admin)->command({"CLIENT", "UNPAUSE"}).ok());
  ASSERT_TRUE(eventually([&] { return sink.from_outbox == 5; }));
  EXPECT_EQ(worker.completed(), 2u);
  EXPECT_EQ(sink.from_memory, 0u);
  EXPECT_EQ(worker.outbox_errors(), 0u);
  worker.stop();
  EXPECT_EQ(size(**outbox), 0u);  // settled: removed
}

// A batch counts as completed (its messages may be acknowledged to a broker) once the outbox
// holds it, not once its sink took it: a sink held up, as by a slow SMTP server, keeps no message
// unacknowledged that the outbox delivers after a crash anyway (the broker would otherwise send
// it again, and a kind that keeps no delivery marks, SSE, would publish its events twice).
TEST_F(OutboxTest, ABatchCountsAsCompletedOnceTheOutboxHoldsItWhileItsSinkIsHeldUp) {
  auto outbox = open("instance-a");
  GatedSink sink;
  pipeline::SinkWorker worker(sink, 100, 0ms, 50ms, outbox.get(), {},
                              pipeline::OutboxWriter::OnFailure::kHold);
  worker.submit(std::make_shared<std::vector<Notification>>(numbered(2)));
  ASSERT_TRUE(eventually([&] { return sink.entered(); }));  // held up in the sink
  worker.submit(std::make_shared<std::vector<Notification>>(numbered(3)));
  EXPECT_TRUE(eventually([&] { return worker.completed() == 2; }))
      << "completed " << worker.completed() << " of 2";
  EXPECT_EQ(sink.deliveries(), 0u);
  EXPECT_EQ(size(*outbox), 2u);
  sink.open();
  ASSERT_TRUE(eventually([&] { return sink.deliveries() == 5; }));
  worker.stop();
  EXPECT_EQ(worker.completed(), 2u);  // each once
  EXPECT_EQ(size(*outbox), 0u);
}

// A broker source's worker holds a batch the outbox cannot take (Redis away): the sink does not
// get it and it does not count as completed, so nothing is acknowledged, until Redis is back;
// then it goes through the outbox. Giving up at a shutdown drops what Redis still refuses, and
// everything after it, as unwritten, instead of waiting. A worker for a bus that cannot replay
// delivers it from memory.
TEST_F(OutboxTest, ABrokerSourcesWorkerHoldsWhatTheOutboxRefusesUntilRedisIsBack) {
  auto redis = test::RedisServer::start({.appendonly = true});  // the stream's group survives
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  redis_.emplace(std::move(redis).value());
  auto outbox = open("instance-a");
  EntryCountingSink sink;
  pipeline::SinkWorker worker(sink, 100, 0ms, 50ms, outbox.get(), {},
                              pipeline::OutboxWriter::OnFailure::kHold);
  ASSERT_TRUE(redis_->stop().ok());
  worker.submit(std::make_shared<std::vector<Notification>>(numbered(2)));
  ASSERT_TRUE(eventually([&] { return worker.outbox_errors() >= 2; }));  // tried again
  EXPECT_EQ(worker.completed(), 0u);
  EXPECT_EQ(sink.from_outbox + sink.from_memory, 0u);
  EXPECT_EQ(worker.depth(), 2u);  // counted against the queue's bound
  ASSERT_TRUE(redis_->restart().ok());
  ASSERT_TRUE(eventually([&] { return sink.from_outbox == 2; }));
  EXPECT_EQ(worker.completed(), 1u);
  EXPECT_EQ(sink.from_memory, 0u);

  ASSERT_TRUE(redis_->stop().ok());
  const uint64_t errors = worker.outbox_errors();
  worker.submit(std::make_shared<std::vector<Notification>>(numbered(3)));
  ASSERT_TRUE(eventually([&] { return worker.outbox_errors() > errors; }));
  worker.give_up_holding();
  ASSERT_TRUE(eventually([&] { return worker.unwritten() == 3; }));
  EXPECT_EQ(worker.depth(), 0u);
  // Once one is dropped, so is every later batch, even with Redis back: written, it would count
  // as completed in the dropped one's place.
  ASSERT_TRUE(redis_->restart().ok());
  worker.submit(std::make_shared<std::vector<Notification>>(numbered(1)));
  ASSERT_TRUE(eventually([&] { return worker.unwritten() == 4; }));
  worker.stop();
  EXPECT_EQ(worker.completed(), 1u);
  EXPECT_EQ(sink.from_outbox + sink.from_memory, 2u);

  ASSERT_TRUE(redis_->stop().ok());
  EntryCountingSink memory_sink;
  pipeline::SinkWorker from_memory(memory_sink, 100, 0ms, 50ms, outbox.get());
  from_memory.submit(std::make_shared<std::vector<Notification>>(numbered(4)));
  ASSERT_TRUE(eventually([&] { return from_memory.completed() == 1; }));
  EXPECT_EQ(memory_sink.from_memory, 4u);
  EXPECT_GE(from_memory.outbox_errors(), 1u);
  from_memory.stop();
  EXPECT_EQ(from_memory.unwritten(), 0u);
}

// Entries taken back from the outbox at a start, Redis restarting while the batcher checks them:
// nothing is left in the outbox until the next start; once Redis is back they are delivered, each
// once, and their entries leave.
TEST_F(OutboxTest, EntriesTakenBackAsRedisRestartsAreDeliveredOnceItIsBackInTheSameRun) {
  auto redis = test::RedisServer::start({.appendonly = true});  // the outbox survives its restart
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  redis_.emplace(std::move(redis).value());
  std::vector<Notification> all = numbered(4);
  {
    auto previous_run = open("instance-a");
    ASSERT_TRUE(previous_run->append(std::span(all).first(1)).ok());
    ASSERT_TRUE(previous_run->append(std::span(all).subspan(1)).ok());
  }
  auto outbox = open("instance-a");
  auto store = RedisDigestStore::connect(test::redis_config(*redis_));
  ASSERT_TRUE(store.ok()) << store.error().message;
  GatedSink sink;
  std::atomic<int> store_errors{0};
  DigestBatcher batcher(sink, **store, {}, SystemClock::instance(),
                        [&](const DeliveryFailure&) { ++store_errors; });
  pipeline::SinkWorker worker(batcher, 100, 0ms, 50ms, outbox.get());
  ASSERT_EQ(worker.recovered(), 4u);

  // The first entry is in the sink; Redis goes down before the batcher checks the second's.
  ASSERT_TRUE(eventually([&] { return sink.entered(); }));
  ASSERT_TRUE(redis_->stop().ok());
  sink.open();
  ASSERT_TRUE(eventually([&] { return store_errors > 0; }));  // it could not check the second
  EXPECT_EQ(sink.received(), 1u);  // the others wait: the store could not check them

  ASSERT_TRUE(redis_->restart().ok());
  EXPECT_TRUE(eventually([&] { return sink.received() == 4; }))
      << "delivered " << sink.received() << " of 4";
  EXPECT_TRUE(eventually([&] { return size(*outbox) == 0; }));
  worker.stop();
  EXPECT_EQ(worker.left_in_outbox(), 0u);
  EXPECT_EQ(sink.received(), 4u);
}

// Redis down when the worker starts: what the previous run left is taken back once Redis is
// back, in the same run, and delivered once.
TEST_F(OutboxTest, WhatAPreviousRunLeftIsTakenBackOnceRedisIsBackWhenItWasDownAtTheStart) {
  auto redis = test::RedisServer::start({.appendonly = true});
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  redis_.emplace(std::move(redis).value());
  std::vector<Notification> all = numbered(4);
  ASSERT_TRUE(open("instance-a")->append(std::span(all).first(2)).ok());
  auto outbox = open("instance-a");
  ASSERT_TRUE(redis_->stop().ok());
  GatedSink sink;
  sink.open();
  pipeline::SinkWorker worker(sink, 100, 0ms, 50ms, outbox.get());
  EXPECT_EQ(worker.recovered(), 0u);

  ASSERT_TRUE(redis_->restart().ok());
  ASSERT_TRUE(eventually([&] { return worker.recovered() == 2; }));
  ASSERT_TRUE(eventually([&] { return sink.received() == 2; }));
  // What was taken back is not this run's: it counts neither as submitted nor as completed, so
  // a broker source's settlement, which compares the two, cannot take it for a batch this run
  // submitted and acknowledge that batch's messages before Redis holds it.
  EXPECT_EQ(worker.submitted(), 0u);
  EXPECT_EQ(worker.completed(), 0u);
  worker.submit(std::make_shared<std::vector<Notification>>(all.begin() + 2, all.end()));
  EXPECT_TRUE(eventually([&] { return sink.received() == 4; }));
  EXPECT_TRUE(eventually([&] { return size(*outbox) == 0; }));
  worker.stop();
  EXPECT_EQ(sink.deliveries(), 4u);
  EXPECT_EQ(worker.left_in_outbox(), 0u);
  EXPECT_EQ(worker.submitted(), 1u);
  EXPECT_EQ(worker.completed(), 1u);
}

// A take-back later in a run (Redis was down at its start) leaves the entries this run added:
// its worker holds them already.
TEST_F(OutboxTest, ALaterTakeBackLeavesWhatThisRunAdded) {
  ASSERT_TRUE(open("instance-a")->append(numbered(1)).ok());
  auto outbox = open("instance-a");
  ASSERT_TRUE(outbox->append(numbered(2)).ok());
  auto recovery = outbox->recover();
  ASSERT_TRUE(recovery.ok()) << recovery.error().message;
  ASSERT_EQ(recovery->entries.size(), 1u);
  EXPECT_EQ(recovery->entries[0].notifications.size(), 1u);
}

}  // namespace
}  // namespace fmn::sinks
