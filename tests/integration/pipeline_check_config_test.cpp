// `fmn-pipeline --check-config FILE` against real files and servers: a good configuration
// prints what would run and exits 0; each class of problem (the file's syntax and keys, a bad
// value, an unreadable replay file, broken preferences, a database without the schema, an
// unreachable server, a taken port, an OpenID provider without its client secret, a RabbitMQ broker
// that refuses the connection, the login, the virtual host or the TLS handshake) is reported and
// exits non-zero, without starting anything.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "tests/integration/pipeline_process.h"
#include "tests/support/loopback.h"
#include "tests/support/oidc_provider.h"
#include "tests/support/postgres_server.h"
#include "tests/support/rabbitmq_server.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_ca.h"

namespace fmn::test {
namespace {

constexpr Duration kTimeout = std::chrono::seconds(60);

struct Checked {
  int status = -1;
  std::string output;
};

// Writes `config` (and `prefs`, when given, as prefs.toml beside it) and runs the check.
Checked check(const std::string& name, const std::string& config, const std::string& prefs = "") {
  auto dir = TempDir::create("check-" + name);
  if (!dir.ok()) return {-1, dir.error().message};
  const std::string file = (*dir / "fmn.toml").string();
  std::ofstream(file) << config;
  if (!prefs.empty()) std::ofstream(*dir / "prefs.toml") << prefs;
  SpawnOptions options{.argv = {std::string(FMN_BIN_DIR) + "/fmn-pipeline", "--check-config", file},
                       .log = *dir / "check.log",
                       .cwd = dir->path()};
  auto child = ChildProcess::spawn(options);
  if (!child.ok()) return {-1, child.error().message};
  auto status = wait_exit(*child, kTimeout);
  if (!status.ok()) return {-1, status.error().message};
  return {WEXITSTATUS(*status), child->log_text()};
}

std::string dead_address() {
  auto port = pick_free_port();
  return port.ok() ? loopback_address(*port) : "";
}

// The parts every configuration below shares: a replay of the corpus, no listening ports.
const std::string kBase =
    "[source]\nreplay = \"" + kCorpusFile + "\"\n[sse]\nlisten = \"\"\n[admin]\nlisten = \"\"\n";

TEST(PipelineCheckConfig, AGoodConfigurationSaysWhatWouldRunAndExitsZero) {
  Checked c = check("good", kBase + "[prefs]\nfile = \"prefs.toml\"\n",
                    "version = 1\n[[users]]\nname = \"alice\"\n[[users.rules]]\nname = \"r\"\n"
                    "source = 'topic ~ \"*.bodhi.*\"'\n");
  EXPECT_EQ(c.status, 0) << c.output;
  EXPECT_NE(
      c.output.find("ok: preferences from prefs.toml: 1 users (1 enabled), 1 rules (1 enabled)\n"),
      std::string::npos)
      << c.output;
  EXPECT_NE(c.output.find("would run: source: replay " + kCorpusFile + "\n"), std::string::npos)
      << c.output;
  EXPECT_EQ(c.output.find("error:"), std::string::npos) << c.output;
}

// Disabled rules and the rules of a disabled user are stored but not loaded: the check counts
// both, and its "enabled" count is the one the service logs when it loads the same file.
TEST(PipelineCheckConfig, TheRuleCountsAgreeWithWhatTheServiceLoads) {
  const std::string prefs =
      "version = 1\n"
      "[[users]]\nname = \"alice\"\n"
      "[[users.rules]]\nname = \"a\"\nsource = 'topic ~ \"*.bodhi.*\"'\n"
      "[[users.rules]]\nname = \"b\"\nsource = 'topic ~ \"*.koji.*\"'\nenabled = false\n"
      "[[users]]\nname = \"bob\"\nenabled = false\n"
      "[[users.rules]]\nname = \"c\"\nsource = 'topic ~ \"*.copr.*\"'\n";
  Checked c = check("counts", kBase + "[prefs]\nfile = \"prefs.toml\"\n", prefs);
  EXPECT_EQ(c.status, 0) << c.output;
  EXPECT_NE(c.output.find("ok: preferences from prefs.toml: 2 users (1 enabled), 3 rules (1 "
                          "enabled)\n"),
            std::string::npos)
      << c.output;

  auto dir = TempDir::create("check-counts-run");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  std::ofstream(*dir / "prefs.toml") << prefs;
  auto run = run_pipeline(
      "check-counts",
      {"--replay", kCorpusFile, "--prefs", (*dir / "prefs.toml").string(), "--no-stdout"},
      kTimeout);
  ASSERT_TRUE(run.ok()) << run.error().message;
  const size_t loaded = run->find("preferences_loaded");
  ASSERT_NE(loaded, std::string::npos) << *run;
  const std::string line = run->substr(loaded, run->find('\n', loaded) - loaded);
  EXPECT_NE(line.find("users=1"), std::string::npos) << line;
  EXPECT_NE(line.find("rules=1"), std::string::npos) << line;
}

// The shard's share is what the service of that shard loads.
TEST(PipelineCheckConfig, TheEnabledCountsAreThoseOfTheShard) {
  Checked c =
      check("shard", kBase + "[prefs]\nfile = \"prefs.toml\"\n[shard]\nindex = 1\ncount = 2\n",
            "version = 1\n[[users]]\nname = \"alice\"\n[[users.rules]]\nname = \"r\"\n"
            "source = 'topic ~ \"*.bodhi.*\"'\n");
  EXPECT_EQ(c.status, 0) << c.output;
  EXPECT_NE(c.output.find("1 users ("), std::string::npos) << c.output;
  EXPECT_NE(c.output.find(" enabled on shard 1/2), 1 rules ("), std::string::npos) << c.output;
}

TEST(PipelineCheckConfig, AnUnknownKeyIsNamedWithItsPlaceAndASuggestion) {
  Checked c = check("unknown-key", kBase + "[state]\nredsi = \"127.0.0.1:6379\"\n");
  EXPECT_NE(c.status, 0);
  EXPECT_NE(c.output.find("fmn.toml:8:1: unknown key 'redsi' in [state] (did you mean 'redis'?)"),
            std::string::npos)
      << c.output;
}

TEST(PipelineCheckConfig, AFileThatDoesNotParseIsNamedWithItsPlaceAndExitsTwo) {
  Checked c = check("syntax", "[source]\nreplay = \"corpus.jsonl\n");
  EXPECT_EQ(c.status, 2) << c.output;
  EXPECT_NE(c.output.find("fmn.toml:2:"), std::string::npos) << c.output;
  EXPECT_EQ(c.output.find("would run:"), std::string::npos) << c.output;
}

TEST(PipelineCheckConfig, AnUnreadableReplayFileIsReported) {
  Checked c = check("replay",
                    "[source]\nreplay = \"missing.jsonl\"\n[sse]\nlisten = \"\"\n[admin]\n"
                    "listen = \"\"\n");
  EXPECT_EQ(c.status, 1) << c.output;
  EXPECT_NE(c.output.find("error: replay file missing.jsonl cannot be read\n"), std::string::npos)
      << c.output;
  EXPECT_EQ(c.output.find("would run:"), std::string::npos) << c.output;
}

TEST(PipelineCheckConfig, ABadValueIsNamedWithItsPlace) {
  Checked c = check("bad-value", kBase + "[state]\nredis = \"localhost\"\n");
  EXPECT_EQ(c.status, 1);
  EXPECT_NE(c.output.find("error: "), std::string::npos) << c.output;
  EXPECT_NE(c.output.find("fmn.toml:8:9: state.redis: expected host:port, got 'localhost'"),
            std::string::npos)
      << c.output;
}

TEST(PipelineCheckConfig, BrokenPreferencesAreReportedWithTheirDiagnostics) {
  Checked c = check("bad-prefs", kBase + "[prefs]\nfile = \"prefs.toml\"\n",
                    "version = 1\n[[users]]\nname = \"alice\"\n[[users.rules]]\nname = \"r\"\n"
                    "source = 'topc ~ \"*\"'\n");
  EXPECT_EQ(c.status, 1);
  EXPECT_NE(c.output.find("error: preferences from prefs.toml: prefs.toml:6:"), std::string::npos)
      << c.output;
}

TEST(PipelineCheckConfig, EveryUnreachableServerIsReported) {
  const std::string redis = dead_address(), smtp = dead_address(), irc = dead_address();
  const std::string bus = "tcp://" + dead_address();
  Checked c = check("unreachable", "[source]\nconnect = [\"" + bus + "\"]\n[state]\nredis = \"" +
                                       redis + "\"\n[email]\nsmtp_url = \"smtp://" + smtp +
                                       "\"\n[irc]\nserver = \"" + irc +
                                       "\"\n[sse]\nlisten = \"\"\n[admin]\nlisten = \"\"\n");
  EXPECT_EQ(c.status, 1);
  for (const std::string& line : {"error: bus " + bus + " does not accept connections",
                                  "error: Redis " + redis + " does not accept connections",
                                  "error: SMTP server " + smtp + " does not accept connections",
                                  "error: IRC server " + irc + " does not accept connections"}) {
    EXPECT_NE(c.output.find(line), std::string::npos) << line << "\n" << c.output;
  }
  EXPECT_EQ(c.output.find("would run:"), std::string::npos) << c.output;
}

TEST(PipelineCheckConfig, TheOpenIdProviderIsAskedAndItsClientSecretReadButNeverPrinted) {
  auto idp = OidcProvider::start({"http://127.0.0.1:8081/oidc/callback"});
  ASSERT_TRUE(idp.ok()) << idp.error().message;
  auto dir = TempDir::create("check-oidc-secret");
  ASSERT_TRUE(dir.ok());
  const std::string secret_file = (*dir / "oidc.secret").string();
  std::ofstream(secret_file) << kOidcRs256Client.secret << "\n";
  const std::string web = kBase + "[prefs]\nfile = \"prefs.toml\"\n[web]\nlisten = \"" +
                          dead_address() + "\"\npublic_url = \"http://127.0.0.1:8081\"\n" +
                          "[oidc]\nissuer = \"" + idp->issuer() + "\"\nclient_id = \"" +
                          kOidcRs256Client.id + "\"\nclient_secret_file = ";
  const std::string prefs = "version = 1\n";

  Checked good = check("oidc", web + "\"" + secret_file + "\"\n", prefs);
  EXPECT_EQ(good.status, 0) << good.output;
  EXPECT_NE(good.output.find("ok: OpenID provider " + idp->issuer() + " answers discovery\n"),
            std::string::npos)
      << good.output;
  EXPECT_NE(good.output.find("would run: sign-in with OpenID Connect at " + idp->issuer()),
            std::string::npos)
      << good.output;
  EXPECT_EQ(good.output.find(kOidcRs256Client.secret), std::string::npos) << good.output;

  Checked missing = check("oidc-missing", web + "\"" + secret_file + ".absent\"\n", prefs);
  EXPECT_EQ(missing.status, 1) << missing.output;
  EXPECT_NE(
      missing.output.find("error: oidc.client_secret_file: cannot read " + secret_file + ".absent"),
      std::string::npos)
      << missing.output;
}

TEST(PipelineCheckConfig, ATakenAdminPortIsReported) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string admin = loopback_address(ntohs(addr.sin_port));
  Checked c =
      check("taken-port", "[source]\nreplay = \"" + kCorpusFile +
                              "\"\n[sse]\nlisten = \"\"\n[admin]\nlisten = \"" + admin + "\"\n");
  ::close(fd);
  EXPECT_EQ(c.status, 1);
  EXPECT_NE(c.output.find("error: admin port " + admin + " cannot be bound"), std::string::npos)
      << c.output;
}

TEST(PipelineCheckConfig, ADatabaseWithoutTheSchemaIsReportedAndLeftUntouched) {
  auto pg = PostgresServer::start();
  ASSERT_TRUE(pg.ok()) << pg.error().message;
  Checked c =
      check("empty-db", kBase + "[prefs]\ndatabase = \"" + pg->connection_string() + "\"\n");
  EXPECT_EQ(c.status, 1);
  EXPECT_NE(c.output.find("error: preferences from the database: the database has no fmn "
                          "preferences schema: run `fmn-prefs migrate` first"),
            std::string::npos)
      << c.output;
}

// [source] with these broker URLs, trusting `ca` and presenting `client`; no listening ports.
std::string amqp_config(const std::vector<std::string>& urls, const std::filesystem::path& ca,
                        const TestCa::Issued& client) {
  std::string list;
  for (const std::string& url : urls) list += (list.empty() ? "\"" : ", \"") + url + "\"";
  return "[source]\namqp = [" + list + "]\namqp_ca_cert = \"" + ca.string() + "\"\namqp_cert = \"" +
         client.certificate.string() + "\"\namqp_key = \"" + client.key.string() +
         "\"\n[sse]\nlisten = \"\"\n[admin]\nlisten = \"\"\n";
}

TEST(PipelineCheckConfig, EachBrokerIsLoggedInToAndEachClassOfFailureNamed) {
  auto ca = TestCa::create("check-amqp");
  auto stranger = TestCa::create("check-amqp-stranger");
  ASSERT_TRUE(ca.ok() && stranger.ok());
  auto broker = ca->issue_tls("broker", "localhost");
  auto client = ca->issue_tls("fmn", "");
  ASSERT_TRUE(broker.ok() && client.ok());
  auto rabbit =
      RabbitMqServer::start(RabbitMqTls{ca->ca_certificate(), broker->certificate, broker->key});
  ASSERT_TRUE(rabbit.ok()) << rabbit.error().message;
  const std::string plain = rabbit->url(), tls = rabbit->amqps_url("localhost");

  Checked good = check("amqp-good", amqp_config({plain, tls}, ca->ca_certificate(), *client));
  EXPECT_EQ(good.status, 0) << good.output;
  for (const std::string& line :
       {"ok: RabbitMQ (source.amqp URL 1) " + loopback_address(rabbit->port()) +
            " takes the login; exchange amq.topic exists; queue fmn.shard-0-of-1 does not exist "
            "yet (declared at start)\n",
        "ok: RabbitMQ (source.amqp URL 2) localhost:" + tls.substr(tls.rfind(':') + 1) +
            " takes the login",
        std::string("would run: source: fedora-messaging, 2 broker URL(s)")}) {
    EXPECT_NE(good.output.find(line), std::string::npos) << line << "\n" << good.output;
  }

  constexpr const char* kPassword = "s3cret-amqp-pw";
  const std::string dead = "amqp://guest:guest@" + dead_address();
  const std::string bad_password =
      "amqp://guest:" + std::string(kPassword) + "@" + loopback_address(rabbit->port());
  const std::string tls_on_plain_port =
      "amqps://guest:guest@localhost:" + std::to_string(rabbit->port());
  Checked bad = check("amqp-bad", amqp_config({dead, bad_password, plain + "/nowhere",
                                               rabbit->amqps_url("127.0.0.1"), tls_on_plain_port},
                                              ca->ca_certificate(), *client));
  EXPECT_EQ(bad.status, 1) << bad.output;
  for (const std::string& line : {
           "error: RabbitMQ (source.amqp URL 1): amqp " + dead.substr(dead.find('@') + 1) +
               ": cannot connect (refused or unreachable)",
           std::string("error: RabbitMQ (source.amqp URL 2): amqp ") +
               loopback_address(rabbit->port()) + ": login refused: wrong user name or password",
           std::string("error: RabbitMQ (source.amqp URL 3): amqp ") +
               loopback_address(rabbit->port()) +
               ": virtual host 'nowhere' does not exist or the user may not use it",
           std::string("error: RabbitMQ (source.amqp URL 4): amqp 127.0.0.1:") +
               tls.substr(tls.rfind(':') + 1) +
               ": TLS: the broker's certificate is not for the host name 127.0.0.1",
           std::string("error: RabbitMQ (source.amqp URL 5): amqp localhost:") +
               std::to_string(rabbit->port()) + ": TLS handshake failed",
       }) {
    EXPECT_NE(bad.output.find(line), std::string::npos) << line << "\n" << bad.output;
  }
  EXPECT_EQ(bad.output.find(kPassword), std::string::npos) << bad.output;

  Checked unknown_ca =
      check("amqp-unknown-ca", amqp_config({tls}, stranger->ca_certificate(), *client));
  EXPECT_EQ(unknown_ca.status, 1) << unknown_ca.output;
  EXPECT_NE(unknown_ca.output.find("TLS: the broker's certificate does not chain to the CA "
                                   "certificate (amqp_ca_cert)"),
            std::string::npos)
      << unknown_ca.output;
}

}  // namespace
}  // namespace fmn::test
