// "What you got" (GET /api/v1/history): the signed-in user's own deliveries, newest first, a
// page at a time; another user's session sees nothing of them.
#include "sinks/delivery_record_json.h"
#include "tests/web/web_app_fixture.h"

namespace fmn::web {
namespace {

using WebHistory = WebAppTest;

sinks::DeliveryRecord delivered(const std::string& user, int i) {
  sinks::DeliveryRecord r;
  r.at_ms = 1'700'000'000'000 + i;
  r.user = user;
  r.kind = "email";
  r.address = user + "@example.org";
  r.rule = "mentions me";
  r.msg_id = user + "-msg-" + std::to_string(i);
  r.subtitle = "item " + std::to_string(i);
  return r;
}

HttpReply history(const std::string& base, const Client& c, const std::string& query = "") {
  return http_request("GET", base + "/api/v1/history" + query, {c.cookie});
}

TEST_F(WebHistory, ListsTheUsersOwnDeliveriesNewestFirstWithStatusAndReason) {
  sinks::DeliveryRecord failed = delivered("ralph", 2);
  failed.status = sinks::DeliveryStatus::kFailed;
  failed.detail = "refused (550): mailbox unavailable";
  ASSERT_TRUE(history_->append({delivered("ralph", 1), failed}).ok());
  const HttpReply r = history(base_, sign_in("ralph"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "{\"records\":[" + sinks::delivery_record_json(failed) + "," +
                        sinks::delivery_record_json(delivered("ralph", 1)) +
                        "],\"next_offset\":null}");
  EXPECT_NE(r.body.find("\"status\":\"failed\""), std::string::npos);
  EXPECT_NE(r.body.find("\"status\":\"sent\""), std::string::npos);
}

TEST_F(WebHistory, AnotherUsersSessionSeesNothingOfThem) {
  ASSERT_TRUE(history_->append({delivered("ralph", 1), delivered("ralph", 2)}).ok());
  const HttpReply theirs = history(base_, sign_in("lmacken"));
  ASSERT_EQ(theirs.status, 200) << theirs.body;
  EXPECT_EQ(theirs.body, "{\"records\":[],\"next_offset\":null}");
  // Naming another user in the query changes nothing: the session decides whose history it is.
  const HttpReply named = history(base_, sign_in("lmacken"), "?user=ralph");
  EXPECT_EQ(named.body, theirs.body);
  EXPECT_EQ(named.body.find("ralph"), std::string::npos);
}

TEST_F(WebHistory, PagesThroughOlderDeliveries) {
  std::vector<sinks::DeliveryRecord> records;
  for (int i = 1; i <= 5; ++i) records.push_back(delivered("ralph", i));
  ASSERT_TRUE(history_->append(records).ok());
  const Client ralph = sign_in("ralph");
  const HttpReply first = history(base_, ralph, "?limit=2");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_NE(first.body.find("ralph-msg-5"), std::string::npos);
  EXPECT_NE(first.body.find("ralph-msg-4"), std::string::npos);
  EXPECT_NE(first.body.find("\"next_offset\":2"), std::string::npos) << first.body;
  const HttpReply last = history(base_, ralph, "?limit=2&offset=4");
  EXPECT_NE(last.body.find("ralph-msg-1"), std::string::npos) << last.body;
  EXPECT_NE(last.body.find("\"next_offset\":null"), std::string::npos) << last.body;
}

TEST_F(WebHistory, RefusesBadPagingAndOtherMethods) {
  const Client ralph = sign_in("ralph");
  for (const char* query : {"?limit=0", "?limit=201", "?limit=x", "?offset=-1", "?offset=1e3"}) {
    EXPECT_EQ(history(base_, ralph, query).status, 400) << query;
  }
  EXPECT_EQ(http_request("POST", base_ + "/api/v1/history", {ralph.cookie, ralph.csrf}).status,
            405);
}

}  // namespace
}  // namespace fmn::web
