// The in-memory recent-message store: bounded by count and by age, messages found by msg_id
// until they leave, the newest of two with one id found.
#include "sinks/recent_messages.h"

#include <gtest/gtest.h>

#include "core/envelope_parser.h"

namespace fmn::sinks {
namespace {

using std::chrono::hours;
using Time = std::chrono::system_clock::time_point;

const Time kStart = Time(std::chrono::seconds(1700000000));

MessagePtr message(const std::string& msg_id, const std::string& topic = "org.x.prod.a.b") {
  auto m = parse_envelope(R"({"topic":")" + topic + R"(","msg":{},"msg_id":")" + msg_id + "\"}");
  EXPECT_TRUE(m.ok());
  return MessagePtr(std::move(m).value());
}

std::vector<std::string> ids(const std::vector<RecentMessage>& messages) {
  std::vector<std::string> out;
  for (const RecentMessage& r : messages) out.emplace_back(r.message->msg_id);
  return out;
}

TEST(RecentMessages, KeepsTheNewestMaxMessagesOldestFirst) {
  RecentMessages recent({.max_messages = 3, .max_age = hours(1)});
  for (int i = 0; i < 5; ++i) recent.add({message("m" + std::to_string(i)), kStart});
  EXPECT_EQ(recent.size(), 3u);
  EXPECT_EQ(ids(recent.snapshot(kStart)), (std::vector<std::string>{"m2", "m3", "m4"}));
}

TEST(RecentMessages, FindsByMsgIdUntilTheMessageIsEvicted) {
  RecentMessages recent({.max_messages = 2, .max_age = hours(1)});
  recent.add({message("a", "org.x.prod.first"), kStart});
  recent.add({message("b"), kStart});
  auto a = recent.find("a", kStart);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->message->topic, "org.x.prod.first");
  EXPECT_FALSE(recent.find("nope", kStart).has_value());

  recent.add({message("c"), kStart});  // "a" leaves
  EXPECT_FALSE(recent.find("a", kStart).has_value());
  EXPECT_TRUE(recent.find("b", kStart).has_value());
  EXPECT_TRUE(recent.find("c", kStart).has_value());
}

TEST(RecentMessages, AnIdSeenTwiceNamesTheNewestAndSurvivesTheOldestLeaving) {
  RecentMessages recent({.max_messages = 2, .max_age = hours(1)});
  recent.add({message("same", "org.x.prod.old"), kStart});
  recent.add({message("same", "org.x.prod.new"), kStart});
  EXPECT_EQ(recent.find("same", kStart)->message->topic, "org.x.prod.new");
  recent.add({message("other"), kStart});  // the old copy leaves, the new one stays
  ASSERT_TRUE(recent.find("same", kStart).has_value());
  EXPECT_EQ(recent.find("same", kStart)->message->topic, "org.x.prod.new");
}

TEST(RecentMessages, DropsWhatIsOlderThanMaxAge) {
  RecentMessages recent({.max_messages = 100, .max_age = hours(2)});
  recent.add({message("old"), kStart});
  recent.add({message("mid"), kStart + hours(1)});
  EXPECT_EQ(recent.size(), 2u);
  // Read later, the old one is no longer offered even before anything new arrives.
  EXPECT_EQ(ids(recent.snapshot(kStart + hours(2) + std::chrono::seconds(1))),
            (std::vector<std::string>{"mid"}));
  EXPECT_FALSE(recent.find("old", kStart + hours(3)).has_value());
  recent.add({message("new"), kStart + hours(3)});  // evicts "old", keeps "mid"
  EXPECT_EQ(ids(recent.snapshot(kStart + hours(3))), (std::vector<std::string>{"mid", "new"}));
}

TEST(RecentMessages, MessagesWithoutAnIdAreKeptButNotIndexed) {
  RecentMessages recent({.max_messages = 1, .max_age = hours(1)});
  recent.add({message(""), kStart});
  EXPECT_EQ(recent.size(), 1u);
  EXPECT_FALSE(recent.find("", kStart).has_value());
  recent.add({message("x"), kStart});
  EXPECT_EQ(ids(recent.snapshot(kStart)), (std::vector<std::string>{"x"}));
}

}  // namespace
}  // namespace fmn::sinks
