#include "tests/faults/chaos_run.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <ctime>
#include <optional>
#include <regex>
#include <thread>

#include "prefs/dsl_rule_validator.h"
#include "prefs/file_store.h"
#include "prefs/pg_store.h"
#include "sinks/redis_connection.h"
#include "tests/faults/chaos_bus.h"
#include "tests/faults/expected_notifications.h"
#include "tests/faults/pipeline_process.h"
#include "tests/faults/scenario.h"
#include "tests/faults/sse_feed_reader.h"
#include "tests/support/irc_server.h"
#include "tests/support/irc_test_client.h"
#include "tests/support/loopback.h"
#include "tests/support/postgres_server.h"
#include "tests/support/redis_config.h"
#include "tests/support/redis_server.h"
#include "tests/support/smtp_server.h"

namespace fmn::faults {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// ralph gets most of the corpus by email (about two messages in five), decause the builds and
// Pagure activity on IRC (paced at about a line a second, so a few only), jdoe the playbook runs,
// upstream checks, mailing lists and meetings in email digests (sent at 4 items, or 2 s after the
// first: several a run, and none left pending at the end), alice the releases, package changes and
// tags on her SSE feed.
constexpr const char* kEmailRule =
    R"(topic ~ ["*.bodhi.*", "*.git.*", "*.buildsys.*", "*.copr.*", "*.github.*", "*.anitya.*",)"
    R"( "*.pkgdb.*"])";
constexpr const char* kIrcRule = R"(topic ~ ["*.buildsys.*", "*.pagure.*"])";
constexpr const char* kIrcUser = "decause";
constexpr const char* kDigestRule =
    R"(topic ~ ["*.ansible.*", "*.hotness.*", "*.mailman.*", "*.meetbot.*"])";
constexpr const char* kSseRule = R"(topic ~ ["*.anitya.*", "*.pkgdb.*", "*.fedoratagger.*"])";
constexpr const char* kFeed = "alice";
constexpr const char* kFeedToken = "chaos-feed-token-8d1e5b0c7f2a";

std::string chaos_prefs() {
  return "version = 1\n" +
         user_prefs({"ralph", "email", "ralph@example.org", "", "updates", kEmailRule,
                     R"({ to = "email" })"}) +
         user_prefs({"decause", "irc", kIrcUser, "", "builds", kIrcRule, R"({ to = "irc" })"}) +
         user_prefs({"jdoe", "email", "jdoe@example.org", "", "lists", kDigestRule,
                     R"({ to = "email", count = 4, every = "2s" })"}) +
         user_prefs({"alice", "sse", kFeed, kFeedToken, "releases", kSseRule, R"({ to = "sse" })"});
}

std::string msg_id(const test::BusMessage& m) {
  rapidjson::Document d;
  d.Parse(m.json.data(), m.json.size());
  return !d.HasParseError() && d.IsObject() && d.HasMember("msg_id") && d["msg_id"].IsString()
             ? d["msg_id"].GetString()
             : std::string("(no msg_id)");
}

// A digest lists each item with the message's time and topic ("2015-06-23 15:47:55 UTC - rule
// "lists" - org.fedoraproject.prod.meetbot.meeting.item.link"): what identifies it (its text and
// links are free text, and some items have no link).
const std::regex kDigestItemLine(R"((\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC - rule "[^"]*" - (\S+))");

// "<time> <topic>" of each message of `slice` whose msg_id is in `ids`, mapped to that msg_id;
// a key shared by several maps to "(ambiguous)".
std::map<std::string, std::string> digest_items(const std::vector<test::BusMessage>& slice,
                                                const std::set<std::string>& ids) {
  std::map<std::string, std::string> out;
  for (const test::BusMessage& m : slice) {
    rapidjson::Document d;
    d.Parse(m.json.data(), m.json.size());
    const std::string id = msg_id(m);
    if (!ids.contains(id) || !d.HasMember("timestamp") || !d["timestamp"].IsNumber()) continue;
    const auto t = static_cast<std::time_t>(d["timestamp"].GetDouble());
    std::tm utc{};
    gmtime_r(&t, &utc);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &utc);
    auto [it, added] = out.emplace(std::string(when) + " " + m.topic, id);
    if (!added) it->second = "(ambiguous)";
  }
  return out;
}

Error failed(const std::string& what, const Error& error) {
  return Error{error.code, what + ": " + error.message};
}

// The servers of a run and what the driver saw of them.
class ChaosDriver {
 public:
  ChaosDriver(test::PostgresServer pg, test::RedisServer redis, test::SmtpServer smtp,
              test::IrcServer irc, std::unique_ptr<ChaosBus> bus, test::IrcTestClient recipient,
              std::string sse_listen, SseFeedReader feed, ChaosHistory& history,
              const std::vector<test::BusMessage>& slice)
      : pg_(std::move(pg)),
        redis_(std::move(redis)),
        smtp_(std::move(smtp)),
        irc_(std::move(irc)),
        bus_(std::move(bus)),
        recipient_(std::move(recipient)),
        sse_listen_(std::move(sse_listen)),
        feed_(std::move(feed)),
        irc_links_(ids_by_link(slice, history.irc.expected)),
        digest_items_(digest_items(slice, history.digest.expected)),
        history_(history) {}

  test::Status start_pipeline() {
    PipelineOptions options;
    options.config_toml = bus_->source_config() +
                          servers_config("", smtp_.url(), test::loopback_address(redis_.port()),
                                         test::loopback_address(irc_.port())) +
                          "[pipeline]\nstop_grace_seconds = 3\n[outbox]\nenabled = true\n";
    options.prefs_database = pg_.connection_string();
    options.sse_listen = sse_listen_;
    auto pipeline = PipelineProcess::start(options);
    if (!pipeline) return failed("fmn-pipeline", pipeline.error());
    pipeline_.emplace(std::move(pipeline).value());
    up_ = true;
    return bus_->wait_consuming(*pipeline_);
  }

  // Takes `a` before message `before`; the note says how it went when not plainly.
  std::string take(ChaosAction a, size_t before) {
    observe();
    switch (a) {
      case ChaosAction::kKillPipeline:
        pipeline_->kill();
        up_ = false;
        down_from_ = before;
        return {};
      case ChaosAction::kStopPipeline: {
        down_from_ = before;
        up_ = false;
        auto stopped = pipeline_->terminate();
        return stopped ? exit_summary() : "unclean stop: " + stopped.error().message;
      }
      case ChaosAction::kStartPipeline: {
        auto restarted = pipeline_->restart();
        if (!restarted) return "restart failed: " + restarted.error().message;
        up_ = true;
        auto consuming = bus_->wait_consuming(*pipeline_);
        history_.down.emplace_back(down_from_, before);
        return note(consuming);
      }
      case ChaosAction::kRestartRedis:
        return note(redis_.restart());
      case ChaosAction::kRestartPostgres:
        return note(pg_.restart());
      case ChaosAction::kRestartSmtp:
        return note(smtp_.restart());
      case ChaosAction::kRestartIrc:
        return restart_irc();
      case ChaosAction::kRestartPublisher:
      case ChaosAction::kRestartBroker:
        return note(bus_->restart(*pipeline_));
      case ChaosAction::kSmtpTempfail:
        return note(smtp_.set_mode(test::SmtpMode::kRejectTransient));
      case ChaosAction::kSmtpRefuse:
        return note(smtp_.set_mode(test::SmtpMode::kRefuseData));
      case ChaosAction::kSmtpSlow:
        return note(smtp_.set_mode(test::SmtpMode::kSlow));
      case ChaosAction::kSmtpAccept:
        return note(smtp_.set_mode(test::SmtpMode::kAccept));
    }
    return {};
  }

  test::Status publish(const test::BusMessage& m) { return bus_->publish(m); }

  // When fmn last wrote to each outbox stream (read once it is killed: nothing writes since).
  std::map<std::string, int64_t> outbox_writes() {
    std::map<std::string, int64_t> out;
    const sinks::RedisConfig config = test::redis_config(redis_);
    auto redis = sinks::RedisConnection::open(config);
    if (!redis) return out;
    for (const char* kind : {"email", "irc", "sse"}) {
      auto info = (*redis)->command({"XINFO", "STREAM", config.prefix + "outbox:" + kind});
      if (!info) continue;
      auto last = std::find(info->elements.begin(), info->elements.end(), "last-generated-id");
      if (last == info->elements.end() || last + 1 == info->elements.end()) continue;
      out[kind] = std::stoll(*(last + 1));  // "<ms>-<seq>"
    }
    return out;
  }

  // Reads what the servers recorded since the last call, each reception tagged with the number
  // of actions taken so far.
  // The SSE client reconnects only while fmn-pipeline runs and the run is not over.
  void observe(bool late = false) {
    const size_t epoch = history_.events.size();
    drain_irc(late);
    if (auto mails = smtp_.received(); mails) {
      for (; mails_seen_ < mails->size(); ++mails_seen_) {
        for (const auto& [delivery, id] : mail_items((*mails)[mails_seen_])) {
          delivery->received.push_back({id, epoch, late});
        }
      }
    }
    for (std::string& id : feed_.read(up_ && !late)) {
      history_.sse.received.push_back({std::move(id), epoch, late});
    }
  }

  // Waits until every expected notification not yet seen has arrived (or was refused) or none
  // arrived for
  // `options.quiet`, within `options.settle`.
  void settle(const ChaosRunOptions& options, size_t expected) {
    const auto end = Clock::now() + options.settle;
    auto last_change = Clock::now();
    size_t seen = 0;
    while (Clock::now() < end && Clock::now() - last_change < options.quiet) {
      observe();
      record_refused();
      size_t now = 0;  // expected notifications seen (a duplicate counts once)
      for (const ChaosDelivery* d :
           {&history_.email, &history_.digest, &history_.irc, &history_.sse}) {
        std::set<std::string> done = d->refused;
        for (const ChaosReception& r : d->received) done.insert(r.id);
        now += std::count_if(done.begin(), done.end(),
                             [&](const std::string& id) { return d->expected.contains(id); });
      }
      if (now != seen) last_change = Clock::now();
      seen = now;
      if (seen >= expected) break;
      std::this_thread::sleep_for(100ms);
    }
  }

  // SIGTERM, then whatever the stop still delivered: late.
  std::string finish() {
    observe();
    up_ = false;
    auto stopped = pipeline_->terminate();
    sync_irc(true);
    observe(true);
    feed_.disconnect();
    history_.sse_connections = feed_.connections();
    record_refused();
    return stopped ? exit_summary() : "unclean stop: " + stopped.error().message;
  }

 private:
  static std::string note(const test::Status& s) { return s ? "" : s.error().message; }

  // What `mail` notifies of: an immediate email its X-Fedmsg-Id (ralph's), a digest each item
  // it lists (jdoe's; an item is known by its link).
  std::vector<std::pair<ChaosDelivery*, std::string>> mail_items(const test::ReceivedMail& mail) {
    std::vector<std::pair<ChaosDelivery*, std::string>> out;
    if (mail.data.find("\r\nX-Fedmsg-Id: ") != std::string::npos) {
      for (const auto& [id, n] : received_ids({mail})) out.emplace_back(&history_.email, id);
      return out;
    }
    const std::string text = plain_text(mail);
    for (std::sregex_iterator it(text.begin(), text.end(), kDigestItemLine), end; it != end; ++it) {
      auto found = digest_items_.find((*it)[1].str() + " " + (*it)[2].str());
      out.emplace_back(&history_.digest, found != digest_items_.end()
                                             ? found->second
                                             : "(unknown: " + it->str() + ")");
    }
    if (out.empty()) out.emplace_back(&history_.digest, "(a digest listing no expected item)");
    return out;
  }

  // The notifications of every email the SMTP server refused with 5xx so far.
  void record_refused() {
    auto refused = smtp_.refused();
    if (!refused) return;
    for (const test::ReceivedMail& mail : refused.value()) {
      for (auto& [delivery, id] : mail_items(mail)) delivery->refused.insert(std::move(id));
    }
  }

  // The last "undelivered at stop" summary in fmn-pipeline's log, if the last stop wrote one.
  // "undelivered at stop: email=0 irc=1 sse=0; left in the outbox: email=2 irc=0 sse=0".
  std::string exit_summary() {
    static const std::regex kSummary("(undelivered at stop|left in the outbox): [^\n]*");
    const std::string log = pipeline_->log_text();
    std::string undelivered, left;
    for (std::sregex_iterator it(log.begin(), log.end(), kSummary), e; it != e; ++it) {
      ((*it)[1] == "left in the outbox" ? left : undelivered) = it->str();
    }
    const std::string last = undelivered + (left.empty() ? "" : "; " + left);
    return last == last_summary_ ? std::string() : (last_summary_ = last);
  }

  void record_irc(const test::IrcLine& line, bool late) {
    if (line.command != "PRIVMSG") return;
    auto ids = linked_ids(line.params.back(), irc_links_);
    history_.irc.received.push_back(
        {ids.size() == 1 ? ids[0] : "(unexpected: " + line.params.back() + ")",
         history_.events.size(), late});
  }

  void drain_irc(bool late) {
    if (!recipient_) return;
    for (auto line = recipient_->next(1ms); line; line = recipient_->next(1ms)) {
      record_irc(*line, late);
    }
  }

  // Every line the server sent before our PING.
  void sync_irc(bool late) {
    if (!recipient_ || !recipient_->send("PING :chaos-sync")) return;
    for (auto line = recipient_->next(10s); line && line->command != "PONG";
         line = recipient_->next(10s)) {
      record_irc(*line, late);
    }
  }

  std::string restart_irc() {
    sync_irc(false);
    // ngIRCd stopped with SIGTERM sends what it handled; read it to the close.
    if (auto s = irc_.stop(); !s) return s.error().message;
    for (auto line = recipient_->next(5s); line; line = recipient_->next(5s)) {
      record_irc(*line, false);
    }
    recipient_.reset();
    if (auto s = irc_.restart(); !s) return s.error().message;
    auto client = test::IrcTestClient::connect(irc_.port(), kIrcUser, 30s);
    if (!client) return "recipient: " + client.error().message;
    recipient_.emplace(std::move(client).value());
    return {};
  }

  test::PostgresServer pg_;
  test::RedisServer redis_;
  test::SmtpServer smtp_;
  test::IrcServer irc_;
  std::unique_ptr<ChaosBus> bus_;
  std::optional<test::IrcTestClient> recipient_;
  const std::string sse_listen_;
  SseFeedReader feed_;
  const std::map<std::string, std::string> irc_links_, digest_items_;
  ChaosHistory& history_;
  std::optional<PipelineProcess> pipeline_;
  bool up_ = false;        // fmn-pipeline is running
  size_t mails_seen_ = 0;  // of the SMTP recorder's accepted messages
  size_t down_from_ = 0;
  std::string last_summary_;
};

}  // namespace

Result<ChaosHistory> run_chaos(const ChaosSchedule& schedule, const ChaosRunOptions& options) {
  const auto run_start = Clock::now();
  ChaosHistory history;
  history.schedule = schedule;
  const std::vector<test::BusMessage> slice = corpus_slice(schedule.messages);
  if (slice.size() != schedule.messages) {
    return Error{ErrorCode::kInvalidConfig,
                 "the corpus has only " + std::to_string(slice.size()) + " messages with a msg_id"};
  }
  history.email.expected = matched_ids(slice, kEmailRule, "ralph");
  history.digest.expected = matched_ids(slice, kDigestRule, "jdoe");
  history.irc.expected = matched_ids(slice, kIrcRule, kIrcUser);
  history.sse.expected = matched_ids(slice, kSseRule, "alice");
  for (const test::BusMessage& m : slice) history.published.push_back(msg_id(m));
  // IRC lines show links and digest items time and topic, not msg_ids: each must be told apart.
  auto distinct = [](const std::map<std::string, std::string>& keys, size_t n) {
    return keys.size() == n && std::none_of(keys.begin(), keys.end(), [](const auto& k) {
             return k.first.empty() || k.second == "(ambiguous)";
           });
  };
  if (!distinct(ids_by_link(slice, history.irc.expected), history.irc.expected.size()) ||
      !distinct(digest_items(slice, history.digest.expected), history.digest.expected.size())) {
    return Error{ErrorCode::kInvalidConfig, "expected notifications cannot be told apart"};
  }

  auto pg = test::PostgresServer::start();
  if (!pg) return failed("PostgreSQL", pg.error());
  test::RedisOptions redis_options;
  redis_options.appendonly = true;
  auto redis = test::RedisServer::start(redis_options);
  if (!redis) return failed("Redis", redis.error());
  auto smtp = test::SmtpServer::start();
  if (!smtp) return failed("SMTP recorder", smtp.error());
  auto irc = test::IrcServer::start();
  if (!irc) return failed("ngIRCd", irc.error());
  auto bus = ChaosBus::start(schedule.source);
  if (!bus)
    return failed(schedule.source == ChaosSource::kAmqp ? "RabbitMQ" : "ZeroMQ publisher",
                  bus.error());
  auto store = prefs::PgStore::open(pg->connection_string(), prefs::dsl_rule_validator());
  if (!store) return failed("preferences database", store.error());
  auto population =
      prefs::parse_preferences_text(chaos_prefs(), "prefs.toml", prefs::dsl_rule_validator());
  if (!population) return failed("preferences", population.error());
  if (auto replaced = (*store)->replace_all(population.value()); !replaced) {
    return failed("preferences import", replaced.error());
  }
  store.value().reset();
  auto recipient = test::IrcTestClient::connect(irc->port(), kIrcUser, 30s);
  if (!recipient) return failed("IRC recipient", recipient.error());
  auto sse_port = test::pick_free_port();
  if (!sse_port) return failed("SSE port", sse_port.error());
  const std::string sse_listen = test::loopback_address(*sse_port);
  auto feed =
      SseFeedReader::create("http://" + sse_listen + "/feeds/" + kFeed + "?token=" + kFeedToken);
  if (!feed) return failed("SSE client", feed.error());

  ChaosDriver driver(std::move(pg).value(), std::move(redis).value(), std::move(smtp).value(),
                     std::move(irc).value(), std::move(bus).value(), std::move(recipient).value(),
                     sse_listen, std::move(feed).value(), history, slice);
  if (auto started = driver.start_pipeline(); !started) return started.error();

  const auto t0 = Clock::now();
  const auto interval = std::chrono::duration<double>(1.0 / schedule.rate);
  const auto step = std::chrono::duration_cast<Clock::duration>(interval);
  auto next_publish = t0;
  size_t next_action = 0;
  for (size_t i = 0; i <= slice.size(); ++i) {
    const auto gap_start = next_publish - step;
    while (next_action < schedule.actions.size() && schedule.actions[next_action].before <= i) {
      const ScheduledAction& a = schedule.actions[next_action++];
      std::this_thread::sleep_until(
          gap_start + std::chrono::duration_cast<Clock::duration>(interval * a.phase));
      const double at = std::chrono::duration<double>(Clock::now() - t0).count();
      ChaosEvent event{i, a.action, at, driver.take(a.action, i), {}};
      if (a.action == ChaosAction::kKillPipeline) event.outbox_written_ms = driver.outbox_writes();
      history.events.push_back(std::move(event));
      next_publish = Clock::now();
    }
    if (i == slice.size()) break;
    std::this_thread::sleep_until(next_publish);
    history.published_ms.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    if (auto published = driver.publish(slice[i]); !published) {
      return failed("publish", published.error());
    }
    next_publish += step;
    driver.observe();
  }
  // Over ZeroMQ what was published while fmn was down never reaches it; the broker keeps it.
  size_t reachable = 0;
  for (size_t i = 0; i < history.published.size(); ++i) {
    bool down = false;
    for (const auto& [first, end] : history.down) down = down || (i >= first && i < end);
    if (down && schedule.source == ChaosSource::kZeroMq) continue;
    for (const ChaosDelivery* d : {&history.email, &history.digest, &history.irc, &history.sse}) {
      reachable += d->expected.count(history.published[i]);
    }
  }
  driver.settle(options, reachable);
  const double at = std::chrono::duration<double>(Clock::now() - t0).count();
  std::string summary = driver.finish();
  history.events.push_back({slice.size(), ChaosAction::kStopPipeline, at, std::move(summary)});
  history.seconds = std::chrono::duration<double>(Clock::now() - run_start).count();
  return history;
}

}  // namespace fmn::faults
