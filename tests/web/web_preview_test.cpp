// POST /api/v1/preview over real HTTP: the rule's text is checked first (errors come back as
// diagnostics, nothing is scanned), then run over the recent messages with the signed-in
// user's own parameters; the newest matches are listed. Like every POST it needs a session and
// its CSRF token.
#include <rapidjson/document.h>

#include "core/envelope_parser.h"
#include "tests/web/web_app_fixture.h"

namespace fmn::web {
namespace {

class WebPreview : public WebAppTest {
 protected:
  // A message concerning `packages`, received `i` seconds after a fixed start.
  void add(const std::string& msg_id, const std::string& topic, std::vector<std::string> packages) {
    auto m = parse_envelope(R"({"topic":")" + topic + R"(","msg":{},"msg_id":")" + msg_id +
                            R"(","timestamp":1700000000.5})");
    ASSERT_TRUE(m.ok());
    (*m)->meta.packages = std::move(packages);
    (*m)->meta.subtitle = "about " + msg_id;
    (*m)->meta.link = "https://example.org/" + msg_id;
    recent_->add({MessagePtr(std::move(m).value()), std::chrono::system_clock::now()});
  }

  void SetUp() override {
    WebAppTest::SetUp();
    add("m1", "org.fedoraproject.prod.buildsys.build.state.change", {"fedmsg"});
    add("m2", "org.fedoraproject.prod.bodhi.update.comment", {"bodhi"});
    add("m3", "org.fedoraproject.prod.buildsys.build.state.change", {"datanommer"});
    add("m4", "org.fedoraproject.prod.buildsys.build.state.change", {"ansible"});
  }

  rapidjson::Document preview(const Client& who, const std::string& body, long status = 200) {
    const HttpReply r =
        http_request("POST", base_ + "/api/v1/preview", {who.cookie, who.csrf, kJson}, body);
    EXPECT_EQ(r.status, status) << r.body;
    rapidjson::Document doc;
    doc.Parse(r.body.c_str());
    EXPECT_FALSE(doc.HasParseError()) << r.body;
    return doc;
  }

  static std::vector<std::string> listed(const rapidjson::Document& doc) {
    std::vector<std::string> ids;
    for (const auto& m : doc["messages"].GetArray()) ids.emplace_back(m["msg_id"].GetString());
    return ids;
  }
};

TEST_F(WebPreview, ListsTheNewestMatchesOfTheRecentMessagesWithCounts) {
  const Client ralph = sign_in("ralph");
  const rapidjson::Document doc =
      preview(ralph, R"({"source":"topic ~ \"*.buildsys.build.state.change\""})");
  EXPECT_TRUE(doc["ok"].GetBool());
  EXPECT_EQ(doc["scanned"].GetUint64(), 4u);
  EXPECT_EQ(doc["matched"].GetUint64(), 3u);
  EXPECT_EQ(listed(doc), (std::vector<std::string>{"m4", "m3", "m1"}));
  const auto& first = doc["messages"][0];
  EXPECT_STREQ(first["topic"].GetString(), "org.fedoraproject.prod.buildsys.build.state.change");
  EXPECT_STREQ(first["summary"].GetString(), "about m4");
  EXPECT_STREQ(first["link"].GetString(), "https://example.org/m4");
  EXPECT_EQ(first["time"].GetDouble(), 1700000000.5);

  const rapidjson::Document limited =
      preview(ralph, R"({"source":"topic ~ \"*.buildsys.*\"","limit":1})");
  EXPECT_EQ(limited["matched"].GetUint64(), 3u);
  EXPECT_EQ(listed(limited), (std::vector<std::string>{"m4"}));
  preview(ralph, R"({"source":"true","limit":-1})", 400);
  preview(ralph, R"({"limit":1})", 400);
}

TEST_F(WebPreview, RunsWithTheSignedInUsersOwnParameters) {
  const std::string mine = R"({"source":"packages in $my_packages"})";
  EXPECT_EQ(listed(preview(sign_in("ralph"), mine)), (std::vector<std::string>{"m3", "m1"}));
  EXPECT_EQ(listed(preview(sign_in("kevin"), mine)), (std::vector<std::string>{"m4"}));
}

TEST_F(WebPreview, ARuleWithErrorsGetsItsDiagnosticsAndNoScan) {
  const rapidjson::Document doc =
      preview(sign_in("ralph"), R"({"source":"pakages in $my_packages"})");
  EXPECT_FALSE(doc["ok"].GetBool());
  ASSERT_EQ(doc["diagnostics"].Size(), 1u);
  EXPECT_STREQ(doc["diagnostics"][0]["code"].GetString(), "E0101");
  EXPECT_EQ(doc["diagnostics"][0]["column"].GetUint(), 1u);
  EXPECT_FALSE(doc.HasMember("scanned"));
  EXPECT_FALSE(doc.HasMember("messages"));
}

TEST_F(WebPreview, NeedsASessionAndItsCsrfToken) {
  const std::string body = R"({"source":"true"})";
  const std::string url = base_ + "/api/v1/preview";
  EXPECT_EQ(http_request("POST", url, {kJson}, body).status, 401);
  const Client ralph = sign_in("ralph");
  EXPECT_EQ(http_request("POST", url, {ralph.cookie, kJson}, body).status, 403);
  const Client kevin = sign_in("kevin");
  EXPECT_EQ(http_request("POST", url, {ralph.cookie, kevin.csrf, kJson}, body).status, 403);
  EXPECT_EQ(http_request("GET", url, {ralph.cookie}).status, 405);
  EXPECT_EQ(app_->counters().csrf_refused.load(), 2u);
}

}  // namespace
}  // namespace fmn::web
