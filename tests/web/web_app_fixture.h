// A web app serving a copy of the demo preferences on a loopback port, with the demo sign-in,
// and what tests need around it: signed-in clients over real HTTP and the stored records.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "prefs/dsl_rule_validator.h"
#include "prefs/file_store.h"
#include "sinks/memory_delivery_history.h"
#include "tests/support/temp_dir.h"
#include "tests/web/http_test_client.h"
#include "web/web_app.h"

namespace fmn::web {

using test::http_request;  // NOLINT: tests read better unqualified
using test::HttpReply;

inline constexpr char kSecret[] = "0123456789abcdef0123456789abcdef";
inline const std::string kJson = "Content-Type: application/json";
// Where the tests' SSE server is said to be reached (its trailing '/' is not doubled in URLs).
inline constexpr char kSsePublicUrl[] = "https://feeds.example.org/";

struct Client {
  std::string cookie;  // "Cookie: fmn_session=..."
  std::string csrf;    // "X-CSRF-Token: ..."
};

class WebAppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = test::TempDir::create("web");
    ASSERT_TRUE(dir.ok());
    dir_.emplace(std::move(dir).value());
    prefs_ = (*dir_ / "prefs.toml").string();
    std::filesystem::copy_file(std::string(FMN_DATA_DIR) + "/prefs/default.toml", prefs_);
    app_ = start("127.0.0.1", true);
    ASSERT_NE(app_, nullptr);
    base_ = "http://127.0.0.1:" + std::to_string(app_->port());
  }

  // `redis`: where sessions and pending sign-ins live; none: in the app's memory.
  std::unique_ptr<WebApp> start(const std::string& bind, bool demo,
                                std::optional<sinks::RedisConfig> redis = std::nullopt) {
    WebAppConfig config;
    config.redis = std::move(redis);
    config.unsubscribe_secret = kSecret;
    config.sse_public_url = kSsePublicUrl;
    config.demo_sign_in = demo;
    config.send_confirmation = [this](const sinks::ConfirmationRequest& request) {
      std::lock_guard lock(sent_mu_);
      sent_.push_back(request);
      return true;
    };
    config.send_test = [this](const Notification& n) {
      std::lock_guard lock(sent_mu_);
      tests_sent_.push_back(n);
      return true;
    };
    config.history = history_;
    config.admins = admins_;
    config.test_limits.per_minute = 1e-3;  // the burst only, whatever the test's speed
    config.recent = recent_;
    HttpServerConfig server;
    server.bind = bind;
    auto app = WebApp::start(
        config, server, std::make_unique<prefs::FileStore>(prefs_, prefs::dsl_rule_validator()),
        std::make_shared<dsl::RuleCompiler>());
    return app ? std::move(app).value() : nullptr;
  }

  Client sign_in(const std::string& user) {
    const HttpReply r = http_request("POST", base_ + "/api/v1/session/demo", {kJson},
                                     "{\"user\":\"" + user + "\"}");
    EXPECT_EQ(r.status, 200) << r.body;
    const std::string set_cookie = r.header("Set-Cookie");
    const size_t token = r.body.find("\"csrf_token\":\"");
    if (token == std::string::npos) return {};
    return {
        "Cookie: " + set_cookie.substr(0, set_cookie.find(';')),
        "X-CSRF-Token: " + r.body.substr(token + 14, r.body.find('"', token + 14) - token - 14)};
  }

  // The user's record as stored in the file.
  prefs::User stored(const std::string& name) {
    auto population = prefs::read_preferences_file(prefs_, prefs::dsl_rule_validator());
    EXPECT_TRUE(population.ok());
    const prefs::User* user = population->find(name);
    EXPECT_NE(user, nullptr);
    return user != nullptr ? *user : prefs::User();
  }

  std::optional<test::TempDir> dir_;
  std::string prefs_, base_;
  std::mutex sent_mu_;
  std::vector<sinks::ConfirmationRequest> sent_;  // what the app asked the sinks to send
  std::vector<Notification> tests_sent_;          // test notifications handed to the sinks
  // What previews run over: empty unless a test adds messages.
  std::shared_ptr<sinks::RecentMessages> recent_ =
      std::make_shared<sinks::RecentMessages>(sinks::RecentMessagesConfig{});
  std::shared_ptr<sinks::MemoryDeliveryHistory> history_ =
      std::make_shared<sinks::MemoryDeliveryHistory>();  // what GET /api/v1/history reads
  std::unique_ptr<WebApp> app_;
  std::vector<std::string> admins_;  // set before SetUp() to start the app with admins
};

}  // namespace fmn::web
