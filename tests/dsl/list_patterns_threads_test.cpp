// A user's list patterns are compiled on first use; threads evaluating the same user's rules
// at once share one compilation. Run under ThreadSanitizer (label "concurrency").
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "dsl/interpreter.h"
#include "tests/dsl/dsl_test_support.h"

namespace fmn::dsl {
namespace {

TEST(ListPatternThreads, ThreadsReadingAListFirstCompileItOnce) {
  UserParams p = testing::params("kevin");
  p.lists = {{"mentions", {"@kevin\\b", "(?i)KEVIN:", "[", "^ping"}}};
  p.normalize();
  auto m = testing::message(R"({"topic":"t","msg_id":"x","i":1,"timestamp":1,"msg":{}})");
  m->meta.agent = "ping @kevin";
  RuleSet rules = testing::compile_ok("rule \"r\" = agent matches $lists.mentions\n");
  std::vector<std::thread> threads;
  std::vector<int> matched(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) matched[t] += evaluate(rules.rules[0], *m, p);
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(matched, std::vector<int>(4, 100));
  EXPECT_EQ(p.view().user_list_regexes("mentions").size(), 3u);  // "[" is none
}

}  // namespace
}  // namespace fmn::dsl
