#include "dsl/interpreter.h"

#include <gtest/gtest.h>

#include "dsl/explain.h"
#include "tests/dsl/dsl_test_support.h"

namespace fmn::dsl {
namespace {

using testing::compile_ok;
using testing::Corpus;

class Semantics : public ::testing::Test {
 protected:
  void SetUp() override {
    msg_ = testing::message(
        R"({"topic":"org.fedoraproject.prod.bodhi.update.comment","msg_id":"2024-x","i":3,)"
        R"("timestamp":1700000000,"msg":{"comment":{"user":{"name":"kevin"},"karma":-1,)"
        R"("text":"Works for me"},"update":{"title":"kernel-6.1-1.fc39","critpath":true,)"
        R"("status":"testing","builds":[{"nvr":"kernel-6.1-1.fc39"},{"nvr":"k2"}],)"
        R"("tags":["a","b"],"nothing":null,"pull-request":{"id":7}}}})");
    msg_->meta.category = "bodhi";
    msg_->meta.agent = "kevin";
    msg_->meta.usernames = {"kevin", "ralph"};
    msg_->meta.packages = {"kernel"};
    params_ = testing::params("ralph", {"kernel", "systemd"});
  }

  bool eval(const std::string& test) { return testing::evaluates(test, *msg_, params_); }

  std::unique_ptr<Message> msg_;
  UserParams params_;
};

TEST_F(Semantics, Comparisons) {
  EXPECT_TRUE(eval("category == \"bodhi\""));
  EXPECT_TRUE(eval("agent != $me"));
  EXPECT_TRUE(eval("msg.comment.karma == -1"));
  EXPECT_TRUE(eval("msg.comment.karma < 0 and msg.comment.karma >= -1"));
  EXPECT_TRUE(eval("msg.update.critpath == true"));
  EXPECT_TRUE(eval("msg.update.title > \"kernel\""));  // strings order bytewise
  EXPECT_TRUE(eval("timestamp > 1600000000"));
  EXPECT_FALSE(eval("msg.comment.karma == \"-1\""));  // never converted
  EXPECT_FALSE(eval("msg.update.critpath == 1"));
  EXPECT_FALSE(eval("msg.update.builds == \"k2\""));  // a list equals no single value
}

TEST_F(Semantics, MissingValues) {
  // Every test on a missing value is false, except `!=`, which is `not ==`.
  for (const char* path :
       {"msg.absent", "msg.update.nothing", "msg.update.title.x", "msg.update.builds[5]"}) {
    std::string p(path);
    EXPECT_FALSE(eval(p + " == \"x\"")) << p;
    EXPECT_TRUE(eval(p + " != \"x\"")) << p;
    EXPECT_FALSE(eval(p + " < 3")) << p;
    EXPECT_FALSE(eval(p + " >= 3")) << p;
    EXPECT_FALSE(eval(p + " in [\"x\"]")) << p;
    EXPECT_FALSE(eval(p + " ~ \"*\"")) << p;
    EXPECT_FALSE(eval(p + " contains \"\"")) << p;
    EXPECT_FALSE(eval(p + " matches \"\"")) << p;
    EXPECT_TRUE(eval("not " + p + " == \"x\"")) << p;
  }
  EXPECT_TRUE(eval("exists msg.update.nothing"));  // present, though null
  EXPECT_FALSE(eval("exists msg.update.absent"));
  EXPECT_FALSE(eval("exists subtitle"));
  EXPECT_FALSE(eval("subtitle == \"x\""));
  EXPECT_TRUE(eval("subtitle != \"x\""));
  EXPECT_TRUE(eval("exists agent and exists packages and not exists containers"));
  params_.me.clear();
  EXPECT_FALSE(eval("agent == $me"));
  EXPECT_TRUE(eval("agent != $me"));
}

TEST_F(Semantics, ListsAndMembership) {
  EXPECT_TRUE(eval("$me in usernames"));
  EXPECT_TRUE(eval("packages in $my_packages"));  // lists: a common element
  EXPECT_FALSE(eval("usernames in $my_packages"));
  EXPECT_TRUE(eval("msg.update.status in [\"stable\", \"testing\"]"));
  EXPECT_TRUE(eval("msg.comment.karma in [1, -1]"));
  EXPECT_FALSE(eval("msg.comment.karma in [\"-1\"]"));
  EXPECT_TRUE(eval("\"b\" in msg.update.tags"));
  EXPECT_TRUE(eval("msg.update.tags in [\"z\", \"a\"]"));
  EXPECT_FALSE(eval("\"kernel-6.1-1.fc39\" in msg.update.builds"));  // objects are not compared
  EXPECT_FALSE(eval("\"x\" in $followed_users"));
  EXPECT_FALSE(eval("msg.update.title in msg.update.status"));  // not a list
  // A maintainer of thousands of packages (the search strategy changes with the sizes).
  for (int i = 0; i < 3000; ++i) params_.my_packages.push_back("pkg" + std::to_string(i));
  params_.normalize();
  EXPECT_TRUE(eval("packages in $my_packages"));
  EXPECT_TRUE(eval("$my_packages in packages"));
  params_.my_packages.erase(
      std::find(params_.my_packages.begin(), params_.my_packages.end(), "kernel"));
  EXPECT_FALSE(eval("packages in $my_packages"));
  EXPECT_FALSE(eval("$my_packages in packages"));
}

TEST_F(Semantics, StringTests) {
  EXPECT_TRUE(eval("topic ~ \"*.bodhi.update.comment\""));
  EXPECT_TRUE(eval("topic ~ \"org.*.prod.bodhi.*\""));
  EXPECT_TRUE(eval("topic ~ \"*bodhi*\""));
  EXPECT_TRUE(eval("topic ~ \"org.fedoraproject.prod.bodhi.update.commen?\""));
  EXPECT_FALSE(eval("topic ~ \"*.bodhi.update\""));
  EXPECT_FALSE(eval("topic ~ \"bodhi.*\""));
  EXPECT_TRUE(eval("topic ~ [\"*.koji.*\", \"*.bodhi.*\"]"));
  EXPECT_TRUE(eval("msg.update.title startswith \"kernel-\""));
  EXPECT_TRUE(eval("msg.update.title endswith [\".fc38\", \".fc39\"]"));
  EXPECT_TRUE(eval("msg.comment.text contains \"for me\""));
  EXPECT_FALSE(eval("msg.comment.text contains \"For me\""));
  EXPECT_TRUE(eval("msg.comment.text matches \"(?i)^works\""));
  EXPECT_TRUE(eval("msg.comment.text matches \"for\""));  // a search, not a full match
  EXPECT_TRUE(eval("usernames ~ \"ra*\""));               // on a list: any element
  EXPECT_TRUE(eval("msg.update.tags contains \"b\""));
  EXPECT_TRUE(eval("msg.update.title startswith $my_packages"));
  EXPECT_FALSE(eval("msg.comment.karma contains \"1\""));  // a number is not a string
}

TEST_F(Semantics, PathsAndLogic) {
  EXPECT_TRUE(eval("msg.update.builds[1].nvr == \"k2\""));
  EXPECT_TRUE(eval("msg.update[\"pull-request\"].id == 7"));
  EXPECT_TRUE(eval("msg[\"comment\"][\"user\"].name == \"kevin\""));
  EXPECT_TRUE(eval("not (agent == $me) and ($me in usernames or false)"));
  EXPECT_FALSE(eval("true and not true"));
  EXPECT_TRUE(eval("not not true"));
}

TEST_F(Semantics, ExplainSaysWhy) {
  RuleSet rules = compile_ok(
      "def mine = agent == $me\n"
      "rule \"comments\" = topic ~ \"*.bodhi.update.comment\" and not mine and "
      "msg.comment.user.name == $me or false\n");
  std::vector<ExplainLine> lines = explain(rules.rules[0], *msg_, params_);
  std::string text = render_explanation(rules.rules[0], lines);
  EXPECT_EQ(lines[0].result, evaluate(rules.rules[0], *msg_, params_));
  EXPECT_EQ(text,
            "rule \"comments\": no match\n"
            "  false   or\n"
            "  false     and\n"
            "  true        topic ~ \"*.bodhi.update.comment\"   topic = "
            "\"org.fedoraproject.prod.bodhi.update.comment\"\n"
            "  true        not\n"
            "  false         agent == $me                     agent = \"kevin\", $me = "
            "\"ralph\"\n"
            "  false       msg.comment.user.name == $me       msg.comment.user.name = "
            "\"kevin\", $me = \"ralph\"\n"
            "  false     false\n");
}

// FMN's defaults on real messages. Each expectation was worked out by hand from the message,
// its ground-truth meta and fmn/lib/defaults.py.
class Defaults : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Diagnostics diags;
    rules_ = new RuleSet(*compile(default_rules_source(), diags));
  }
  static void TearDownTestSuite() { delete rules_; }

  // The names of the default rules the message on `line` matches for the user.
  std::vector<std::string> matched(size_t line, const UserParams& p) {
    std::vector<std::string> out;
    for (const CompiledRule& r : rules_->rules) {
      if (evaluate(r, Corpus::real().line(line), p)) out.push_back(r.name);
    }
    return out;
  }

  static RuleSet* rules_;
};
RuleSet* Defaults::rules_ = nullptr;

using Names = std::vector<std::string>;
const std::string kMine = "Events referring to my username";
const std::string kPackages = "Events on packages that I own";

TEST_F(Defaults, MessagesAboutMe) {
  UserParams ralph = testing::params("ralph");
  EXPECT_EQ(matched(14, ralph), Names{kMine});  // planet.post.new: a blog post of mine
  EXPECT_EQ(matched(28, ralph), Names{kMine});  // fedbadges.badge.award: kept
  EXPECT_EQ(matched(41, ralph), Names{kMine});  // a scratch build FAILED: kept
  EXPECT_EQ(matched(32, ralph), Names{});       // fedbadges first login: excluded
  EXPECT_EQ(matched(10, ralph), Names{});       // pkgdb: my own pkgdb activity
  EXPECT_EQ(matched(15, ralph), Names{});       // buildsys.tag: mutual noise
  EXPECT_EQ(matched(16, ralph), Names{});       // a build starting (new == 0)
  EXPECT_EQ(matched(38, ralph), Names{});       // anitya: all excluded
  EXPECT_EQ(matched(35, testing::params("fatka")), Names{kMine});  // copr.build.end
  EXPECT_EQ(matched(33, testing::params("fatka")), Names{});       // copr.build.start
  EXPECT_EQ(matched(77, testing::params("kevin")), Names{kMine});  // a build completed
  EXPECT_EQ(matched(14, testing::params("kevin")), Names{});       // not about kevin
}

TEST_F(Defaults, MessagesAboutMyPackages) {
  // bodhi update request for control-center, by someone else: wanted.
  EXPECT_EQ(matched(8, testing::params("ralph", {"control-center"})), Names{kPackages});
  // ... but not when I am among its usernames (the username filter decides).
  EXPECT_EQ(matched(8, testing::params("hadess", {"control-center"})), Names{});
  // pkgdb ACL change on python-sh by ralph, seen by another maintainer.
  EXPECT_EQ(matched(10, testing::params("kevin", {"python-sh"})), Names{kPackages});
  // A failed build of 64tass on the s390 koji: secondary instances are excluded.
  EXPECT_EQ(matched(78, testing::params("kevin", {"64tass"})), Names{});
  EXPECT_EQ(matched(49, testing::params("kevin", {"kernel"})), Names{kPackages});
  EXPECT_EQ(matched(49, testing::params("kevin", {"systemd"})), Names{});
}

TEST_F(Defaults, MetaOfTheChosenLinesIsTheGroundTruth) {
  // The expectations above rest on these values (corpus/fedmsg-real.expected.jsonl).
  const Corpus& c = Corpus::real();
  EXPECT_EQ(c.line(8).meta.usernames, (Names{"hadess", "lmacken"}));
  EXPECT_EQ(c.line(8).meta.packages, (Names{"control-center", "gnome-settings-daemon"}));
  EXPECT_EQ(c.line(10).meta.usernames, Names{"ralph"});
  EXPECT_EQ(c.line(10).meta.packages, Names{"python-sh"});
  EXPECT_EQ(c.line(78).meta.packages, Names{"64tass"});
  EXPECT_EQ(c.line(49).meta.packages, Names{"kernel"});
  for (size_t line : {14, 28, 41, 32, 15, 16, 38}) {
    const Names& u = c.line(line).meta.usernames;
    EXPECT_TRUE(std::find(u.begin(), u.end(), "ralph") != u.end()) << line;
  }
}

TEST_F(Defaults, EvaluatesEveryCorpusMessage) {
  // Totality: every rule on every message, for a user with many packages, answers.
  UserParams p = testing::params("ralph", {"kernel", "python-sh", "control-center", "guake"});
  size_t matches = 0;
  for (const Corpus* c : {&Corpus::real(), &Corpus::examples()}) {
    for (size_t line = 1; line <= c->size(); ++line) {
      for (const CompiledRule& r : rules_->rules) matches += evaluate(r, c->line(line), p);
    }
  }
  EXPECT_GT(matches, 10u);
}

}  // namespace
}  // namespace fmn::dsl
