// The admin role: a configured admin may read another user's rules, destinations and history,
// each read logged with who read whose what; nobody else may, and an admin may not write.
#include <cstdio>

#include "core/log.h"
#include "tests/web/web_app_fixture.h"

namespace fmn::web {
namespace {

class WebAdmin : public WebAppTest {
 protected:
  WebAdmin() { admins_ = {"kevin"}; }
  void TearDown() override { log::configure(log::Level::kInfo, log::Format::kText, stderr); }
};

// What the app logs while `run` runs.
template <typename Run>
std::string logged_while(Run run) {
  std::FILE* out = std::tmpfile();
  log::configure(log::Level::kInfo, log::Format::kText, out);
  run();
  log::configure(log::Level::kInfo, log::Format::kText, stderr);
  std::string text;
  std::rewind(out);
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, out)) > 0;) text.append(buf, n);
  std::fclose(out);
  return text;
}

TEST_F(WebAdmin, AnAdminReadsAnotherUsersDataAndEachReadIsLogged) {
  ASSERT_TRUE(
      history_
          ->append({{1714564800000, "ralph", "email", "ralph@fedoraproject.org", "mentions me",
                     "2024-abc", "org.fedoraproject.prod.bodhi.update.comment", "a comment",
                     sinks::DeliveryStatus::kSent, ""}})
          .ok());
  const Client kevin = sign_in("kevin");
  const std::string users = base_ + "/api/v1/users/ralph/";
  std::string log_text = logged_while([&] {
    const HttpReply rules = http_request("GET", users + "rules", {kevin.cookie});
    EXPECT_EQ(rules.status, 200) << rules.body;
    EXPECT_NE(rules.body.find(R"("user":"ralph")"), std::string::npos) << rules.body;
    EXPECT_NE(rules.body.find("mentions me"), std::string::npos);
    const HttpReply destinations = http_request("GET", users + "destinations", {kevin.cookie});
    EXPECT_EQ(destinations.status, 200);
    EXPECT_NE(destinations.body.find("ralph@fedoraproject.org"), std::string::npos);
    const HttpReply history = http_request("GET", users + "history", {kevin.cookie});
    EXPECT_EQ(history.status, 200);
    EXPECT_NE(history.body.find("2024-abc"), std::string::npos) << history.body;
  });
  for (const char* what : {"rules", "destinations", "history"}) {
    EXPECT_NE(log_text.find(std::string("web_admin_read admin=kevin user=ralph what=") + what),
              std::string::npos)
        << log_text;
  }
  EXPECT_EQ(app_->counters().admin_reads.load(), 3u);
  EXPECT_EQ(http_request("GET", users + "nothing", {kevin.cookie}).status, 404);
}

TEST_F(WebAdmin, SomeoneWhoIsNoAdminIsRefused) {
  const Client ralph = sign_in("ralph");
  for (const char* what : {"rules", "destinations", "history"}) {
    EXPECT_EQ(http_request("GET", base_ + "/api/v1/users/kevin/" + what, {ralph.cookie}).status,
              403)
        << what;
  }
  EXPECT_EQ(http_request("GET", base_ + "/api/v1/users/ralph/rules", {ralph.cookie}).status, 403)
      << "not even for oneself: the own API is /api/v1/rules";
  EXPECT_EQ(http_request("GET", base_ + "/api/v1/users/kevin/rules").status, 401);
  EXPECT_EQ(app_->counters().admin_reads.load(), 0u);
}

TEST_F(WebAdmin, AnAdminCannotWrite) {
  const Client kevin = sign_in("kevin");
  const std::vector<std::string> as_kevin{kevin.cookie, kevin.csrf, kJson};
  const std::string users = base_ + "/api/v1/users/ralph/";
  const size_t rules_before = stored("ralph").rules.size();
  EXPECT_EQ(
      http_request("POST", users + "rules", as_kevin, R"({"name":"x","source":"topic ~ \"*\""})")
          .status,
      403);
  EXPECT_EQ(
      http_request("PUT", users + "rules/mentions%20me", as_kevin, R"({"enabled":false})").status,
      403);
  EXPECT_EQ(http_request("DELETE", users + "rules/mentions%20me", as_kevin).status, 403);
  EXPECT_EQ(http_request("POST", users + "rules/mentions%20me/disable", as_kevin).status, 403);
  EXPECT_EQ(http_request("POST", users + "destinations", as_kevin,
                         R"({"name":"w","kind":"email","address":"k@example.org"})")
                .status,
            403);
  EXPECT_EQ(http_request("DELETE", users + "destinations/email", as_kevin).status, 403);
  EXPECT_EQ(http_request("POST", users + "destinations/email/test", as_kevin).status, 403);
  prefs::User ralph = stored("ralph");
  EXPECT_EQ(ralph.rules.size(), rules_before);
  EXPECT_TRUE(ralph.find_rule("mentions me")->enabled);
  EXPECT_NE(ralph.find_destination("email"), nullptr);
  EXPECT_TRUE(sent_.empty() && tests_sent_.empty());
  EXPECT_EQ(app_->counters().admin_reads.load(), 0u);
}

}  // namespace
}  // namespace fmn::web
