// data/rules/fmn-classic.fmn: each translated rule answers as its Python original
// (fmn/rules/*.py) did on chosen corpus messages. The expected column was reasoned out from
// the Python source and the message, not from running our interpreter.
#include <gtest/gtest.h>

#include "dsl/interpreter.h"
#include "tests/dsl/dsl_test_support.h"

namespace fmn::dsl {
namespace {

using testing::Corpus;

struct Case {
  const char* rule;
  size_t line;  // in corpus/fedmsg-real.jsonl
  bool expected;
  const char* why;
};

const Case kCases[] = {
    // generic.py; the user is ralph, maintaining kernel and python-sh.
    {"user_filter", 14, true, "planet post: usernames {ralph}"},
    {"user_filter", 8, false, "usernames {hadess, lmacken}"},
    {"not_user_filter", 8, true, "neither kevin nor ralph is involved"},
    {"not_user_filter", 77, false, "kevin's build"},
    {"user_package_filter", 49, true, "kerneltest: packages {kernel}"},
    {"user_package_filter", 10, true, "pkgdb acl: packages {python-sh}"},
    {"user_package_filter", 14, false, "no packages: the original returned False early"},
    {"package_filter", 49, false, "kernel is not nethack"},
    {"package_regex_filter", 49, false, "re.search over packages: no maven"},
    {"trac_hosted_filter", 20, true, "link https://fedorahosted.org/moksha/ticket/249"},
    {"trac_hosted_filter", 84, false, "a pagure link"},
    // bodhi.py
    {"bodhi_catchall", 8, true, "topic.split('.')[3] == 'bodhi'"},
    {"bodhi_catchall", 9, false, "git.receive"},
    {"bodhi_critpath", 8, false, "update.critpath is False"},
    {"bodhi_critpath", 53, false, "no msg.update: .get('update', {}) is empty"},
    {"bodhi_buildroot_override_tag", 1, true, "stg topic ends with it"},
    {"bodhi_buildroot_override_tag", 5, false, "untag"},
    {"bodhi_buildroot_override_untag", 5, true, ""},
    {"bodhi_update_comment", 55, true, ""},
    {"bodhi_update_comment", 8, false, "a request, not a comment"},
    {"bodhi_update_request_testing", 8, true, ""},
    {"bodhi_update_request_stable", 8, false, ""},
    {"bodhi_update_request_obsolete", 8, false, ""},
    {"bodhi_update_request_revoke", 8, false, ""},
    {"bodhi_update_request_unpush", 8, false, ""},
    {"bodhi_masher_start", 306, true, ""},
    // buildsys.py
    {"koji_instance", 16, true, "instance 'primary'"},
    {"koji_instance", 78, false, "instance 's390'"},
    {"koji_instance", 41, false, "no instance: .get('instance') is None"},
    {"koji_scratch_build_state_change", 41, true, ""},
    {"koji_scratch_build_started", 235, true, "new == 'OPEN'"},
    {"koji_scratch_build_started", 41, false, "new == 'FAILED'"},
    {"koji_scratch_build_failed", 41, true, ""},
    {"koji_scratch_build_completed", 257, true, "new == 'CLOSED'"},
    {"koji_scratch_build_cancelled", 257, false, ""},
    {"koji_build_state_change", 16, true, ""},
    {"koji_build_state_change", 41, false, "a task, not a build"},
    {"koji_build_started", 16, true, "new == 0"},
    {"koji_build_completed", 77, true, "new == 1"},
    {"koji_build_failed", 78, true, "new == 3"},
    {"koji_build_failed", 77, false, ""},
    {"koji_build_cancelled", 323, true, "new == 4"},
    {"koji_build_deleted", 323, false, ""},
    {"koji_repo_init", 17, true, ""},
    {"koji_repo_done", 17, false, ""},
    {"koji_repo_done", 318, false, "bodhi.repo.done does not end with buildsys.repo.done"},
    {"koji_tag", 15, true, ""},
    {"koji_tag", 255, false, "buildsys.untag"},
    {"koji_untag", 255, true, ""},
    {"koji_package_list_change", 18, true, ""},
    // coprs.py
    {"copr_catchall", 33, true, ""},
    {"copr_build_start", 33, true, ""},
    {"copr_build_start", 35, false, "build.end"},
    {"copr_build_end", 35, true, ""},
    {"copr_chroot_start", 34, true, ""},
    {"copr_worker_create", 34, false, ""},
    // git.py, pagure.py
    {"git_catchall", 9, true, ""},
    {"git_catchall", 84, true, "io.pagure.prod.pagure...: the fourth word is 'pagure'"},
    {"git_receive", 9, true, ""},
    {"git_receive", 84, true, "io.pagure.prod.pagure.git.receive ends with git.receive"},
    {"git_lookaside_new", 7, false, "git.lookaside.texlive.new does not end with it"},
    {"git_branch", 9, false, ""},
    {"pagure_catchall", 84, true, ""},
    {"pagure_specific_project_filter", 84, true, "link https://pagure.io/pagure/..."},
    {"pagure_specific_project_filter", 179, false, "link https://pagure.io/mdapi/..."},
    // pkgdb.py, fedoratagger.py, anitya.py
    {"pkgdb_catchall", 10, true, "stg topic: the fourth word is still 'pkgdb'"},
    {"pkgdb_acl_update", 10, true, ""},
    {"pkgdb_acl_update", 11, false, "package.new"},
    {"fedoratagger_catchall", 100, true, ""},
    {"fedoratagger_tag_create", 6, true, ""},
    {"fedoratagger_tag_update", 6, false, ""},
    {"anitya_catchall", 38, true, "org.release-monitoring.prod.anitya..."},
    {"anitya_catchall", 8, false, ""},
    // fedbadges.py, mailman.py, planet.py
    {"fedbadges_badge_award", 28, true, ""},
    {"fedbadges_person_first_login", 32, true, ""},
    {"fedbadges_person_rank_advance", 32, false, ""},
    {"mailman_receive", 154, true, ""},
    {"planet_post_new", 14, true, ""},
    {"summershum_catchall", 14, false, ""},
    // taskotron.py; line 240: dist.rpmlint PASSED, prev_outcome null.
    {"taskotron_result_new", 240, true, ""},
    {"taskotron_task", 240, true, "fnmatch('dist.rpmlint', 'dist.rpmlint')"},
    {"taskotron_changed_outcome", 240, false, "prev_outcome is None"},
    {"taskotron_task_outcome", 240, false, "'passed' not in ['failed', 'needs_inspection']"},
    {"taskotron_release_critical_task", 240, false, "rpmlint is not release-critical"},
    {"taskotron_release_critical_task", 8, false, "not taskotron"},
};

class Classic : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rules_ = new RuleSet(
        testing::compile_ok(testing::read_file(FMN_SOURCE_DIR "/data/rules/fmn-classic.fmn")));
  }
  static void TearDownTestSuite() { delete rules_; }
  static RuleSet* rules_;
};
RuleSet* Classic::rules_ = nullptr;

TEST_F(Classic, BehavesAsThePythonRules) {
  UserParams ralph = testing::params("ralph", {"kernel", "python-sh"});
  for (const Case& c : kCases) {
    const CompiledRule& rule = testing::rule_named(*rules_, c.rule);
    EXPECT_EQ(evaluate(rule, Corpus::real().line(c.line), ralph), c.expected)
        << c.rule << " on line " << c.line << " (" << Corpus::real().line(c.line).topic
        << "): " << c.why;
  }
}

TEST_F(Classic, EveryRuleIsExercised) {
  for (const CompiledRule& rule : rules_->rules) {
    bool found = false;
    for (const Case& c : kCases) found = found || rule.name == c.rule;
    EXPECT_TRUE(found) << rule.name;
  }
}

TEST_F(Classic, TaskotronOutcomesOnEditedMessages) {
  // Line 240 with other outcomes: what taskotron_changed_outcome and _task_outcome look at.
  std::string line = testing::read_file(FMN_CORPUS_DIR "/fedmsg-real.jsonl");
  size_t start = 0;
  for (int i = 1; i < 240; ++i) start = line.find('\n', start) + 1;
  std::string original = line.substr(start, line.find('\n', start) - start);
  auto edited = [&](const std::string& from, const std::string& to) {
    std::string s = original;
    s.replace(s.find(from), from.size(), to);
    return testing::message(s);
  };
  UserParams nobody;
  auto outcome = [&](const char* rule, const Message& m) {
    return evaluate(testing::rule_named(*rules_, rule), m, nobody);
  };
  auto failed = edited(R"("prev_outcome":null,"outcome":"PASSED")",
                       R"("prev_outcome":null,"outcome":"failed")");
  auto changed = edited(R"("prev_outcome":null,"outcome":"PASSED")",
                        R"("prev_outcome":"FAILED","outcome":"PASSED")");
  auto same = edited(R"("prev_outcome":null,"outcome":"PASSED")",
                     R"("prev_outcome":"PASSED","outcome":"PASSED")");
  EXPECT_TRUE(outcome("taskotron_task_outcome", *failed));  // lower-cased by the original
  EXPECT_FALSE(outcome("taskotron_changed_outcome", *failed));
  EXPECT_TRUE(outcome("taskotron_changed_outcome", *changed));
  EXPECT_FALSE(outcome("taskotron_changed_outcome", *same));
}

TEST_F(Classic, BodhiCritpath) {
  auto m = testing::message(
      R"({"topic":"org.fedoraproject.prod.bodhi.update.comment","msg":{"update":{"critpath":true}}})");
  EXPECT_TRUE(evaluate(testing::rule_named(*rules_, "bodhi_critpath"), *m, UserParams{}));
}

}  // namespace
}  // namespace fmn::dsl
