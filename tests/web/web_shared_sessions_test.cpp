// Several web instances sharing one Redis (production: any number of instances behind a load
// balancer that does not pin clients): a session made on one works on every other, a sign-out
// on one ends it on all, a sign-in started on one may come back to another, and Redis never
// holds a raw session id or sign-in state.
#include <gtest/gtest.h>

#include "core/hex.h"
#include "sinks/redis_connection.h"
#include "tests/support/redis_server.h"
#include "tests/web/pending_sign_ins_contract.h"
#include "tests/web/redis_config.h"
#include "tests/web/web_app_fixture.h"
#include "web/redis_pending_sign_ins.h"

namespace fmn::web {
namespace {

// Every key in Redis and every value of its hashes, as one text to search.
std::string everything_in(const test::RedisServer& redis) {
  auto c = sinks::RedisConnection::open(redis_config(redis));
  EXPECT_TRUE(c.ok());
  if (!c.ok()) return {};
  std::string all;
  auto keys = (*c)->command({"KEYS", "*"});
  EXPECT_TRUE(keys.ok());
  for (const std::string& key : keys->elements) {
    all += key + "\n";
    auto values = (*c)->command({"HVALS", key});
    if (values.ok()) {
      for (const std::string& value : values->elements) all += value + "\n";
    }
  }
  return all;
}

struct RedisFactory {
  RedisFactory() {
    auto started = test::RedisServer::start();
    EXPECT_TRUE(started.ok()) << started.error().message;
    if (started.ok()) redis.emplace(std::move(started).value());
  }
  std::unique_ptr<PendingSignIns> make(PendingSignInsConfig config, const Clock& clock) {
    return std::make_unique<RedisPendingSignIns>(
        std::make_shared<sinks::SharedRedisConnection>(redis_config(*redis)), config, clock);
  }
  std::optional<test::RedisServer> redis;
};

INSTANTIATE_TYPED_TEST_SUITE_P(RedisPendingSignIns, PendingSignInsContract, RedisFactory);

TEST(RedisPendingSignIns, ASignInStartedOnOneInstanceFinishesOnAnother) {
  RedisFactory servers;
  ASSERT_TRUE(servers.redis.has_value());
  auto first = servers.make({}, SystemClock::instance());
  auto second = servers.make({}, SystemClock::instance());
  const oidc::PendingSignIn pending{"state-0123456789", "the-nonce", "the-verifier"};
  ASSERT_TRUE(first->add(pending).ok());

  const std::string stored = everything_in(*servers.redis);
  EXPECT_EQ(stored.find(pending.state), std::string::npos) << "the raw state is kept";

  auto taken = second->take(pending.state);
  ASSERT_TRUE(taken.ok()) << taken.error().message;
  ASSERT_TRUE(taken->has_value());
  EXPECT_EQ((*taken)->nonce, "the-nonce");
  EXPECT_EQ((*taken)->code_verifier, "the-verifier");
  auto again = first->take(pending.state);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value()) << "a sign-in is used once across instances";
}

class SharedSessions : public WebAppTest {
 protected:
  void SetUp() override {
    WebAppTest::SetUp();
    auto started = test::RedisServer::start();
    ASSERT_TRUE(started.ok()) << started.error().message;
    redis_.emplace(std::move(started).value());
    first_ = start("127.0.0.1", true, redis_config(*redis_));
    second_ = start("127.0.0.1", true, redis_config(*redis_));
    ASSERT_NE(first_, nullptr);
    ASSERT_NE(second_, nullptr);
    base_ = url(*first_);
  }
  static std::string url(const WebApp& app) {
    return "http://127.0.0.1:" + std::to_string(app.port());
  }

  std::optional<test::RedisServer> redis_;
  std::unique_ptr<WebApp> first_, second_;
};

TEST_F(SharedSessions, ASessionMadeOnOneInstanceWorksOnAnother) {
  const Client ralph = sign_in("ralph");  // on the first instance
  const HttpReply session = http_request("GET", url(*second_) + "/api/v1/session", {ralph.cookie});
  EXPECT_EQ(session.status, 200) << session.body;
  EXPECT_NE(session.body.find(R"("user":"ralph")"), std::string::npos) << session.body;
  EXPECT_NE(session.body.find(ralph.csrf.substr(14)), std::string::npos)
      << "the second instance knows the session's CSRF token";

  const HttpReply check =
      http_request("POST", url(*second_) + "/api/v1/check", {ralph.cookie, ralph.csrf, kJson},
                   R"({"source":"packages in $my_packages"})");
  EXPECT_EQ(check.status, 200) << check.body;
  const HttpReply no_csrf = http_request("POST", url(*second_) + "/api/v1/check",
                                         {ralph.cookie, kJson}, R"({"source":"true"})");
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(
      http_request("GET", url(*second_) + "/api/v1/session", {"Cookie: fmn_session=x"}).status,
      401);
}

TEST_F(SharedSessions, SigningOutOnOneInstanceEndsTheSessionOnAll) {
  const Client ralph = sign_in("ralph");
  const Client kevin = sign_in("kevin");
  ASSERT_EQ(http_request("GET", url(*second_) + "/api/v1/session", {ralph.cookie}).status, 200);

  const HttpReply out =
      http_request("DELETE", url(*second_) + "/api/v1/session", {ralph.cookie, ralph.csrf});
  EXPECT_EQ(out.status, 204);
  EXPECT_EQ(http_request("GET", url(*first_) + "/api/v1/session", {ralph.cookie}).status, 401);
  EXPECT_EQ(http_request("GET", url(*second_) + "/api/v1/session", {ralph.cookie}).status, 401);
  EXPECT_EQ(http_request("GET", url(*first_) + "/api/v1/session", {kevin.cookie}).status, 200)
      << "another user's session lives on";
}

TEST_F(SharedSessions, RedisKeepsOnlyDigestsOfSessionIdsAndExpiresThem) {
  const Client ralph = sign_in("ralph");
  const std::string id = ralph.cookie.substr(ralph.cookie.find('=') + 1);
  ASSERT_FALSE(id.empty());
  const std::string stored = everything_in(*redis_);
  EXPECT_EQ(stored.find(id), std::string::npos) << "the raw session id is kept";
  EXPECT_NE(stored.find(sha256_hex(id)), std::string::npos) << stored;

  auto c = sinks::RedisConnection::open(redis_config(*redis_));
  ASSERT_TRUE(c.ok());
  auto ttl = (*c)->command({"TTL", "fmn:web:session:" + sha256_hex(id)});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, 0);
  EXPECT_LE(ttl->integer, 12 * 3600) << "a session lasts 12 hours, on every instance";
}

TEST_F(SharedSessions, RedisDownIsAnsweredUnavailableNotSignedOut) {
  const Client ralph = sign_in("ralph");
  ASSERT_TRUE(redis_->stop().ok());
  const HttpReply r = http_request("GET", url(*second_) + "/api/v1/session", {ralph.cookie});
  EXPECT_EQ(r.status, 503) << r.body;
  ASSERT_TRUE(redis_->restart().ok());
  EXPECT_EQ(http_request("GET", url(*second_) + "/api/v1/session", {ralph.cookie}).status, 401)
      << "Redis without persistence forgot the session, and the instance connects again";
  const Client again = sign_in("ralph");
  EXPECT_EQ(http_request("GET", url(*second_) + "/api/v1/session", {again.cookie}).status, 200);
}

}  // namespace
}  // namespace fmn::web
