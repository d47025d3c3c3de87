// The SSE server with real clients: curl receives the expected events and, reconnecting with
// Last-Event-ID, exactly the missed ones, and is told 503 + Retry-After over the per-address
// limit; headless Chromium's EventSource shows the live feed
// page's events live, with hostile text inert (driven through chromedriver: web_driver.h).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <future>
#include <thread>

#include "sinks/sse_server.h"
#include "sinks/sse_sink.h"
#include "tests/sinks/feed_token.h"
#include "tests/sinks/notification_fixture.h"
#include "tests/sinks/sse_test_client.h"
#include "tests/support/command_output.h"
#include "tests/support/web_driver.h"

namespace fmn::sinks {
namespace {

using namespace std::chrono_literals;

using test::command_output;

std::unique_ptr<SseServer> start_server() {
  auto server = SseServer::start({}, test_feed_auth);
  if (!server) ADD_FAILURE() << server.error().message;
  return server ? std::move(server.value()) : nullptr;
}

std::string feed_url(const SseServer& server, const std::string& feed, bool page = false) {
  return "http://127.0.0.1:" + std::to_string(server.port()) + "/feeds/" + feed +
         (page ? "/page" : "") + "?token=" + test_feed_token(feed);
}

Notification event(int i, std::string subtitle = {}) {
  testing::MessageSpec spec;
  spec.msg_id = "2024-event-" + std::to_string(i);
  spec.subtitle = subtitle.empty() ? "event " + std::to_string(i) : subtitle;
  spec.link = "https://example.org/" + std::to_string(i);
  return testing::make_notification(spec, DestinationKind::kSse, "alice");
}

std::vector<std::string> ids_of(const std::string& stream) {
  std::vector<std::string> ids;
  for (size_t at = stream.find("id: "); at != std::string::npos; at = stream.find("id: ", at + 1)) {
    if (at != 0 && stream[at - 1] != '\n') continue;
    ids.push_back(stream.substr(at + 4, stream.find('\n', at) - at - 4));
  }
  return ids;
}

TEST(SseCurl, ReceivesEventsAndResumesFromLastEventId) {
  auto server = start_server();
  ASSERT_NE(server, nullptr);
  std::printf("SSE server on 127.0.0.1:%d, client: curl\n", server->port());
  SseSink sink(*server);
  const std::string url = feed_url(*server, "alice");
  auto first = std::async(std::launch::async,
                          [&] { return command_output("curl -sN --max-time 3 '" + url + "'"); });
  for (int i = 0; i < 300 && server->clients() < 1; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(server->clients(), 1u);
  const std::vector<Notification> batch = {event(1), event(2)};
  sink.deliver(batch);
  const std::string got = first.get();
  ASSERT_EQ(ids_of(got).size(), 2u) << got;
  EXPECT_NE(got.find("\"subtitle\":\"event 1\""), std::string::npos);
  EXPECT_NE(got.find("\"subtitle\":\"event 2\""), std::string::npos);
  const std::string last_id = ids_of(got).back();

  // Missed while disconnected: 3 and 4.
  const std::vector<Notification> missed = {event(3), event(4)};
  sink.deliver(missed);
  for (int i = 0; i < 100 && server->clients() > 0; ++i) std::this_thread::sleep_for(10ms);
  const std::string again =
      command_output("curl -sN --max-time 2 -H 'Last-Event-ID: " + last_id + "' '" + url + "'");
  const auto ids = ids_of(again);
  ASSERT_EQ(ids.size(), 2u) << again;
  EXPECT_GT(std::stoull(ids[0]), std::stoull(last_id));
  EXPECT_NE(again.find("\"subtitle\":\"event 3\""), std::string::npos);
  EXPECT_NE(again.find("\"subtitle\":\"event 4\""), std::string::npos);
  EXPECT_EQ(again.find("\"subtitle\":\"event 2\""), std::string::npos);

  const std::string refused = command_output(
      "curl -s -o /dev/null -w '%{http_code}' 'http://127.0.0.1:" + std::to_string(server->port()) +
      "/feeds/alice?token=nope'");
  EXPECT_EQ(refused, "401");
}

// Polls the page's event list until it holds `count` items (or 20 s pass); returns its HTML.
std::string wait_for_items(test::WebDriver& browser, size_t count) {
  std::string html;
  for (int i = 0; i < 200; ++i) {
    auto reply = browser.execute("return document.getElementById('events').innerHTML");
    rapidjson::Document d;
    if (reply) reply->reserve(reply->size() + 16);  // RapidJSON's SSE4.2 reads 16-byte blocks
    if (reply && !d.Parse(reply->c_str()).HasParseError() && d.HasMember("value") &&
        d["value"].IsString()) {
      html = d["value"].GetString();
    }
    size_t items = 0;
    for (size_t at = html.find("<li"); at != std::string::npos; at = html.find("<li", at + 1)) {
      ++items;
    }
    if (items >= count) break;
    std::this_thread::sleep_for(100ms);
  }
  return html;
}

TEST(SseCurl, IsToldToRetryLaterOverThePerAddressLimit) {
  SseServerConfig config;
  config.limits.max_connections_per_ip = 1;
  testing::Server s(config);
  testing::Client holder(s.server->port(), testing::get(s.feed_url("alice")));
  s.wait_for_clients(1);
  const std::string url = feed_url(*s.server, "alice");
  const std::string got = command_output("curl -sS -i --max-time 10 '" + url + "' 2>&1");
  EXPECT_NE(got.find("HTTP/1.1 503 Service Unavailable"), std::string::npos) << got;
  EXPECT_NE(got.find("Retry-After: 5"), std::string::npos) << got;
  EXPECT_EQ(got.find("curl:"), std::string::npos) << got;  // no reset, no timeout
  EXPECT_EQ(s.server->listener().refused(net::Refusal::kPerAddress), 1u);
  EXPECT_EQ(s.server->clients(), 1u);
}

TEST(SseChromium, EventSourceInAHeadlessBrowserShowsTheLiveFeed) {
  auto server = start_server();
  ASSERT_NE(server, nullptr);
  SseSink sink(*server);
  const std::vector<Notification> before = {
      event(1), event(2, "<img src=x onerror=alert(1)> <script>alert(2)</script>")};
  sink.deliver(before);
  auto browser = test::WebDriver::start();
  ASSERT_TRUE(browser.ok()) << browser.error().message;
  std::printf("SSE server on 127.0.0.1:%d, client: headless Chromium EventSource\n",
              server->port());
  ASSERT_TRUE(browser->open(feed_url(*server, "alice", true)).ok());
  // The recent events first, then one published while the page is open.
  std::string html = wait_for_items(*browser, 2);
  EXPECT_NE(html.find(">event 1<"), std::string::npos) << html;
  EXPECT_NE(html.find("https://example.org/1"), std::string::npos) << html;
  // Hostile text shows as text: escaped in the DOM's HTML, no element created.
  EXPECT_NE(html.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos) << html;
  EXPECT_EQ(html.find("<img"), std::string::npos) << html;
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  const std::vector<Notification> live = {event(3)};
  sink.deliver(live);
  html = wait_for_items(*browser, 3);
  EXPECT_NE(html.find(">event 3<"), std::string::npos) << html;
}

}  // namespace
}  // namespace fmn::sinks
