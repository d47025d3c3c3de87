// The runtime helpers, called natively: each specialised helper agrees with dsl::test_atom on
// the atoms the lowering hands it, over the whole corpus.
#include "dsl/codegen/runtime_helpers.h"

#include <gtest/gtest.h>

#include "dsl/codegen/lowering.h"
#include "dsl/value.h"
#include "tests/codegen/test_corpus.h"

namespace fmn::codegen {
namespace {

using testing_support::compile_one;
using testing_support::corpus_messages;

struct Case {
  const char* test;
  Helper expected;
};

class HelperAgrees : public testing::TestWithParam<Case> {};

TEST_P(HelperAgrees, WithTheInterpreterOnEveryCorpusMessage) {
  auto rule = compile_one(std::string("rule \"r\" = ") + GetParam().test + "\n");
  ASSERT_NE(rule, nullptr) << GetParam().test;
  ASSERT_EQ(rule->atoms.size(), 1u);
  HelperCall call = choose_helper(*rule, 0);
  EXPECT_EQ(call.helper, GetParam().expected);
  testing_support::RuleSampler sampler(7);
  std::vector<dsl::UserParams> users{dsl::UserParams{}};
  dsl::UserParams ralph;
  ralph.me = "ralph";
  ralph.my_packages = {"kernel", "nethack", "python-requests"};
  ralph.followed_users = {"bowlofeggs", "kevin", "ralph"};
  users.push_back(ralph);
  for (int i = 0; i < 8; ++i) users.push_back(sampler.params());
  size_t matched = 0;
  for (const auto& m : corpus_messages()) {
    for (const dsl::UserParams& p : users) {
      const dsl::ParamsView view = p;
      bool expected = dsl::test_atom(dsl::Context{*rule, *m, view}, rule->atoms[0]);
      bool got = helper_function(call.helper)(m.get(), &view, rule.get(), call.a, call.b) != 0;
      ASSERT_EQ(got, expected) << GetParam().test << " on " << m->topic;
      matched += got;
    }
  }
  EXPECT_GT(matched, 0u) << "no message exercises the match side of " << GetParam().test;
}

INSTANTIATE_TEST_SUITE_P(
    Helpers, HelperAgrees,
    testing::Values(Case{"packages in $my_packages", Helper::kListsMeet},
                    Case{"$followed_users in usernames", Helper::kListsMeet},
                    Case{"$me in usernames", Helper::kMeInList},
                    Case{"agent in $followed_users", Helper::kScalarInParam},
                    Case{"topic ~ [\"*.bodhi.*\", \"*.buildsys.tag\"]", Helper::kTopicGlob},
                    Case{"topic == \"org.fedoraproject.prod.buildsys.tag\"", Helper::kTopicEq},
                    Case{"topic startswith [\"org.fedoraproject.prod\", \"io.\"]",
                         Helper::kTopicStarts},
                    Case{"topic endswith \"update.comment\"", Helper::kTopicEnds},
                    Case{"topic contains [\"copr\", \"koji\"]", Helper::kTopicContains},
                    Case{"msg.update.status == \"testing\"", Helper::kAtom},
                    Case{"category in [\"bodhi\", \"git\"]", Helper::kAtom}));

TEST(RuntimeSymbols, NameEveryHelperOnce) {
  auto symbols = runtime_symbols();
  ASSERT_EQ(symbols.size(), static_cast<size_t>(kHelperCount));
  for (int i = 0; i < kHelperCount; ++i) {
    EXPECT_EQ(symbols[i].name, helper_name(static_cast<Helper>(i)));
    EXPECT_EQ(symbols[i].address,
              reinterpret_cast<const void*>(helper_function(static_cast<Helper>(i))));
  }
}

}  // namespace
}  // namespace fmn::codegen
