// End to end: a slice of the real corpus published over ZeroMQ to the real fmn-pipeline, its
// preferences in PostgreSQL and its state in Redis, delivering to a real SMTP server, to a nick
// on ngIRCd and to an SSE feed read by curl and by headless Chromium's EventSource. Each
// destination must receive exactly the notifications the reference interpreter computes from
// the users' rules: none missing, none twice, the digest holding every item its count awaited.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <thread>

#include "prefs/dsl_rule_validator.h"
#include "prefs/file_store.h"
#include "prefs/pg_store.h"
#include "tests/faults/expected_notifications.h"
#include "tests/faults/pipeline_process.h"
#include "tests/faults/scenario.h"
#include "tests/support/irc_server.h"
#include "tests/support/irc_test_client.h"
#include "tests/support/loopback.h"
#include "tests/support/postgres_server.h"
#include "tests/support/redis_server.h"
#include "tests/support/smtp_server.h"
#include "tests/support/web_driver.h"
#include "tests/support/zmq_publisher.h"

namespace fmn::faults {
namespace {

using namespace std::chrono_literals;

constexpr size_t kSlice = 60;
// ralph: updates by email at once, GitHub activity in one digest of all of it (a digest is
// sent once `count` items are pending and takes every pending item: only a count equal to the
// number of items makes its grouping independent of how the bus batches them).
constexpr const char* kUpdatesRule = R"(topic ~ ["*.bodhi.*", "*.buildsys.*"])";
constexpr const char* kGithubRule = R"(topic ~ "*.github.*")";
// decause: Koji builds on IRC (paced at about a line a second: a few only).
constexpr const char* kIrcRule = R"(topic ~ "*.buildsys.*")";
constexpr const char* kIrcUserNick = "decause";
// alice: upstream releases and package changes on her SSE feed.
constexpr const char* kSseRule = R"(topic ~ ["*.anitya.*", "*.pkgdb.*"])";
constexpr const char* kFeed = "alice";
constexpr const char* kFeedToken = "e2e-feed-token-5f0c9a7e21d4";

std::string three_users_prefs(size_t digest_count) {
  return std::string("version = 1\n") +
         "[[users]]\nname = \"ralph\"\n"
         "[[users.destinations]]\nkind = \"email\"\naddress = \"ralph@example.org\"\n"
         "[[users.rules]]\nname = \"updates\"\nsource = '" +
         kUpdatesRule +
         "'\ndeliver = [{ to = \"email\" }]\n"
         "[[users.rules]]\nname = \"github\"\nsource = '" +
         kGithubRule + "'\ndeliver = [{ to = \"email\", count = " + std::to_string(digest_count) +
         " }]\n" +
         user_prefs({"decause", "irc", kIrcUserNick, "", "builds", kIrcRule, R"({ to = "irc" })"}) +
         user_prefs({"alice", "sse", kFeed, kFeedToken, "releases", kSseRule, R"({ to = "sse" })"});
}

// Polls `read` until `done(value)` or `timeout`; returns the last value read.
template <typename T>
T poll(const std::function<T()>& read, const std::function<bool(const T&)>& done,
       test::Duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  T value = read();
  while (!done(value) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
    value = read();
  }
  return value;
}

// The SSE stream curl wrote: event id -> the msg_id in its data.
std::map<std::string, std::string> sse_events(const std::string& stream, int& events) {
  std::map<std::string, std::string> out;
  events = 0;
  std::string id;
  std::istringstream in(stream);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.starts_with("id: ")) id = line.substr(4);
    if (!line.starts_with("data: ")) continue;
    rapidjson::Document d;
    d.Parse(line.c_str() + 6);
    ++events;
    out[id] = !d.HasParseError() && d.HasMember("msg_id") && d["msg_id"].IsString()
                  ? d["msg_id"].GetString()
                  : "(no msg_id: " + line + ")";
  }
  return out;
}

// The page's value for `script`, a string.
std::string page_string(test::WebDriver& browser, const std::string& script) {
  auto reply = browser.execute(script);
  if (!reply) return {};
  reply->reserve(reply->size() + 16);  // RapidJSON's SSE4.2 reads 16-byte blocks
  rapidjson::Document d;
  d.Parse(reply->c_str());
  return !d.HasParseError() && d.HasMember("value") && d["value"].IsString()
             ? d["value"].GetString()
             : std::string();
}

std::map<std::string, int> counts(const std::vector<std::string>& ids) {
  std::map<std::string, int> out;
  for (const std::string& id : ids) out[id]++;
  return out;
}

TEST(EndToEnd, CorpusOverZeroMqReachesEmailIrcAndSseExactlyOnce) {
  auto pg = test::PostgresServer::start();
  ASSERT_TRUE(pg.ok()) << pg.error().message;
  auto redis = test::RedisServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  auto smtp = test::SmtpServer::start();
  ASSERT_TRUE(smtp.ok()) << smtp.error().message;
  auto irc = test::IrcServer::start();
  ASSERT_TRUE(irc.ok()) << irc.error().message;
  auto bus = test::ZmqPublisher::start();
  ASSERT_TRUE(bus.ok()) << bus.error().message;

  // What each destination must receive, from the rules alone.
  const std::vector<test::BusMessage> slice = corpus_slice(kSlice);
  ASSERT_EQ(slice.size(), kSlice);
  const std::set<std::string> updates = matched_ids(slice, kUpdatesRule, "ralph");
  const std::set<std::string> github = matched_ids(slice, kGithubRule, "ralph");
  const std::set<std::string> builds = matched_ids(slice, kIrcRule, "decause");
  const std::set<std::string> releases = matched_ids(slice, kSseRule, "alice");
  ASSERT_FALSE(updates.empty() || builds.empty() || releases.empty());
  ASSERT_GE(github.size(), 2u);
  const auto github_links = ids_by_link(slice, github);
  const auto build_links = ids_by_link(slice, builds);
  ASSERT_EQ(github_links.size(), github.size()) << "GitHub items must have distinct links";
  ASSERT_EQ(build_links.size(), builds.size()) << "builds must have distinct links";

  // The preferences, imported into the database as an operator would.
  auto store = prefs::PgStore::open(pg->connection_string(), prefs::dsl_rule_validator());
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto population = prefs::parse_preferences_text(three_users_prefs(github.size()), "prefs.toml",
                                                  prefs::dsl_rule_validator());
  ASSERT_TRUE(population.ok()) << population.error().message;
  ASSERT_TRUE((*store)->replace_all(population.value()).ok());

  auto recipient = test::IrcTestClient::connect(irc->port(), kIrcUserNick, 30s);
  ASSERT_TRUE(recipient.ok()) << recipient.error().message;
  auto sse_port = test::pick_free_port();
  ASSERT_TRUE(sse_port.ok()) << sse_port.error().message;
  PipelineOptions options;
  options.config_toml =
      servers_config(bus->endpoint(), smtp->url(), test::loopback_address(redis->port()),
                     test::loopback_address(irc->port()));
  options.prefs_database = pg->connection_string();
  options.sse_listen = test::loopback_address(*sse_port);
  auto pipeline = PipelineProcess::start(options);
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;

  // The SSE readers, connected before anything is published.
  const std::string feed = "http://" + test::loopback_address(*sse_port) + "/feeds/" + kFeed;
  const std::string query = std::string("?token=") + kFeedToken;
  auto curl_dir = test::TempDir::create("e2e-curl");
  ASSERT_TRUE(curl_dir.ok()) << curl_dir.error().message;
  const auto curl_log = curl_dir->path() / "stream.txt";
  auto curl = test::ChildProcess::spawn({{"curl", "-sSiN", feed + query}, curl_log});
  ASSERT_TRUE(curl.ok()) << curl.error().message;
  auto browser = test::WebDriver::start();
  ASSERT_TRUE(browser.ok()) << browser.error().message;
  ASSERT_TRUE(browser->open(feed + "/page" + query).ok());
  const std::string status = poll<std::string>(
      [&] { return page_string(*browser, "return document.getElementById('status').textContent"); },
      [](const std::string& s) { return s.starts_with("connected"); }, 30s);
  ASSERT_EQ(status, std::string("connected to ") + kFeed);
  const std::string head = poll<std::string>(
      [&] { return test::read_log(curl_log); },
      [](const std::string& s) { return s.find("\r\n\r\n") != std::string::npos; }, 30s);
  ASSERT_TRUE(head.starts_with("HTTP/1.1 200")) << head;

  ASSERT_TRUE(bus->wait_for_subscriptions(1, 30s).ok());
  ASSERT_TRUE(bus->play(slice).ok());

  // Everything delivered: each sink has accepted what the rules call for.
  const std::vector<std::pair<const char*, size_t>> delivered = {
      {"sink=\"email\"", updates.size() + 1},
      {"sink=\"irc\"", builds.size()},
      {"sink=\"sse\"", releases.size()}};
  for (const auto& [sink, count] : delivered) {
    auto done = pipeline->wait_metric(
        "fmn_delivered_total", sink, [count](double v) { return v >= count; }, 60s);
    ASSERT_TRUE(done.ok()) << done.error().message;
    EXPECT_EQ(pipeline->metric("fmn_failed_total", sink).value_or(0), 0.0) << sink;
  }
  auto mails = smtp->wait_for_mail(updates.size() + 1, 30s);
  ASSERT_TRUE(mails.ok()) << mails.error().message;
  std::vector<std::string> irc_ids;
  while (irc_ids.size() < builds.size()) {
    auto line = recipient->wait_for("PRIVMSG", 30s);
    ASSERT_TRUE(line.ok()) << line.error().message << "\n" << pipeline->log_text();
    auto ids = linked_ids(line->params.back(), build_links);
    irc_ids.push_back(ids.size() == 1 ? ids[0] : "(unexpected: " + line->params.back() + ")");
  }
  const std::string page_ids_script =
      "return Array.from(document.querySelectorAll('#events li')).map(li => li.dataset.id)"
      ".join(' ')";
  poll<std::string>([&] { return page_string(*browser, page_ids_script); },
                    [&](const std::string& s) {
                      return static_cast<size_t>(std::count(s.begin(), s.end(), ' ')) + 1 >=
                             releases.size();
                    },
                    30s);

  // Stopped: whatever it still held is out; then everything each destination got.
  ASSERT_TRUE(pipeline->terminate().ok());
  ASSERT_TRUE(recipient->send("PING :drained").ok());
  for (;;) {
    auto line = recipient->next(30s);
    ASSERT_TRUE(line.ok()) << line.error().message;
    if (line->command == "PONG") break;
    if (line->command != "PRIVMSG") continue;
    auto ids = linked_ids(line->params.back(), build_links);
    irc_ids.push_back(ids.size() == 1 ? ids[0] : "(unexpected: " + line->params.back() + ")");
  }
  auto all_mail = smtp->received();
  ASSERT_TRUE(all_mail.ok()) << all_mail.error().message;
  std::optional<int> curl_status = curl->stop(SIGTERM, 10s);
  ASSERT_TRUE(curl_status.has_value());
  int curl_events = 0;
  const auto curl_ids = sse_events(test::read_log(curl_log), curl_events);
  std::string page_ids = page_string(*browser, page_ids_script);

  // Email: one message per update, with its X-Fedmsg-Id; the GitHub items in one digest.
  std::vector<test::ReceivedMail> immediate;
  std::vector<std::string> digest_items;
  size_t digest_mails = 0;
  for (const test::ReceivedMail& mail : all_mail.value()) {
    if (mail.data.find("\r\nX-Fedmsg-Id: ") != std::string::npos) {
      immediate.push_back(mail);
      continue;
    }
    ++digest_mails;
    auto items = linked_ids(plain_text(mail), github_links);
    EXPECT_NE(mail.data.find("Subject: " + std::to_string(github.size()) + " Fedora notifications"),
              std::string::npos)
        << mail.data;
    digest_items.insert(digest_items.end(), items.begin(), items.end());
  }
  EXPECT_EQ(describe(received_ids(immediate)), describe(once_each(updates)));
  EXPECT_EQ(digest_mails, 1u);
  EXPECT_EQ(describe(counts(digest_items)), describe(once_each(github)));

  // IRC: one PRIVMSG per build.
  EXPECT_EQ(describe(counts(irc_ids)), describe(once_each(builds)));

  // SSE: curl saw each release once; the browser listed the same events.
  std::vector<std::string> curl_msg_ids;
  for (const auto& [event_id, msg_id] : curl_ids) curl_msg_ids.push_back(msg_id);
  EXPECT_EQ(static_cast<size_t>(curl_events), curl_ids.size());
  EXPECT_EQ(describe(counts(curl_msg_ids)), describe(once_each(releases)));
  std::vector<std::string> browser_msg_ids;
  std::istringstream in(page_ids);
  for (std::string event_id; in >> event_id;) {
    auto found = curl_ids.find(event_id);
    browser_msg_ids.push_back(found != curl_ids.end() ? found->second
                                                      : "(unknown event " + event_id + ")");
  }
  EXPECT_EQ(describe(counts(browser_msg_ids)), describe(once_each(releases)));
}

}  // namespace
}  // namespace fmn::faults
