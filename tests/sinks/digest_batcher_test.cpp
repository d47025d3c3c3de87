#include "sinks/digest_batcher.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "sinks/digest_store_factory.h"
#include "sinks/memory_digest_store.h"
#include "sinks/notification_codec.h"
#include "sinks/renderer.h"
#include "sinks/text_escape.h"
#include "tests/sinks/notification_fixture.h"
#include "tests/sinks/recording_sink.h"
#include "tests/support/fake_clock.h"

namespace fmn::sinks {
namespace {

using namespace std::chrono_literals;
using test::FakeClock;
using testing::make_notification;
using testing::MessageSpec;
using testing::RecordingSink;

Notification item(int i, std::string user = "bowlofeggs", std::string address = "b@example.org") {
  MessageSpec spec;
  spec.msg_id = "2024-msg-" + std::to_string(i);
  spec.subtitle = "item " + std::to_string(i);
  Notification n = make_notification(spec, DestinationKind::kEmail, address);
  n.set_names(user, n.rule_name(), n.address());
  return n;
}

// A batcher in front of a recording sink, given notifications that all carry `policy`.
struct Fixture {
  explicit Fixture(DigestPolicy policy, DigestBatcherConfig config = {})
      : policy(policy), store(48h, clock), batcher(sink, store, config, clock) {}
  void deliver(std::vector<Notification> batch) {
    for (Notification& n : batch) n.digest = policy;
    batcher.deliver(batch);
  }
  DigestPolicy policy;
  FakeClock clock;
  RecordingSink sink;
  MemoryDigestStore store;
  DigestBatcher batcher;
};

std::vector<std::string> subtitles(const Digest& d) {
  std::vector<std::string> out;
  for (const Notification& n : d.items) out.push_back(*n.message->meta.subtitle);
  return out;
}

TEST(DigestBatcher, ImmediatePolicyPassesThrough) {
  Fixture f(DigestPolicy{});
  const Notification a = item(1), b = item(2);
  f.deliver(std::vector{a, b});
  ASSERT_EQ(f.sink.single.size(), 2u);
  EXPECT_TRUE(f.sink.digests.empty());
}

TEST(DigestBatcher, NeverDeliversTheSameMessageTwiceToADestination) {
  Fixture f(DigestPolicy{});
  const Notification a = item(1);
  Notification other_rule = item(1);
  other_rule.set_names(other_rule.user(), "another rule", other_rule.address());
  const Notification other_address = item(1, "bowlofeggs", "c@example.org");
  f.deliver(std::vector{a, other_rule, a, other_address});
  ASSERT_EQ(f.sink.single.size(), 2u);
  EXPECT_EQ(f.sink.single[1].address(), "c@example.org");
}

TEST(DigestBatcher, AnImmediateNotificationIsMarkedDeliveredOnlyOnceTheSinkConfirmedIt) {
  Fixture f(DigestPolicy{});
  f.sink.hold_notifications = true;
  const Notification a = item(1);
  const std::string id = delivery_id(a);
  f.batcher.deliver({&a, 1});
  ASSERT_EQ(f.sink.single.size(), 1u);
  EXPECT_FALSE(f.store.seen(id).value());  // a stop now leaves it unmarked: replayed later
  f.batcher.deliver({&a, 1});              // a repeat while it is on its way
  EXPECT_EQ(f.sink.single.size(), 1u);
  ASSERT_EQ(f.sink.unconfirmed.size(), 1u);
  f.sink.unconfirmed[0]();  // the server confirmed it
  EXPECT_TRUE(f.store.seen(id).value());
  f.batcher.deliver({&a, 1});
  EXPECT_EQ(f.sink.single.size(), 1u);
}

// What sits in front of the batcher (the outbox) learns when each notification is safe: an
// immediate one once the sink settled it, a repeat of a delivered one at once, a digest item
// once the store holds it.
TEST(DigestBatcher, SettlesWhatItWasGivenOnlyOnceItIsSafe) {
  Fixture immediate(DigestPolicy{});
  immediate.sink.hold_notifications = true;
  const Notification a = item(1);
  int settled = 0;
  std::vector<NotificationSettled> callbacks{[&] { ++settled; }};
  immediate.batcher.deliver_confirmed({&a, 1}, callbacks);
  EXPECT_EQ(settled, 0);
  ASSERT_EQ(immediate.sink.unconfirmed.size(), 1u);
  immediate.sink.unconfirmed[0]();  // the server confirmed it
  EXPECT_EQ(settled, 1);
  callbacks = {[&] { ++settled; }};
  immediate.batcher.deliver_confirmed({&a, 1}, callbacks);  // redelivered after a crash
  EXPECT_EQ(settled, 2);
  EXPECT_EQ(immediate.sink.single.size(), 1u);

  Fixture digest(DigestPolicy{60s, 0});
  Notification in_digest = a;
  in_digest.digest = digest.policy;
  callbacks = {[&] { ++settled; }};
  digest.batcher.deliver_confirmed({&in_digest, 1}, callbacks);
  EXPECT_EQ(settled, 3);
  EXPECT_TRUE(digest.sink.digests.empty());
}

TEST(DigestBatcher, EachNotificationFollowsThePolicyItCarries) {
  Fixture f(DigestPolicy{});
  Notification at_once = item(1, "a", "a@example.org");
  Notification in_pairs = item(2, "b", "b@example.org");
  in_pairs.digest = DigestPolicy{0s, 2};
  Notification second = item(3, "b", "b@example.org");
  second.digest = in_pairs.digest;
  f.batcher.deliver(std::vector{at_once, in_pairs});
  ASSERT_EQ(f.sink.single.size(), 1u);
  EXPECT_EQ(f.sink.single[0].user(), "a");
  EXPECT_TRUE(f.sink.digests.empty());
  f.batcher.deliver(std::vector{second});
  ASSERT_EQ(f.sink.digests.size(), 1u);
  EXPECT_EQ(subtitles(f.sink.digests[0]), (std::vector<std::string>{"item 2", "item 3"}));
}

TEST(DigestBatcher, FlushesOnCount) {
  Fixture f(DigestPolicy{0s, 3});
  f.deliver(std::vector{item(1), item(2)});
  EXPECT_TRUE(f.sink.digests.empty());
  f.deliver(std::vector{item(3), item(4)});
  ASSERT_EQ(f.sink.digests.size(), 1u);
  EXPECT_EQ(subtitles(f.sink.digests[0]),
            (std::vector<std::string>{"item 1", "item 2", "item 3", "item 4"}));
  f.clock.advance(1000h);
  f.batcher.tick();  // a count-only policy never flushes on time
  EXPECT_EQ(f.sink.digests.size(), 1u);
}

TEST(DigestBatcher, FlushesOnTimePerUserAndDestination) {
  Fixture f(DigestPolicy{60s, 0});
  f.deliver(std::vector{item(1, "a"), item(2, "b")});
  f.clock.advance(30s);
  f.deliver(std::vector{item(3, "a")});
  f.batcher.tick();
  EXPECT_TRUE(f.sink.digests.empty());
  f.clock.advance(30s);
  f.batcher.tick();
  ASSERT_EQ(f.sink.digests.size(), 2u);
  const Digest& a =
      f.sink.digests[0].items[0].user() == "a" ? f.sink.digests[0] : f.sink.digests[1];
  EXPECT_EQ(subtitles(a), (std::vector<std::string>{"item 1", "item 3"}));
  EXPECT_EQ(f.sink.ticks, 2);
  f.clock.advance(1h);
  f.batcher.tick();
  EXPECT_EQ(f.sink.digests.size(), 2u);  // nothing pending any more
}

TEST(DigestBatcher, CapsTheDigestAndCountsTheRest) {
  DigestBatcherConfig config;
  config.max_items = 2;
  Fixture f(DigestPolicy{0s, 5}, config);
  f.deliver(std::vector{item(1), item(2), item(3), item(4), item(5)});
  ASSERT_EQ(f.sink.digests.size(), 1u);
  EXPECT_EQ(f.sink.digests[0].items.size(), 2u);
  EXPECT_EQ(f.sink.digests[0].omitted, 3u);
}

TEST(DigestBatcher, RecoverRedeliversWhatWasInFlight) {
  FakeClock clock;
  MemoryDigestStore store(48h, clock);
  {
    // A run that took a digest but stopped before the sink got it.
    std::string bytes;
    encode_notification(item(7), bytes);
    ASSERT_EQ(store.add("email:bowlofeggs:b@example.org", "id-7", bytes, 0, 0).value(), 1u);
    ASSERT_EQ(store.take("email:bowlofeggs:b@example.org").value().size(), 1u);
  }
  RecordingSink sink;
  DigestBatcher batcher(sink, store, {}, clock);
  batcher.recover();
  ASSERT_EQ(sink.digests.size(), 1u);
  EXPECT_EQ(subtitles(sink.digests[0]), (std::vector<std::string>{"item 7"}));
  batcher.recover();
  EXPECT_EQ(sink.digests.size(), 1u);
}

TEST(DigestBatcher, AKeyIsHeldBackUntilTheSinkSettlesItsDigest) {
  Fixture f(DigestPolicy{0s, 2});
  f.sink.hold_digests = true;  // the sink queued it for a retry
  f.deliver(std::vector{item(1), item(2)});
  ASSERT_EQ(f.sink.digests.size(), 1u);
  f.deliver(std::vector{item(3), item(4)});
  f.batcher.tick();
  EXPECT_EQ(f.sink.digests.size(), 1u);  // not sent again while the sink holds it
  f.sink.unsettled[0]();
  f.batcher.tick();
  ASSERT_EQ(f.sink.digests.size(), 2u);
  EXPECT_EQ(subtitles(f.sink.digests[1]), (std::vector<std::string>{"item 3", "item 4"}));
}

TEST(DigestBatcher, AnUnsettledDigestIsRecoveredAfterACrash) {
  Fixture f(DigestPolicy{0s, 2});
  f.sink.hold_digests = true;
  f.deliver(std::vector{item(1), item(2)});
  f.deliver(std::vector{item(3)});
  ASSERT_EQ(f.sink.digests.size(), 1u);
  // The process dies with the digest waiting for a retry: the next run sends it, with the
  // item that was pending beside it, once.
  RecordingSink after_crash;
  DigestBatcher next_run(after_crash, f.store, {}, f.clock);
  next_run.recover();
  ASSERT_EQ(after_crash.digests.size(), 1u);
  EXPECT_EQ(subtitles(after_crash.digests[0]),
            (std::vector<std::string>{"item 1", "item 2", "item 3"}));
  next_run.recover();
  next_run.tick();
  EXPECT_EQ(after_crash.digests.size(), 1u);
}

TEST(NotificationCodec, RoundTripRendersTheSame) {
  const Notification n = item(3);
  std::string bytes;
  encode_notification(n, bytes);
  auto back = decode_notification(bytes);
  ASSERT_TRUE(back.ok()) << back.error().message;
  Renderer r;
  RenderedEmail before, after;
  r.email(n, before);
  r.email(back.value(), after);
  EXPECT_EQ(before.subject, after.subject);
  EXPECT_EQ(before.text, after.text);
  EXPECT_EQ(before.html, after.html);
  EXPECT_EQ(delivery_id(n), delivery_id(back.value()));
  EXPECT_EQ(back->user_id, n.user_id);
  EXPECT_FALSE(decode_notification("not json").ok());
}

TEST(NotificationCodec, ABatchWritesEachMessageOnceAndComesBackWhole) {
  Notification a = item(1), b = a, c = item(2);  // a and b: one message, two users
  b.set_names("bob", b.rule_name(), "bob@example.org");
  const std::vector<Notification> batch{a, b, c};
  std::string bytes;
  encode_notifications(batch, bytes);
  EXPECT_EQ(std::count(bytes.begin(), bytes.end(), '\n'), 3);  // a newline ends each record
  EXPECT_EQ(bytes.find(a.message->msg_id), bytes.rfind(a.message->msg_id));  // written once
  auto back = decode_notifications(bytes);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(delivery_id((*back)[i]), delivery_id(batch[i]));
  EXPECT_EQ((*back)[1].user(), "bob");
  EXPECT_EQ((*back)[0].message, (*back)[1].message);
  EXPECT_FALSE(decode_notifications("R0 1 2 0 0 1:a1:b1:c\n").ok());  // a recipient, no message
}

// Recipient fields are user data: separators inside them must not shift the fields after them.
TEST(NotificationCodec, RecipientsWithSeparatorsInTheirFieldsComeBackIntact) {
  Notification a = item(1), b = a;
  b.set_names("b:o b", "rule\nwith 12:colons and\nnewlines", "");
  b.user_id = 4000000000u;
  const std::vector<Notification> batch{a, b, a};
  std::string bytes;
  encode_notifications(batch, bytes);
  auto back = decode_notifications(bytes);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->size(), 3u);
  EXPECT_EQ((*back)[1].user(), b.user());
  EXPECT_EQ((*back)[1].rule_name(), b.rule_name());
  EXPECT_EQ((*back)[1].address(), "");
  EXPECT_EQ((*back)[1].user_id, b.user_id);
  EXPECT_EQ((*back)[2].address(), a.address());
  for (size_t cut = bytes.find('P') + 1; cut < bytes.size(); ++cut) {  // never the whole batch
    auto part = decode_notifications(std::string_view(bytes).substr(0, cut));
    EXPECT_TRUE(!part.ok() || part->size() < 3) << cut;
  }
}

// An outbox entry recovered after a crash must still wait for its digest, not go out at once.
TEST(NotificationCodec, ANotificationKeepsTheDigestPolicyItCarries) {
  Notification hourly = item(1), pairs = item(2), at_once = item(3);
  hourly.digest = DigestPolicy{3600s, 0};
  pairs.digest = DigestPolicy{0s, 2};
  const std::vector<Notification> batch{hourly, pairs, at_once};
  std::string bytes;
  encode_notifications(batch, bytes);
  auto back = decode_notifications(bytes);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->size(), 3u);
  EXPECT_EQ((*back)[0].digest.every, 3600s);
  EXPECT_EQ((*back)[0].digest.count, 0u);
  EXPECT_EQ((*back)[1].digest.every, 0s);
  EXPECT_EQ((*back)[1].digest.count, 2u);
  EXPECT_TRUE((*back)[2].digest.immediate());
}

// Every recipient of a message keeps its whole policy, the second as much as the first: a daily
// digest at 08:00 in its zone, quiet hours and a snooze come back as they were written.
TEST(NotificationCodec, AFurtherRecipientOfAMessageKeepsItsDailyTimeAndWindow) {
  Notification first = item(1), daily = first;
  daily.set_names("bob", daily.rule_name(), "bob@example.org");
  daily.digest.at = 8 * 60;
  DeliveryWindow window;
  window.tz = "Europe/Prague";
  window.quiet_from = 22 * 60;
  window.quiet_to = 7 * 60;
  window.snoozed_until = 1'900'000'000;
  daily.digest.window = std::make_shared<const DeliveryWindow>(window);
  first.digest = daily.digest;
  for (const auto& batch :
       {std::vector<Notification>{first, daily}, std::vector<Notification>{item(2), daily}}) {
    std::string bytes;
    encode_notifications(batch, bytes);
    auto back = decode_notifications(bytes);
    ASSERT_TRUE(back.ok()) << back.error().message;
    ASSERT_EQ(back->size(), 2u);
    const DigestPolicy& kept = (*back)[1].digest;
    EXPECT_EQ(kept.at, 8 * 60);
    EXPECT_FALSE(kept.immediate());
    ASSERT_NE(kept.window, nullptr);
    EXPECT_EQ(*kept.window, window);
  }
}

// The message's fields come back exactly: the timestamp to the last bit, an absent subtitle
// absent and an empty one empty, names with any byte in them.
TEST(NotificationCodec, AMessageComesBackExactly) {
  MessageSpec spec;
  spec.timestamp = 1714564800.123456789;
  spec.title = "a \"title\"\n12:with~colons";
  spec.usernames = {"", "r:a~l\nph"};
  spec.packages = {};
  Notification n = make_notification(spec, DestinationKind::kEmail, "a@example.org");
  const std::vector<Notification> batch{n};
  std::string bytes;
  encode_notifications(batch, bytes);
  auto back = decode_notifications(bytes);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->size(), 1u);
  const Message& m = *(*back)[0].message;
  EXPECT_EQ(m.timestamp, n.message->timestamp);
  EXPECT_EQ(m.meta.title, spec.title);
  EXPECT_EQ(m.meta.subtitle, n.message->meta.subtitle);
  EXPECT_EQ(m.meta.link, n.message->meta.link);
  EXPECT_EQ(m.meta.usernames, spec.usernames);
  EXPECT_TRUE(m.meta.packages.empty());
  EXPECT_EQ(delivery_id((*back)[0]), delivery_id(n));
}

// A message's display texts come from the bus with no length limit, and a digest item is stored
// per recipient: a text is kept only as far as a rendering shows it, so a message of megabytes
// held for many digests is not copied whole into each item. What is stored still renders
// exactly as the notification did, in every medium and under every field limit.
TEST(NotificationCodec, AMessageWithHugeTextsIsStoredBoundedAndRendersTheSame) {
  MessageSpec spec;
  spec.subtitle.clear();
  for (int i = 0; i < (1 << 18); ++i) spec.subtitle += "\u20AC";  // 3 bytes each
  spec.link = "https://example.org/" + std::string(1 << 20, 'l');
  spec.agent = std::string(1 << 20, 'a');
  for (int i = 0; i < 150; ++i) spec.usernames.push_back("user" + std::to_string(i));
  const Notification n = make_notification(spec);
  std::string item, entry;
  encode_notification(n, item);
  encode_notifications(std::vector<Notification>{n}, entry);
  EXPECT_LT(item.size(), 8 * kMaxFieldBytes);  // 3 MB before
  EXPECT_LT(entry.size(), 8 * kMaxFieldBytes);
  auto one = decode_notification(item);
  ASSERT_TRUE(one.ok()) << one.error().message;
  auto batch = decode_notifications(entry);
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  ASSERT_EQ(batch->size(), 1u);
  for (const Notification& back : {one.value(), batch->front()}) {
    const Meta& meta = back.message->meta;
    EXPECT_TRUE(is_valid_utf8(*meta.subtitle));
    EXPECT_GT(meta.subtitle->size(), kMaxFieldBytes);
    EXPECT_EQ(meta.usernames, spec.usernames);
    EXPECT_EQ(delivery_id(back), delivery_id(n));
    for (size_t max : {size_t{3}, size_t{100}, kMaxFieldBytes, size_t{1} << 20}) {
      RenderConfig config;
      config.base_url = "https://notifications.example.org";
      config.max_field_bytes = max;
      Renderer r(TemplateSet::builtin(), config);
      RenderedEmail before, after;
      r.email(n, before);
      r.email(back, after);
      EXPECT_EQ(before.subject, after.subject) << max;
      EXPECT_EQ(before.text, after.text) << max;
      EXPECT_EQ(before.html, after.html) << max;
      r.digest_email(Digest{{n}}, before);
      r.digest_email(Digest{{back}}, after);
      EXPECT_EQ(before.text, after.text) << max;
      std::string line_before, line_after;
      r.irc_line(n, line_before);
      r.irc_line(back, line_after);
      EXPECT_EQ(line_before, line_after) << max;
      for (size_t event_max : {size_t{4096}, SIZE_MAX}) {
        std::string event_before, event_after;
        EXPECT_EQ(r.sse_json(n, event_before, event_max), r.sse_json(back, event_after, event_max));
        EXPECT_EQ(event_before, event_after) << max << " " << event_max;
      }
    }
  }
}

// Entries written by an earlier version (a JSON object per message, then its further
// recipients) are still read after an upgrade.
TEST(NotificationCodec, ABatchInTheOlderFormIsStillRead) {
  const Notification a = item(1);
  std::string bytes = "M";
  encode_notification(a, bytes);
  bytes += "\nR0 7 9 3600 0 3:bob3:own15:bob@example.org\n";
  auto back = decode_notifications(bytes);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ(delivery_id((*back)[0]), delivery_id(a));
  EXPECT_EQ((*back)[1].message, (*back)[0].message);
  EXPECT_EQ((*back)[1].user(), "bob");
  EXPECT_EQ((*back)[1].address(), "bob@example.org");
  EXPECT_EQ((*back)[1].user_id, 7u);
  EXPECT_EQ((*back)[1].digest.every, 3600s);
}

}  // namespace
}  // namespace fmn::sinks

namespace fmn::sinks {
namespace {

TEST(DigestStoreFactory, MemoryByDefaultAndRedisWhenConfigured) {
  auto memory = open_digest_store(std::nullopt);
  ASSERT_TRUE(memory.ok());
  EXPECT_EQ((*memory)->describe(), "memory");
  RedisConfig unreachable;
  unreachable.port = 1;  // nothing listens there
  unreachable.timeout = std::chrono::milliseconds(500);
  auto redis = open_digest_store(unreachable);
  ASSERT_FALSE(redis.ok());
  EXPECT_EQ(redis.error().code, ErrorCode::kIo);
  EXPECT_NE(redis.error().message.find("redis 127.0.0.1:1"), std::string::npos)
      << redis.error().message;
}

}  // namespace
}  // namespace fmn::sinks
