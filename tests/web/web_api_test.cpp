// The JSON API used as the page uses it: check a rule with a typo, save the fixed one, edit,
// disable and delete it; list the templates; the page itself is served at / and at the settings
// links, with its rule editor's script.
#include "tests/web/web_app_fixture.h"
#include "web/rule_templates.h"

namespace fmn::web {
namespace {

using WebApi = WebAppTest;

TEST_F(WebApi, CheckReportsDiagnosticsWithPositionsAndDidYouMean) {
  const Client ralph = sign_in("ralph");
  const HttpReply r =
      http_request("POST", base_ + "/api/v1/check", {ralph.cookie, ralph.csrf, kJson},
                   R"({"source":"agent == $me and pakages in $my_packages"})");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"("ok":false)"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("line":1,"column":18,"end_line":1,"end_column":24)"), std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find(R"("code":"E0101")"), std::string::npos);
  EXPECT_NE(r.body.find("did you mean `packages`?"), std::string::npos);

  const HttpReply fine =
      http_request("POST", base_ + "/api/v1/check", {ralph.cookie, ralph.csrf, kJson},
                   R"({"source":"packages in $my_packages"})");
  EXPECT_EQ(fine.body, R"({"ok":true,"diagnostics":[]})");
  EXPECT_EQ(
      http_request("POST", base_ + "/api/v1/check", {ralph.cookie, ralph.csrf, kJson}, "[").status,
      400);
}

TEST_F(WebApi, CheckAndSaveKnowTheUsersNamedLists) {
  {
    prefs::FileStore file(prefs_, prefs::dsl_rule_validator());
    prefs::User ralph = stored("ralph");
    ralph.lists.push_back({"friends", {"kevin"}, {}});
    ralph.lists.push_back({"praise", {"(?i)works for me", "^lgtm("}, {}});
    ralph.lists.push_back({"watched", {"*.bodhi.*", "bodhi.update"}, {}});
    ASSERT_TRUE(file.put_user(ralph).ok());
  }
  const Client ralph = sign_in("ralph");
  const std::vector<std::string> as_ralph{ralph.cookie, ralph.csrf, kJson};
  const HttpReply known = http_request("POST", base_ + "/api/v1/check", as_ralph,
                                       R"({"source":"agent in $lists.friends"})");
  EXPECT_EQ(known.body, R"({"ok":true,"diagnostics":[]})");
  const HttpReply typo = http_request("POST", base_ + "/api/v1/check", as_ralph,
                                      R"({"source":"agent in $lists.frends"})");
  EXPECT_NE(typo.body.find(R"("ok":false)"), std::string::npos) << typo.body;
  EXPECT_NE(typo.body.find(R"("line":1,"column":10,"end_line":1,"end_column":22)"),
            std::string::npos)
      << typo.body;
  EXPECT_NE(typo.body.find(R"("code":"E0110")"), std::string::npos) << typo.body;
  EXPECT_NE(typo.body.find("did you mean `$lists.friends`?"), std::string::npos);

  const Client kevin = sign_in("kevin");  // has no lists
  const HttpReply none =
      http_request("POST", base_ + "/api/v1/check", {kevin.cookie, kevin.csrf, kJson},
                   R"({"source":"agent in $lists.friends"})");
  EXPECT_NE(none.body.find(R"("code":"E0110")"), std::string::npos) << none.body;

  const HttpReply refused = http_request("POST", base_ + "/api/v1/rules", as_ralph,
                                         R"({"name":"f","source":"agent in $lists.frends"})");
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("E0110"), std::string::npos) << refused.body;
  EXPECT_EQ(http_request("POST", base_ + "/api/v1/rules", as_ralph,
                         R"({"name":"f","source":"agent in $lists.friends"})")
                .status,
            201);

  // A list read as patterns: each entry checked as the literal would be, naming the entry; an
  // error refuses the save, a warning does not.
  const HttpReply bad_regex = http_request("POST", base_ + "/api/v1/check", as_ralph,
                                           R"({"source":"msg.text matches $lists.praise"})");
  EXPECT_NE(bad_regex.body.find(R"("ok":false)"), std::string::npos) << bad_regex.body;
  EXPECT_NE(bad_regex.body.find(R"("code":"E0204")"), std::string::npos) << bad_regex.body;
  EXPECT_NE(bad_regex.body.find(R"(`$lists.praise` entry 2 \"^lgtm(\")"), std::string::npos)
      << bad_regex.body;
  EXPECT_EQ(http_request("POST", base_ + "/api/v1/rules", as_ralph,
                         R"({"name":"p","source":"msg.text matches $lists.praise"})")
                .status,
            422);
  const HttpReply warned = http_request("POST", base_ + "/api/v1/check", as_ralph,
                                        R"({"source":"topic ~ $lists.watched"})");
  EXPECT_NE(warned.body.find(R"("ok":true)"), std::string::npos) << warned.body;
  EXPECT_NE(warned.body.find(R"("code":"W0005")"), std::string::npos) << warned.body;
  EXPECT_EQ(http_request("POST", base_ + "/api/v1/rules", as_ralph,
                         R"({"name":"w","source":"topic ~ $lists.watched"})")
                .status,
            201);
}

TEST_F(WebApi, RulesAreAddedEditedDisabledAndDeleted) {
  const Client ralph = sign_in("ralph");
  const std::vector<std::string> as_ralph{ralph.cookie, ralph.csrf, kJson};
  const std::string rules = base_ + "/api/v1/rules";
  const HttpReply typo =
      http_request("POST", rules, as_ralph, R"({"name":"koji","source":"topik ~ \"*.koji.*\""})");
  EXPECT_EQ(typo.status, 422);
  EXPECT_NE(typo.body.find("did you mean `topic`?"), std::string::npos) << typo.body;
  EXPECT_EQ(stored("ralph").rules.size(), 3u);

  EXPECT_EQ(http_request("POST", rules, as_ralph,
                         R"({"name":"koji","source":"topic ~ \"*.koji.*\"",)"
                         R"("deliveries":[{"destination":"email","every_seconds":3600}]})")
                .status,
            201);
  EXPECT_EQ(
      http_request("POST", rules, as_ralph, R"({"name":"koji","source":"topic ~ \"*\""})").status,
      409);
  prefs::User ralph_now = stored("ralph");
  ASSERT_EQ(ralph_now.rules.size(), 4u);
  EXPECT_EQ(ralph_now.rules[3].source.str(), "topic ~ \"*.koji.*\"");
  EXPECT_EQ(ralph_now.rules[3].deliveries.at(0).digest.every_seconds, 3600u);

  EXPECT_EQ(http_request("PUT", rules + "/koji", as_ralph,
                         R"({"name":"koji builds","source":"topic ~ \"*.buildsys.*\""})")
                .status,
            200);
  EXPECT_EQ(http_request("POST", rules + "/koji%20builds/disable", as_ralph).status, 200);
  ralph_now = stored("ralph");
  EXPECT_EQ(ralph_now.rules[3].name, "koji builds");
  EXPECT_EQ(ralph_now.rules[3].source.str(), "topic ~ \"*.buildsys.*\"");
  EXPECT_FALSE(ralph_now.rules[3].enabled);
  EXPECT_EQ(ralph_now.rules[3].deliveries.size(), 1u);  // kept: the edit did not name them

  // A delivery to a destination the user does not have is refused by the store.
  EXPECT_EQ(http_request("PUT", rules + "/koji%20builds", as_ralph,
                         R"({"deliveries":[{"destination":"pager"}]})")
                .status,
            422);
  EXPECT_EQ(http_request("DELETE", rules + "/koji%20builds", as_ralph).status, 204);
  EXPECT_EQ(stored("ralph").rules.size(), 3u);
  EXPECT_EQ(http_request("DELETE", rules + "/koji%20builds", as_ralph).status, 404);
}

TEST_F(WebApi, RulesAreReorderedAndTheFileKeepsTheOrder) {
  const Client ralph = sign_in("ralph");
  const std::vector<std::string> as_ralph{ralph.cookie, ralph.csrf, kJson};
  const std::string order = base_ + "/api/v1/rules/order";
  const prefs::User before = stored("ralph");
  ASSERT_EQ(before.rules.size(), 3u);
  const std::string a = before.rules[0].name, b = before.rules[1].name, c = before.rules[2].name;

  const HttpReply moved = http_request(
      "POST", order, as_ralph, R"({"names":[")" + c + R"(",")" + a + R"(",")" + b + R"("]})");
  EXPECT_EQ(moved.status, 200) << moved.body;
  EXPECT_LT(moved.body.find(R"("name":")" + c), moved.body.find(R"("name":")" + a)) << moved.body;
  prefs::User after = stored("ralph");
  ASSERT_EQ(after.rules.size(), 3u);
  EXPECT_EQ(after.rules[0].name, c);
  EXPECT_EQ(after.rules[1].name, a);
  EXPECT_EQ(after.rules[2].name, b);
  EXPECT_EQ(after.rules[0].deliveries.size(), before.rules[2].deliveries.size())
      << "a moved rule keeps its deliveries";

  // Each rule exactly once, or nothing changes.
  for (const std::string& bad :
       {R"({"names":[")" + a + R"(",")" + b + R"("]})",
        R"({"names":[")" + a + R"(",")" + a + R"(",")" + b + R"(",")" + c + R"("]})",
        R"({"names":[")" + a + R"(",")" + b + R"(",")" + c + R"(","nope"]})"}) {
    EXPECT_EQ(http_request("POST", order, as_ralph, bad).status, 422) << bad;
  }
  EXPECT_EQ(http_request("POST", order, as_ralph, R"({"names":"all"})").status, 400);
  EXPECT_EQ(http_request("POST", order, {ralph.cookie, kJson},
                         R"({"names":[")" + a + R"(",")" + b + R"(",")" + c + R"("]})")
                .status,
            403)
      << "reordering needs the CSRF token";
  after = stored("ralph");
  EXPECT_EQ(after.rules[0].name, c);
  EXPECT_EQ(after.rules[2].name, b);
}

TEST_F(WebApi, ARuleNamedOrderIsStillEditedAtItsPath) {
  const Client ralph = sign_in("ralph");
  const std::vector<std::string> as_ralph{ralph.cookie, ralph.csrf, kJson};
  const std::string rules = base_ + "/api/v1/rules";
  ASSERT_EQ(
      http_request("POST", rules, as_ralph, R"({"name":"order","source":"topic ~ \"*\""})").status,
      201);
  EXPECT_EQ(http_request("GET", rules + "/order", {ralph.cookie}).status, 200);
  EXPECT_EQ(http_request("PUT", rules + "/order", as_ralph, R"({"enabled":false})").status, 200);
  EXPECT_EQ(http_request("DELETE", rules + "/order", as_ralph).status, 204);
}

TEST_F(WebApi, TheTemplatesAreListedToAnyoneAndEachChecksWithoutADiagnostic) {
  const HttpReply r = http_request("GET", base_ + "/api/v1/templates");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"({"id":"my-packages","title":"My packages",)"), std::string::npos)
      << r.body;
  for (const std::string id :
       {"mentions-me", "my-groups", "followed-users", "followed-packages", "failed-builds"}) {
    EXPECT_NE(r.body.find(R"("id":")" + id + '"'), std::string::npos) << id;
  }
  dsl::RuleCompiler compiler;
  for (const RuleTemplate& t : rule_templates()) {
    const auto checked = compiler.compile(std::string(t.source));
    EXPECT_NE(checked->rule, nullptr) << t.id;
    EXPECT_TRUE(checked->diagnostics.empty()) << t.id;
    EXPECT_NE(r.body.find(R"("title":")" + std::string(t.title) + '"'), std::string::npos);
  }
}

TEST_F(WebApi, ThePageIsServedAtTheRootAndTheSettingsLinks) {
  for (const std::string path : {"/", "/settings/ralph"}) {
    const HttpReply r = http_request("GET", base_ + path);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_NE(r.body.find("Fedora notifications"), std::string::npos);
  }
  const HttpReply editor = http_request("GET", base_ + "/rule-editor.js");
  EXPECT_EQ(editor.status, 200);
  EXPECT_EQ(editor.header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_NE(editor.body.find("var ruleEditor="), std::string::npos);
  const HttpReply gzipped =
      http_request("GET", base_ + "/rule-editor.js", {"Accept-Encoding: gzip, deflate, br"});
  EXPECT_EQ(gzipped.status, 200);
  EXPECT_EQ(gzipped.header("Content-Encoding"), "gzip");
  EXPECT_EQ(gzipped.body.substr(0, 2), "\x1f\x8b");
  EXPECT_LT(gzipped.body.size(), editor.body.size() / 2);
  EXPECT_EQ(http_request("GET", base_ + "/nothing").status, 404);
}

// The scripts' URLs are not content-hashed: a browser keeps them, asks before each use, and is
// told "not modified" without the body while its copy is the current one.
TEST_F(WebApi, TheScriptsAreRevalidatedByTheirETagAndAnsweredNotModifiedWithoutTheBody) {
  const std::string gzip = "Accept-Encoding: gzip";
  for (const std::string path : {"/rule-editor.js", "/history.js"}) {
    const HttpReply first = http_request("GET", base_ + path, {gzip});
    ASSERT_EQ(first.status, 200) << path;
    EXPECT_EQ(first.header("Cache-Control"), "no-cache") << path;
    const std::string etag = first.header("ETag");
    // "<16 hex digits>", or "<16 hex digits>-gz" for the gzip form
    ASSERT_TRUE(etag.size() >= 18 && etag.front() == '"' && etag.back() == '"') << path << etag;
    EXPECT_EQ(http_request("GET", base_ + path, {gzip}).header("ETag"), etag) << path;

    const HttpReply again = http_request("GET", base_ + path, {gzip, "If-None-Match: " + etag});
    EXPECT_EQ(again.status, 304) << path;
    EXPECT_EQ(again.body, "") << path;
    EXPECT_EQ(again.header("ETag"), etag) << path;
    EXPECT_EQ(again.header("Cache-Control"), "no-cache") << path;
    EXPECT_EQ(again.header("Content-Length"), "") << path;
    const HttpReply other =
        http_request("GET", base_ + path, {gzip, "If-None-Match: \"0000000000000000\""});
    EXPECT_EQ(other.status, 200) << path;
    EXPECT_EQ(other.body, first.body) << path;
  }
  // The bundle's two forms are two representations with two tags: a tag of one form fetches the
  // other in full.
  const HttpReply zipped = http_request("GET", base_ + "/rule-editor.js", {gzip});
  const HttpReply plain = http_request("GET", base_ + "/rule-editor.js");
  EXPECT_NE(zipped.header("ETag"), plain.header("ETag"));
  const HttpReply crossed =
      http_request("GET", base_ + "/rule-editor.js", {"If-None-Match: " + zipped.header("ETag")});
  EXPECT_EQ(crossed.status, 200);
  EXPECT_EQ(crossed.body, plain.body);
  // Everything else stays uncached.
  EXPECT_EQ(http_request("GET", base_ + "/").header("Cache-Control"), "no-store");
}

}  // namespace
}  // namespace fmn::web
