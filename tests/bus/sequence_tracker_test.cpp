#include "bus/sequence_tracker.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/bounded_id.h"
#include "core/envelope_parser.h"

namespace fmn::bus {
namespace {

MessagePtr message(const std::string& topic, int64_t seq, const std::string& username = "") {
  std::string json = R"({"topic":")" + topic + R"(","msg":{},"i":)" + std::to_string(seq);
  if (!username.empty()) json += R"(,"username":")" + username + "\"";
  auto m = parse_envelope(json + "}");
  EXPECT_TRUE(m.ok()) << m.error().message;
  return std::move(m).value();
}

TEST(PublisherKey, TopicUpToTheModuleAndUsername) {
  EXPECT_EQ(publisher_key(*message("org.fedoraproject.prod.bodhi.update.comment", 1, "apache")),
            "apache@org.fedoraproject.prod.bodhi");
  EXPECT_EQ(publisher_key(*message("org.release-monitoring.prod.anitya.project.add", 1)),
            "org.release-monitoring.prod.anitya");
  // No "<prefix>.<env>." part: the first component is the module.
  EXPECT_EQ(publisher_key(*message("bodhi.update.comment", 1)), "bodhi");
}

// A username comes from the bus with no length limit, and the tracker keeps a key per
// publisher: a long one is keyed by its SHA-256, still one publisher of its own.
TEST(PublisherKey, AHugeUsernameMakesABoundedKeyOfItsOwn) {
  const std::string huge(1 << 20, 'u');
  const std::string other = huge.substr(1) + "v";
  const std::string topic = "org.fedoraproject.prod.bodhi.update.comment";
  const std::string key = publisher_key(*message(topic, 1, huge));
  EXPECT_EQ(key, bounded_id(huge) + "@org.fedoraproject.prod.bodhi");
  EXPECT_NE(publisher_key(*message(topic, 1, other)), key);
  SequenceTracker tracker;
  EXPECT_EQ(tracker.observe(*message(topic, 1, huge)).event, SeqEvent::kFirst);
  EXPECT_EQ(tracker.observe(*message(topic, 7, other)).event, SeqEvent::kFirst);
  EXPECT_EQ(tracker.observe(*message(topic, 2, huge)).event, SeqEvent::kInOrder);
}

TEST(SequenceTracker, ClassifiesEachStep) {
  SequenceTracker tracker;
  const std::string topic = "org.fedoraproject.prod.buildsys.build.state.change";
  EXPECT_EQ(tracker.observe(*message(topic, 10)).event, SeqEvent::kFirst);
  EXPECT_EQ(tracker.observe(*message(topic, 11)).event, SeqEvent::kInOrder);
  SeqVerdict gap = tracker.observe(*message(topic, 15));
  EXPECT_EQ(gap.event, SeqEvent::kGap);
  EXPECT_EQ(gap.missing, 3u);
  EXPECT_EQ(tracker.observe(*message(topic, 15)).event, SeqEvent::kRepeat);
  EXPECT_EQ(tracker.observe(*message(topic, 1)).event, SeqEvent::kRestart);
  EXPECT_EQ(tracker.observe(*message(topic, 2)).event, SeqEvent::kInOrder);

  SequenceStats s = tracker.stats();
  EXPECT_EQ(s.messages, 6u);
  EXPECT_EQ(s.publishers, 1u);
  EXPECT_EQ(s.gaps, 1u);
  EXPECT_EQ(s.missing, 3u);
  EXPECT_EQ(s.repeats, 1u);
  EXPECT_EQ(s.restarts, 1u);
}

TEST(SequenceTracker, PublishersAreIndependent) {
  SequenceTracker tracker;
  std::vector<MessagePtr> batch = {
      message("org.fedoraproject.prod.bodhi.update.request", 1, "apache"),
      message("org.fedoraproject.prod.bodhi.update.comment", 1, "bodhi"),
      message("org.fedoraproject.prod.bodhi.update.comment", 2, "apache"),
      message("org.fedoraproject.prod.bodhi.update.comment", 2, "bodhi"),
      message("org.fedoraproject.stg.bodhi.update.comment", 7, "apache"),
  };
  tracker.observe(batch);
  SequenceStats s = tracker.stats();
  EXPECT_EQ(s.messages, 5u);
  EXPECT_EQ(s.publishers, 3u);
  EXPECT_EQ(s.gaps, 0u);
  EXPECT_EQ(s.restarts, 0u);
}

TEST(SequenceTracker, UnsequencedMessagesAreOnlyCounted) {
  SequenceTracker tracker;
  auto m = parse_envelope(R"({"topic":"org.fedoraproject.prod.x.y","msg":{}})");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(tracker.observe(*m.value()).event, SeqEvent::kUnsequenced);
  EXPECT_EQ(tracker.stats().unsequenced, 1u);
  EXPECT_EQ(tracker.stats().publishers, 0u);
}

TEST(SequenceTracker, ExtremeValuesDoNotOverflow) {
  SequenceTracker tracker;
  const std::string topic = "org.fedoraproject.prod.x.y";
  tracker.observe(*message(topic, INT64_MIN + 1));
  SeqVerdict v = tracker.observe(*message(topic, INT64_MAX));
  EXPECT_EQ(v.event, SeqEvent::kGap);
  EXPECT_EQ(v.missing, UINT64_MAX - 2);
  EXPECT_EQ(tracker.observe(*message(topic, INT64_MAX)).event, SeqEvent::kRepeat);
}

TEST(SequenceTracker, BoundedNumberOfPublishers) {
  SequenceTracker tracker(2);
  EXPECT_EQ(tracker.observe(*message("a.prod.one.x", 1)).event, SeqEvent::kFirst);
  EXPECT_EQ(tracker.observe(*message("a.prod.two.x", 1)).event, SeqEvent::kFirst);
  EXPECT_EQ(tracker.observe(*message("a.prod.three.x", 1)).event, SeqEvent::kUntracked);
  EXPECT_EQ(tracker.observe(*message("a.prod.one.x", 2)).event, SeqEvent::kInOrder);
  EXPECT_EQ(tracker.stats().untracked, 1u);
  EXPECT_EQ(tracker.stats().publishers, 2u);
}

}  // namespace
}  // namespace fmn::bus
