#include "pipeline/service_config.h"

#include <gtest/gtest.h>

#include <string>

#include "pipeline/amqp_intake.h"
#include "sinks/destination_sinks.h"

namespace fmn::pipeline {
namespace {

// The error text of parsing `text` as "fmn.toml"; "" when it parses.
std::string parse_error(const std::string& text) {
  auto config = parse_service_config(text, "fmn.toml");
  return config ? "" : config.error().message;
}

std::string validate_error(const ServiceConfig& config) {
  auto ok = validate(config);
  return ok ? "" : ok.error().message;
}

ServiceConfig valid_config() {
  ServiceConfig c;
  c.connect = {"tcp://127.0.0.1:9940"};
  return c;
}

TEST(ServiceConfig, AnEmptyFileGivesTheDefaults) {
  auto config = parse_service_config("", "fmn.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  const ServiceConfig& c = *config;
  EXPECT_EQ(c.replay, "");
  EXPECT_TRUE(c.connect.empty());
  EXPECT_EQ(c.high_water_mark, 100000);
  EXPECT_EQ(c.dedupe_window, 100000u);
  EXPECT_EQ(c.prefs_file, "");
  EXPECT_EQ(c.prefs_database, "");
  EXPECT_EQ(c.engine, "auto");
  EXPECT_EQ(c.redis, "");
  EXPECT_TRUE(c.stdout_fallback);
  EXPECT_EQ(c.sink(DestinationKind::kEmail).text("from"), "notifications@fedoraproject.org");
  EXPECT_EQ(c.sink(DestinationKind::kIrc).text("nick"), "fmn");
  EXPECT_EQ(c.sink(DestinationKind::kSse).text("listen"), "127.0.0.1:8080");
  EXPECT_EQ(c.admin_listen, "127.0.0.1:9090");
  EXPECT_EQ(c.log_level, "info");
  EXPECT_EQ(c.log_format, "text");
  EXPECT_EQ(c.progress_seconds, 10);
  EXPECT_EQ(c.shard_index, 0u);
  EXPECT_EQ(c.shard_count, 1u);
  EXPECT_EQ(c.batch_size, 128u);
  EXPECT_EQ(c.batch_wait_us, 0);
  EXPECT_EQ(c.max_in_flight, 16u);
  EXPECT_EQ(c.sink_queue, 65536u);
  EXPECT_FALSE(c.validate_signatures);
  EXPECT_EQ(c.ca_cert, "");
  EXPECT_EQ(c.crl, "");
  // A file must name a source (the bus or a replay); without any file the demo corpus plays.
  EXPECT_EQ(validate_error(c),
            "fmn.toml:1:1: source.connect: neither bus endpoints (connect or amqp) nor a "
            "replay file (source.replay) are set; without a configuration file "
            "fmn-pipeline replays its embedded demo corpus instead");
  EXPECT_EQ(validate_error(ServiceConfig{}), "");
}

TEST(ServiceConfig, PreferencesComeFromAFileOrADatabase) {
  auto config = parse_service_config(
      "[source]\nconnect = [\"tcp://127.0.0.1:9940\"]\n"
      "[prefs]\ndatabase = \"postgresql://fmn@db.example.org/fmn\"\n",
      "fmn.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->prefs_database, "postgresql://fmn@db.example.org/fmn");
  EXPECT_EQ(validate_error(*config), "");
  ServiceConfig both = *config;
  both.prefs_file = "/etc/fmn/preferences.toml";
  EXPECT_EQ(
      validate_error(both),
      "fmn.toml:4:12: prefs.database: prefs.file is set too; preferences come from one of them");
}

TEST(ServiceConfig, EverySectionParses) {
  auto config = parse_service_config(R"(
[source]
replay = "corpus/fedmsg-real.jsonl"
replay_rate = 250.5
replay_speed = 4
connect = ["tcp://hub.fedoraproject.org:9940", "tcp://127.0.0.1:9941"]
topics = ["org.fedoraproject.prod.bodhi", "org.fedoraproject.prod.buildsys"]
high_water_mark = 5000
dedupe_window = 777

[prefs]
file = "/etc/fmn/preferences.toml"

[engine]
mode = "jit"

[state]
redis = "127.0.0.1:6379"

[stdout]
fallback = false

[email]
smtp_url = "smtp://127.0.0.1:2525"
from = "fmn@example.org"

[irc]
server = "irc.libera.chat:6667"
nick = "fedora-notifs"

[sse]
listen = "0.0.0.0:8081"

[web]
header_timeout_seconds = 2.5
idle_timeout_seconds = 30
admins = ["kevin", "ralph"]

[admin]
listen = "127.0.0.1:9191"

[log]
level = "debug"
format = "json"
progress_seconds = 2.5

[shard]
index = 2
count = 3

[pipeline]
batch_size = 64
batch_wait_us = 80
max_in_flight = 8
sink_queue = 99

[security]
validate_signatures = true
ca_cert = "/etc/pki/fedmsg/ca.crt"
crl = "/var/cache/fedmsg/crl.pem"
)",
                                     "fmn.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  const ServiceConfig& c = *config;
  EXPECT_EQ(c.replay, "corpus/fedmsg-real.jsonl");
  EXPECT_DOUBLE_EQ(c.replay_rate, 250.5);
  EXPECT_DOUBLE_EQ(c.replay_speed, 4);
  EXPECT_EQ(c.connect,
            (std::vector<std::string>{"tcp://hub.fedoraproject.org:9940", "tcp://127.0.0.1:9941"}));
  EXPECT_EQ(c.topics, (std::vector<std::string>{"org.fedoraproject.prod.bodhi",
                                                "org.fedoraproject.prod.buildsys"}));
  EXPECT_EQ(c.high_water_mark, 5000);
  EXPECT_EQ(c.dedupe_window, 777u);
  EXPECT_EQ(c.prefs_file, "/etc/fmn/preferences.toml");
  EXPECT_EQ(c.engine, "jit");
  EXPECT_EQ(c.redis, "127.0.0.1:6379");
  EXPECT_FALSE(c.stdout_fallback);
  EXPECT_EQ(c.sink(DestinationKind::kEmail).text("smtp_url"), "smtp://127.0.0.1:2525");
  EXPECT_EQ(c.sink(DestinationKind::kEmail).text("from"), "fmn@example.org");
  EXPECT_EQ(c.sink(DestinationKind::kIrc).text("server"), "irc.libera.chat:6667");
  EXPECT_EQ(c.sink(DestinationKind::kIrc).text("nick"), "fedora-notifs");
  EXPECT_EQ(c.sink(DestinationKind::kSse).text("listen"), "0.0.0.0:8081");
  EXPECT_EQ(c.admin_listen, "127.0.0.1:9191");
  EXPECT_EQ(milliseconds(c.web_header_timeout_seconds), std::chrono::milliseconds(2500));
  EXPECT_EQ(milliseconds(c.web_idle_timeout_seconds), std::chrono::milliseconds(30000));
  EXPECT_EQ(c.web_admins, (std::vector<std::string>{"kevin", "ralph"}));
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_EQ(c.log_format, "json");
  EXPECT_EQ(c.progress_seconds, 2.5);
  EXPECT_EQ(c.shard_index, 2u);
  EXPECT_EQ(c.shard_count, 3u);
  EXPECT_EQ(c.batch_size, 64u);
  EXPECT_EQ(c.batch_wait_us, 80);
  EXPECT_EQ(c.max_in_flight, 8u);
  EXPECT_EQ(c.sink_queue, 99u);
  EXPECT_TRUE(c.validate_signatures);
  EXPECT_EQ(c.ca_cert, "/etc/pki/fedmsg/ca.crt");
  EXPECT_EQ(c.crl, "/var/cache/fedmsg/crl.pem");
  EXPECT_EQ(validate_error(c), "");
}

TEST(ServiceConfig, TheRecentMessageStoreRunsWhereSomebodyReadsIt) {
  auto config = parse_service_config(
      "[recent]\nmax_messages = 500\nmax_age_hours = 2\nqueue = 10\n", "fmn.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->recent_max_messages, 500u);
  EXPECT_EQ(config->recent_max_age_hours, 2);
  EXPECT_EQ(config->recent_queue, 10u);

  ServiceConfig c = valid_config();
  auto parts = [&c] {
    const RecentStoreParts p = recent_store_parts(c);
    return std::pair{p.memory, p.writes_redis};
  };
  EXPECT_EQ(parts(), std::pair(false, false));  // neither a web app nor Redis
  c.web_listen = "127.0.0.1:8081";
  EXPECT_EQ(parts(), std::pair(true, false));
  c.redis = "127.0.0.1:6379";
  EXPECT_EQ(parts(), std::pair(true, true));
  c.shard_index = 1;  // shard 0 writes what every shard sees
  c.shard_count = 2;
  EXPECT_EQ(parts(), std::pair(true, false));
  c.shard_index = 0;
  c.recent_max_messages = 0;
  EXPECT_EQ(parts(), std::pair(false, false));
  EXPECT_NE(parse_error("[recent]\nmax_age_hours = 0\n"), "");
}

TEST(ServiceConfig, UnknownSectionOrKeyIsAnErrorWithFileLineAndColumn) {
  EXPECT_EQ(parse_error("[source]\nreplay = \"x\"\n\n[bogus]\nkey = 1\n"),
            "fmn.toml:4:2: unknown section [bogus]");
  EXPECT_EQ(parse_error("[log]\nlevel = \"info\"\n  colour = true\n"),
            "fmn.toml:3:3: unknown key 'colour' in [log]");
  // A top-level key is not a section.
  EXPECT_EQ(parse_error("replay = \"x\"\n"), "fmn.toml:1:1: unknown section [replay]");
}

TEST(ServiceConfig, WrongTypesAndRangesAreErrorsWithTheirPlace) {
  EXPECT_EQ(parse_error("[source]\nconnect = \"tcp://a:1\"\n"),
            "fmn.toml:2:11: source.connect: expected a list of strings");
  EXPECT_EQ(parse_error("[source]\ntopics = [\"a\", 3]\n"),
            "fmn.toml:2:10: source.topics: expected a list of strings");
  EXPECT_EQ(parse_error("[stdout]\nfallback = \"yes\"\n"),
            "fmn.toml:2:12: stdout.fallback: expected true or false");
  EXPECT_EQ(parse_error("[pipeline]\nbatch_size = \"big\"\n"),
            "fmn.toml:2:14: pipeline.batch_size: expected a number");
  EXPECT_EQ(parse_error("[prefs]\nfile = 3\n"), "fmn.toml:2:8: prefs.file: expected a string");
  std::string range = parse_error("[pipeline]\nbatch_size = 0\n");
  EXPECT_EQ(range.rfind("fmn.toml:2:14: pipeline.batch_size: out of range", 0), 0u) << range;
  EXPECT_EQ(parse_error("log = 3\n"), "fmn.toml:1:7: log must be a [section]");
}

TEST(ServiceConfig, TomlSyntaxErrorsNameTheirPlace) {
  std::string error = parse_error("[source]\nreplay = \n");
  EXPECT_EQ(error.rfind("fmn.toml:2:", 0), 0u) << error;
}

TEST(ServiceConfig, ValidateRejectsBadAddresses) {
  for (const char* bad : {"localhost", "localhost:", ":6379", "host:port", "host:99999"}) {
    ServiceConfig c = valid_config();
    c.redis = bad;
    EXPECT_EQ(validate_error(c), "state.redis: expected host:port, got '" + std::string(bad) + "'");
  }
  ServiceConfig c = valid_config();
  c.admin_listen = "9090";
  EXPECT_EQ(validate_error(c), "admin.listen: expected host:port, got '9090'");
  c = valid_config();
  c.sink(DestinationKind::kSse).set("listen", std::string("127.0.0.1"));
  EXPECT_NE(validate_error(c).find("sse.listen"), std::string::npos);
  c = valid_config();
  c.sink(DestinationKind::kIrc).set("server", std::string("irc.libera.chat"));
  EXPECT_NE(validate_error(c).find("irc.server"), std::string::npos);
  c = valid_config();
  c.sink(DestinationKind::kEmail).set("smtp_url", std::string("http://mail:25"));
  EXPECT_NE(validate_error(c).find("email.smtp_url"), std::string::npos);
  c.sink(DestinationKind::kEmail).set("smtp_url", std::string("smtps://mail:465"));
  EXPECT_EQ(validate_error(c), "");
  // Empty addresses switch a part off.
  c = valid_config();
  c.sink(DestinationKind::kSse).set("listen", std::string());
  c.admin_listen = "";
  EXPECT_EQ(validate_error(c), "");
}

TEST(ServiceConfig, EmailToAPublicUrlNeedsAKeyForItsUnsubscribeLinks) {
  ServiceConfig c = valid_config();
  c.sink(DestinationKind::kEmail).set("smtp_url", std::string("smtp://mail:25"));
  for (const char* demo : {"http://localhost:8081", "http://127.0.0.1:8081/fmn", "http://[::1]"}) {
    c.public_url = demo;
    EXPECT_EQ(validate_error(c), "") << demo;
  }
  for (const char* pub : {"https://notifications.fedoraproject.org", "http://127.evil.example"}) {
    c.public_url = pub;
    EXPECT_NE(validate_error(c).find("web.secret_key_file: email to"), std::string::npos) << pub;
  }
  c.secret_key_file = "/etc/fmn/link.key";
  EXPECT_EQ(validate_error(c), "");
  c.public_url = "notifications.fedoraproject.org";
  EXPECT_EQ(validate_error(c), "web.public_url: expected an http:// or https:// URL");
}

TEST(ServiceConfig, TheSsePublicUrlIsAnHttpUrlReadFromItsSection) {
  auto config =
      parse_service_config("[sse]\npublic_url = \"https://feeds.example.org\"\n", "fmn.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->sink(DestinationKind::kSse).text("public_url"), "https://feeds.example.org");
  EXPECT_EQ(ServiceConfig().sink(DestinationKind::kSse).text("public_url"),
            "http://localhost:8080");
  auto bad = parse_service_config("[sse]\npublic_url = \"feeds.example.org\"\n", "fmn.toml");
  ASSERT_TRUE(bad.ok()) << bad.error().message;
  EXPECT_EQ(validate_error(*bad),
            "fmn.toml:2:14: sse.public_url: expected an http:// or https:// URL");
}

TEST(ServiceConfig, TheWebAppNeedsAPreferenceStoreItCanChange) {
  ServiceConfig c = valid_config();
  c.web_listen = "127.0.0.1:8081";
  c.prefs_file.clear();
  c.prefs_database.clear();
  EXPECT_NE(validate_error(c).find("web.listen: the web app changes preferences"),
            std::string::npos);
  c.prefs_file = "prefs.toml";
  EXPECT_EQ(validate_error(c), "");
  c.web_listen = "8081";
  EXPECT_EQ(validate_error(c), "web.listen: expected host:port, got '8081'");
}

TEST(ServiceConfig, OpenIdConnectNeedsTheWebAppAClientAndItsSecretFile) {
  auto config = parse_service_config(R"([source]
connect = ["tcp://127.0.0.1:9940"]
[prefs]
file = "prefs.toml"
[web]
listen = "127.0.0.1:8081"
[oidc]
issuer = "https://id.fedoraproject.org/openidc/"
client_id = "fmn"
)",
                                     "fmn.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  ServiceConfig c = *config;
  EXPECT_EQ(validate_error(c),
            "fmn.toml:7:2: oidc.client_secret_file: required with oidc.issuer (a file holding "
            "the secret the provider issued)");
  c.oidc_client_secret_file = "/etc/fmn/oidc.secret";
  EXPECT_EQ(validate_error(c), "");
  c.oidc_client_id.clear();
  EXPECT_EQ(validate_error(c), "fmn.toml:9:13: oidc.client_id: required with oidc.issuer");
  c.oidc_client_id = "fmn";
  c.oidc_scopes = {"profile"};
  EXPECT_EQ(validate_error(c), "fmn.toml:7:2: oidc.scopes: must contain \"openid\"");
  c.oidc_scopes = {"openid"};
  c.oidc_redirect_path = "oidc/callback";
  EXPECT_NE(validate_error(c).find("oidc.redirect_path: expected a path of its own"),
            std::string::npos);
  c.oidc_redirect_path = "/oidc/callback";
  c.oidc_issuer = "id.fedoraproject.org";
  EXPECT_NE(validate_error(c).find("oidc.issuer: expected an https:// URL"), std::string::npos);
  c.oidc_issuer = "https://id.fedoraproject.org/openidc/";
  c.web_listen.clear();
  EXPECT_EQ(validate_error(c),
            "fmn.toml:8:10: oidc.issuer: signs in to the web app: set web.listen");
  c.web_listen = "127.0.0.1:8081";
  c.oidc_issuer.clear();
  EXPECT_EQ(validate_error(c),
            "fmn.toml:8:10: oidc.issuer: required with oidc.client_id and "
            "oidc.client_secret_file");
}

TEST(ServiceConfig, ValidateRejectsAShardOutsideItsCount) {
  ServiceConfig c = valid_config();
  c.shard_index = 2;
  c.shard_count = 2;
  EXPECT_EQ(validate_error(c), "shard.index: 2 is not below shard.count 2");
  c.shard_index = 1;
  EXPECT_EQ(validate_error(c), "");
}

TEST(ServiceConfig, SignatureValidationNeedsACaAndUnknownSecurityKeysAreRejected) {
  ServiceConfig c = valid_config();
  c.validate_signatures = true;
  EXPECT_EQ(validate_error(c), "security.ca_cert: required when validate_signatures is on");
  c.ca_cert = "/etc/pki/fedmsg/ca.crt";
  EXPECT_EQ(validate_error(c), "");
  EXPECT_EQ(parse_error("[security]\nvalidate_signatures = \"yes\"\n"),
            "fmn.toml:2:23: security.validate_signatures: expected true or false");
  EXPECT_EQ(parse_error("[security]\nca_cert_location = \"/x\"\n"),
            "fmn.toml:2:1: unknown key 'ca_cert_location' in [security]");
}

TEST(ServiceConfig, UnknownNamesGetADidYouMeanAndValueErrorsNameTheirPlace) {
  EXPECT_EQ(parse_error("[state]\nredsi = \"127.0.0.1:6379\"\n"),
            "fmn.toml:2:1: unknown key 'redsi' in [state] (did you mean 'redis'?)");
  EXPECT_EQ(parse_error("[sources]\nconnect = []\n"),
            "fmn.toml:1:2: unknown section [sources] (did you mean 'source'?)");
  auto config = parse_service_config(
      "[source]\nconnect = [\"tcp://127.0.0.1:9940\"]\n[state]\nredis = \"no-port\"\n", "fmn.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(validate_error(*config),
            "fmn.toml:4:9: state.redis: expected host:port, got 'no-port'");
}

TEST(ServiceConfig, ValidateRejectsBadEnumValues) {
  ServiceConfig c = valid_config();
  c.engine = "fast";
  EXPECT_EQ(validate_error(c), "engine.mode: expected interp, jit or auto, got 'fast'");
  c = valid_config();
  c.log_level = "verbose";
  EXPECT_NE(validate_error(c).find("log.level"), std::string::npos);
  c = valid_config();
  c.log_format = "xml";
  EXPECT_NE(validate_error(c).find("log.format"), std::string::npos);
  for (const char* mode : {"interp", "jit", "auto"}) {
    c = valid_config();
    c.engine = mode;
    EXPECT_EQ(validate_error(c), "") << mode;
  }
}

TEST(ServiceConfig, SplitHostPort) {
  std::string host;
  int port = 0;
  ASSERT_TRUE(split_host_port("127.0.0.1:9090", host, port));
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 9090);
  ASSERT_TRUE(split_host_port("[::1]:0", host, port));
  EXPECT_EQ(host, "[::1]");
  EXPECT_EQ(port, 0);
  EXPECT_FALSE(split_host_port("host:65536", host, port));
  EXPECT_FALSE(split_host_port("host:-1", host, port));
}

TEST(ServiceConfig, TheContribExampleParsesAndEqualsTheDefaults) {
  auto config = read_service_config(std::string(FMN_SOURCE_DIR) + "/contrib/fmn.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  const ServiceConfig defaults;
  const ServiceConfig& c = *config;
  // The example documents every key with its default value, bus endpoint aside.
  EXPECT_EQ(c.connect, std::vector<std::string>{"tcp://hub.fedoraproject.org:9940"});
  EXPECT_EQ(c.replay, defaults.replay);
  EXPECT_EQ(c.replay_rate, defaults.replay_rate);
  EXPECT_EQ(c.replay_speed, defaults.replay_speed);
  EXPECT_EQ(c.topics, defaults.topics);
  EXPECT_EQ(c.high_water_mark, defaults.high_water_mark);
  EXPECT_EQ(c.dedupe_window, defaults.dedupe_window);
  EXPECT_EQ(c.amqp, defaults.amqp);
  EXPECT_EQ(c.amqp_queue, defaults.amqp_queue);
  EXPECT_EQ(c.amqp_queue_type, defaults.amqp_queue_type);
  EXPECT_EQ(c.amqp_bindings, defaults.amqp_bindings);
  EXPECT_EQ(c.amqp_prefetch, defaults.amqp_prefetch);
  EXPECT_EQ(c.amqp_heartbeat, defaults.amqp_heartbeat);
  EXPECT_EQ(c.amqp_ca_cert, defaults.amqp_ca_cert);
  EXPECT_EQ(c.amqp_cert, defaults.amqp_cert);
  EXPECT_EQ(c.amqp_key, defaults.amqp_key);
  EXPECT_EQ(c.prefs_file, defaults.prefs_file);
  EXPECT_EQ(c.engine, defaults.engine);
  EXPECT_EQ(c.redis, defaults.redis);
  EXPECT_EQ(c.stdout_fallback, defaults.stdout_fallback);
  EXPECT_EQ(c.sink(DestinationKind::kEmail).text("smtp_url"),
            defaults.sink(DestinationKind::kEmail).text("smtp_url"));
  EXPECT_EQ(c.sink(DestinationKind::kEmail).text("from"),
            defaults.sink(DestinationKind::kEmail).text("from"));
  EXPECT_EQ(c.sink(DestinationKind::kIrc).text("server"),
            defaults.sink(DestinationKind::kIrc).text("server"));
  EXPECT_EQ(c.sink(DestinationKind::kIrc).text("nick"),
            defaults.sink(DestinationKind::kIrc).text("nick"));
  EXPECT_EQ(c.sink(DestinationKind::kSse).text("listen"),
            defaults.sink(DestinationKind::kSse).text("listen"));
  EXPECT_EQ(c.sink(DestinationKind::kSse).text("public_url"),
            defaults.sink(DestinationKind::kSse).text("public_url"));
  EXPECT_EQ(c.admin_listen, defaults.admin_listen);
  EXPECT_EQ(c.web_listen, defaults.web_listen);
  EXPECT_EQ(c.public_url, defaults.public_url);
  EXPECT_EQ(c.secret_key_file, defaults.secret_key_file);
  EXPECT_EQ(c.web_demo, defaults.web_demo);
  EXPECT_EQ(c.web_header_timeout_seconds, defaults.web_header_timeout_seconds);
  EXPECT_EQ(c.web_idle_timeout_seconds, defaults.web_idle_timeout_seconds);
  for (const char* key :
       {"issuer", "client_id", "client_secret_file", "redirect_path", "username_claim", "scopes"}) {
    EXPECT_TRUE(c.positions.contains(std::string("oidc.") + key)) << key;
  }
  EXPECT_EQ(c.oidc_issuer, defaults.oidc_issuer);
  EXPECT_EQ(c.oidc_client_id, defaults.oidc_client_id);
  EXPECT_EQ(c.oidc_client_secret_file, defaults.oidc_client_secret_file);
  EXPECT_EQ(c.oidc_redirect_path, defaults.oidc_redirect_path);
  EXPECT_EQ(c.oidc_username_claim, defaults.oidc_username_claim);
  EXPECT_EQ(c.oidc_scopes, defaults.oidc_scopes);
  EXPECT_EQ(c.log_level, defaults.log_level);
  EXPECT_EQ(c.log_format, defaults.log_format);
  EXPECT_EQ(c.progress_seconds, defaults.progress_seconds);
  EXPECT_EQ(c.shard_index, defaults.shard_index);
  EXPECT_EQ(c.shard_count, defaults.shard_count);
  EXPECT_EQ(c.batch_size, defaults.batch_size);
  EXPECT_EQ(c.max_in_flight, defaults.max_in_flight);
  EXPECT_EQ(c.sink_queue, defaults.sink_queue);
  EXPECT_EQ(c.validate_signatures, defaults.validate_signatures);
  EXPECT_EQ(c.ca_cert, defaults.ca_cert);
  EXPECT_EQ(c.crl, defaults.crl);
  // Every key of the kinds opened from sinks/destination_sinks.h, set to its default.
  for (const sinks::DestinationSink& sink : sinks::destination_sinks()) {
    const std::string section(destination_kind_info(sink.kind).config_section);
    ASSERT_TRUE(c.sink_sections.contains(section)) << section;
    const sinks::SinkSettings& settings = c.sink_sections.at(section);
    for (const sinks::SinkSetting& key : sink.settings) {
      const std::string name = section + "." + std::string(key.key);
      EXPECT_TRUE(c.positions.contains(name)) << name << " is not in contrib/fmn.toml";
      EXPECT_EQ(settings.text(key.key), key.text) << name;
      EXPECT_EQ(settings.number(key.key), key.number) << name;
      EXPECT_EQ(settings.flag(key.key), key.flag) << name;
    }
  }
  EXPECT_EQ(validate_error(c), "");
}

TEST(ServiceConfig, TheSectionsOfTheKindsOpenedFromTheTableAreReadAndChecked) {
  using Type = sinks::SinkSetting::Type;
  for (const sinks::DestinationSink& sink : sinks::destination_sinks()) {
    const std::string section(destination_kind_info(sink.kind).config_section);
    EXPECT_NE(parse_error("[" + section + "]\nnot_a_key = 1\n").find("unknown key 'not_a_key'"),
              std::string::npos)
        << section;
    for (const sinks::SinkSetting& key : sink.settings) {
      const std::string head = "[" + section + "]\n" + std::string(key.key) + " = ";
      switch (key.type) {
        case Type::kText: {
          auto c = parse_service_config(head + "\"set\"\n", "fmn.toml");
          ASSERT_TRUE(c.ok()) << c.error().message;
          EXPECT_EQ(c->sink_sections.at(section).text(key.key), "set");
          break;
        }
        case Type::kNumber: {
          auto c = parse_service_config(head + std::to_string(key.max) + "\n", "fmn.toml");
          ASSERT_TRUE(c.ok()) << c.error().message;
          EXPECT_EQ(c->sink_sections.at(section).number(key.key), key.max);
          EXPECT_NE(parse_error(head + std::to_string(key.max + 1) + "\n").find("out of range"),
                    std::string::npos);
          break;
        }
        case Type::kFlag: {
          auto c = parse_service_config(head + (key.flag ? "false" : "true") + "\n", "fmn.toml");
          ASSERT_TRUE(c.ok()) << c.error().message;
          EXPECT_EQ(c->sink_sections.at(section).flag(key.key), !key.flag);
          break;
        }
      }
      EXPECT_NE(parse_error(head + "[]\n").find(section + "." + std::string(key.key)),
                std::string::npos);
    }
  }
}

TEST(ServiceConfig, FedoraMessagingIsTheOtherBus) {
  auto config = parse_service_config(
      "[source]\namqp = [\"amqps://fmn@rabbitmq.example.org/%2Fpubsub\"]\n"
      "amqp_bindings = [\"org.fedoraproject.prod.bodhi.#\"]\namqp_prefetch = 50\n"
      "amqp_ca_cert = \"/etc/fmn/ca.pem\"\namqp_cert = \"/etc/fmn/fmn.crt\"\n"
      "amqp_key = \"/etc/fmn/fmn.key\"\n[shard]\nindex = 2\ncount = 4\n",
      "fmn.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(validate_error(*config), "");
  EXPECT_EQ(config->amqp_prefetch, 50u);
  EXPECT_EQ(amqp_queue_name(*config), "fmn.shard-2-of-4");
  config->amqp_queue = "fmn-staging";
  EXPECT_EQ(amqp_queue_name(*config), "fmn-staging");
  config->connect = {"tcp://hub.fedoraproject.org:9940"};
  EXPECT_NE(validate_error(*config), "");  // one bus, not two
  config->connect.clear();
  config->amqp_key.clear();
  EXPECT_NE(validate_error(*config), "");  // a certificate without its key
  EXPECT_NE(parse_error("[source]\namqp_prefetch = 0\n"), "");
  config->amqp_key = "/etc/fmn/fmn.key";
  config->amqp_queue_type = "stream";
  EXPECT_NE(validate_error(*config), "");
}

// fedora-messaging alone is a source: it must not fall back to the demo corpus.
TEST(ServiceConfig, TheSourceIsTheReplayThenFedoraMessagingThenZeroMqElseTheDemo) {
  ServiceConfig c;
  EXPECT_EQ(source_kind(c), SourceKind::kDemo);
  c.connect = {"tcp://127.0.0.1:9940"};
  EXPECT_EQ(source_kind(c), SourceKind::kZmq);
  c.connect.clear();
  c.amqp = {"amqp://guest:guest@127.0.0.1:5672/%2F"};
  EXPECT_EQ(source_kind(c), SourceKind::kAmqp);
  c.replay = "corpus/fedmsg-real.jsonl";
  EXPECT_EQ(source_kind(c), SourceKind::kReplay);
}

}  // namespace
}  // namespace fmn::pipeline
