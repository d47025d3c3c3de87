// The lag notice as a browser sees it: headless Chromium's EventSource (driven through
// chromedriver: web_driver.h) on the live feed page while the server falls behind. The server's
// network thread is held up while a burst far larger than the client's queue is published, so
// the whole burst reaches the page's queue at once: the page is told how many events it missed,
// with its Last-Event-ID still the last event it really received, then gets the newest events
// from the backlog and live events again. A screenshot of the page goes to
// <build>/web-screenshots/sse/lag-notice.png.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <filesystem>
#include <future>
#include <string>
#include <vector>

#include "sinks/sse_server.h"
#include "sinks/sse_sink.h"
#include "tests/sinks/feed_token.h"
#include "tests/sinks/notification_fixture.h"
#include "tests/sinks/sse_test_client.h"
#include "tests/support/web_driver.h"

namespace fmn::sinks {
namespace {

using namespace std::chrono_literals;

Notification event(const std::string& name) {
  testing::MessageSpec spec;
  spec.msg_id = "2024-lag-" + name;
  spec.subtitle = "event " + name;
  spec.link = "https://example.org/" + name;
  return testing::make_notification(spec, DestinationKind::kSse, "alice");
}

// What the page's EventSource dispatched, in order: a message's id and subtitle, or a "missed"
// notice's count and the source's last event id when it came.
struct Seen {
  bool missed = false;
  uint64_t count = 0;
  std::string id, subtitle;
};

// Records every event the page's EventSource (the page's `source`) dispatches from now on.
constexpr const char* kRecord = R"(
  window.seen = [];
  source.addEventListener('message', (e) => seen.push(
      {missed: false, id: e.lastEventId, subtitle: JSON.parse(e.data).subtitle}));
  source.addEventListener('missed', (e) => seen.push(
      {missed: true, id: e.lastEventId, count: JSON.parse(e.data).missed}));
  return true;)";

std::vector<Seen> seen_by(test::WebDriver& browser) {
  std::vector<Seen> seen;
  auto reply = browser.execute("return window.seen");
  if (!reply) return seen;
  reply->reserve(reply->size() + 16);  // RapidJSON's SSE4.2 reads 16-byte blocks
  rapidjson::Document d;
  if (d.Parse(reply->c_str()).HasParseError() || !d.HasMember("value") || !d["value"].IsArray()) {
    return seen;
  }
  for (const auto& e : d["value"].GetArray()) {
    Seen s;
    s.missed = e["missed"].GetBool();
    s.id = e["id"].GetString();
    if (s.missed) s.count = e["count"].GetUint64();
    if (!s.missed) s.subtitle = e["subtitle"].GetString();
    seen.push_back(std::move(s));
  }
  return seen;
}

TEST(SseChromium, APageTheServerFellBehindIsToldWhatItMissedAndResumes) {
  // The network thread is held up in the token check of a connection to "gate".
  std::promise<void> gate;
  std::shared_future<void> opened = gate.get_future().share();
  std::atomic<bool> held{false};
  SseServerConfig config;
  config.network_threads = 1;  // the held thread is the page's too
  config.heartbeat = 100ms;
  config.max_event_bytes = 4096;
  config.max_queued_bytes = 16 * 1024;  // the page's queue: ~40 events
  config.backlog_per_feed = 10;
  auto started = SseServer::start(config, [&](std::string_view feed, std::string_view token) {
    if (feed == "gate") {
      held = true;
      opened.wait();
    }
    return test_feed_auth(feed, token);
  });
  ASSERT_TRUE(started.ok()) << started.error().message;
  SseServer& server = **started;
  SseSink sink(server);
  const std::vector<Notification> first = {event("0")};
  sink.deliver(first);

  auto browser = test::WebDriver::start();
  ASSERT_TRUE(browser.ok()) << browser.error().message;
  std::printf("SSE server on 127.0.0.1:%d, client: headless Chromium EventSource\n", server.port());
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  ASSERT_TRUE(browser->open(base + "/feeds/alice/page?token=" + test_feed_token("alice")).ok());
  ASSERT_TRUE(browser->wait_until("return document.querySelectorAll('li').length == 1", 20s).ok());
  ASSERT_TRUE(browser->execute(kRecord).ok());

  testing::Client holder(server.port(),
                         testing::get("/feeds/gate?token=" + test_feed_token("gate")));
  ASSERT_TRUE(testing::wait_for([&] { return held.load(); }));
  constexpr int kBurst = 200;  // ~80 KB: five times the page's queue
  std::vector<Notification> burst;
  for (int i = 1; i <= kBurst; ++i) burst.push_back(event(std::to_string(i)));
  sink.deliver(burst);
  gate.set_value();

  const std::string last = "event " + std::to_string(kBurst);
  ASSERT_TRUE(
      browser->wait_until("return window.seen.some((e) => e.subtitle == '" + last + "')", 20s)
          .ok());
  const std::vector<Seen> seen = seen_by(*browser);
  // Events, one notice, events: ids increasing throughout, and the notice comes with the id of
  // the last event before it (what the browser would send as Last-Event-ID on a reconnect).
  const auto notice =
      std::find_if(seen.begin(), seen.end(), [](const Seen& s) { return s.missed; });
  ASSERT_NE(notice, seen.end());
  ASSERT_NE(notice, seen.begin());
  ASSERT_NE(notice + 1, seen.end());
  EXPECT_EQ(std::count_if(seen.begin(), seen.end(), [](const Seen& s) { return s.missed; }), 1);
  EXPECT_EQ(notice->id, (notice - 1)->id);
  for (auto it = seen.begin() + 1; it != seen.end(); ++it) {
    if (it == notice || it - 1 == notice) continue;
    EXPECT_GT(std::stoull(it->id), std::stoull((it - 1)->id));
  }

  EXPECT_GT(std::stoull((notice + 1)->id), std::stoull(notice->id));
  // Before the notice, the burst from its start; after it, the newest events from the backlog,
  // up to the last; every event of the burst arrived or was counted missed.
  const auto received_before = static_cast<uint64_t>(notice - seen.begin());
  const auto received_after = static_cast<uint64_t>(seen.end() - notice - 1);
  for (uint64_t i = 0; i < received_before; ++i) {
    EXPECT_EQ(seen[i].subtitle, "event " + std::to_string(i + 1));
  }
  for (uint64_t i = 0; i < received_after; ++i) {
    EXPECT_EQ(seen[seen.size() - 1 - i].subtitle, "event " + std::to_string(kBurst - i));
  }
  std::printf("the page received %llu events, then was told %llu missed, then got %llu\n",
              static_cast<unsigned long long>(received_before),
              static_cast<unsigned long long>(notice->count),
              static_cast<unsigned long long>(received_after));
  EXPECT_LE(received_after, config.backlog_per_feed);
  EXPECT_EQ(received_before + notice->count + received_after, static_cast<uint64_t>(kBurst));
  EXPECT_EQ(server.lag_notices(), 1u);
  EXPECT_EQ(server.missed_events(), notice->count);
  EXPECT_EQ(server.slow_disconnects(), 0u);

  // The page says so, and shows live events again.
  const std::string says =
      std::to_string(notice->count) + " events were missed: reload the page to catch up";
  EXPECT_TRUE(
      browser
          ->wait_until("return document.getElementById('status').textContent == '" + says + "'", 5s)
          .ok());
  const std::vector<Notification> after = {event("after")};
  sink.deliver(after);
  EXPECT_TRUE(browser
                  ->wait_until("return document.querySelector('li').textContent"
                               ".startsWith('event after')",
                               20s)
                  .ok());
  EXPECT_EQ(server.clients(), 2u);
  const auto shot =
      std::filesystem::path(FMN_BINARY_DIR) / "web-screenshots" / "sse" / "lag-notice.png";
  auto written = browser->screenshot(shot);
  EXPECT_TRUE(written.ok()) << written.error().message;
}

}  // namespace
}  // namespace fmn::sinks
