#include "bus/dedupe_window.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "core/bounded_id.h"
#include "core/envelope_parser.h"

namespace fmn::bus {
namespace {

MessagePtr message(const std::string& msg_id) {
  std::string json = R"({"topic":"org.fedoraproject.prod.x.y","msg":{})";
  if (!msg_id.empty()) json += R"(,"msg_id":")" + msg_id + "\"";
  auto m = parse_envelope(json + "}");
  EXPECT_TRUE(m.ok()) << m.error().message;
  return std::move(m).value();
}

TEST(DedupeWindow, DropsRepeatsWithinTheWindow) {
  DedupeWindow window(4);
  EXPECT_TRUE(window.admit("a"));
  EXPECT_TRUE(window.admit("b"));
  EXPECT_FALSE(window.admit("a"));
  EXPECT_FALSE(window.admit("b"));
  EXPECT_EQ(window.stats().admitted, 2u);
  EXPECT_EQ(window.stats().duplicates, 2u);
}

TEST(DedupeWindow, ForgetsTheOldestBeyondCapacity) {
  DedupeWindow window(3);
  for (const char* id : {"1", "2", "3", "4"}) EXPECT_TRUE(window.admit(id));
  // "1" was pushed out by "4"; "2".."4" are still remembered.
  EXPECT_TRUE(window.admit("1"));
  EXPECT_FALSE(window.admit("3"));
  EXPECT_FALSE(window.admit("4"));
  EXPECT_FALSE(window.admit("1"));
  EXPECT_TRUE(window.admit("2"));  // pushed out by the second "1"
}

TEST(DedupeWindow, LongIdsSurviveSlotReuse) {
  DedupeWindow window(2);
  std::string long_id(200, 'x');
  for (int round = 0; round < 5; ++round) {
    std::string a = long_id + std::to_string(round) + "a";
    std::string b = std::to_string(round) + "b";
    EXPECT_TRUE(window.admit(a));
    EXPECT_TRUE(window.admit(b));
    EXPECT_FALSE(window.admit(a));
    EXPECT_FALSE(window.admit(b));
  }
}

// Bytes the C library's allocator has handed out and not taken back.
int64_t heap_in_use() {
  const struct mallinfo2 info = mallinfo2();
  return static_cast<int64_t>(info.uordblks + info.hblkhd);
}

// A msg_id has no length limit on the bus: a megabyte-long one is recognised again, told apart
// from another as long, and remembered by its hash, not whole, so the window's memory follows
// its capacity and not what publishers send.
TEST(DedupeWindow, AHugeIdIsRecognisedButNotKeptWhole) {
  DedupeWindow window(16);
  const std::string huge(1 << 20, 'h');
  std::string other = huge;
  other.back() = 'i';
  (void)bounded_id(huge);  // the first SHA-256 sets the crypto library up, which it keeps
  const int64_t before = heap_in_use();
  EXPECT_TRUE(window.admit(huge));
  EXPECT_TRUE(window.admit(other));
  const int64_t grown = heap_in_use() - before;
  EXPECT_FALSE(window.admit(huge));
  EXPECT_FALSE(window.admit(other));
  EXPECT_EQ(window.stats().admitted, 2u);
  EXPECT_LT(grown, 256 << 10);  // two ids of 1 MB each
}

// Against a plain model (the last `capacity` admitted ids), over a long run with ids drawn from
// a small space, so duplicates, evictions and long probe runs in the table all happen.
TEST(DedupeWindow, AgreesWithASimpleModel) {
  for (size_t capacity : {1, 2, 7, 64, 1000}) {
    DedupeWindow window(capacity);
    std::deque<std::string> model;
    std::mt19937 random(static_cast<unsigned>(capacity));
    std::uniform_int_distribution<int> pick(0, static_cast<int>(capacity * 3));
    for (int step = 0; step < 20000; ++step) {
      std::string id = "2024-" + std::to_string(pick(random));
      bool fresh = std::find(model.begin(), model.end(), id) == model.end();
      ASSERT_EQ(window.admit(id), fresh) << "capacity " << capacity << " step " << step;
      if (!fresh) continue;
      model.push_back(id);
      if (model.size() > capacity) model.pop_front();
    }
  }
}

TEST(DedupeWindow, MessagesWithoutIdAlwaysPass) {
  DedupeWindow window(2);
  EXPECT_TRUE(window.admit(""));
  EXPECT_TRUE(window.admit(""));
  EXPECT_EQ(window.stats().without_id, 2u);
  EXPECT_EQ(window.stats().duplicates, 0u);
}

TEST(DedupeWindow, FilterKeepsOrderOfTheRest) {
  DedupeWindow window(16);
  std::vector<MessagePtr> batch = {message("2024-a"), message("2024-b"), message("2024-a"),
                                   message(""),       message("2024-c"), message("2024-b")};
  EXPECT_EQ(window.filter(batch), 2u);
  ASSERT_EQ(batch.size(), 4u);
  EXPECT_EQ(batch[0]->msg_id, "2024-a");
  EXPECT_EQ(batch[1]->msg_id, "2024-b");
  EXPECT_EQ(batch[2]->msg_id, "");
  EXPECT_EQ(batch[3]->msg_id, "2024-c");
  std::vector<MessagePtr> next = {message("2024-c"), message("2024-d")};
  EXPECT_EQ(window.filter(next), 1u);
  EXPECT_EQ(next[0]->msg_id, "2024-d");
}

}  // namespace
}  // namespace fmn::bus
