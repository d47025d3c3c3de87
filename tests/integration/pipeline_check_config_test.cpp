// `fmn-pipeline --check-config FILE` against real files and servers: a good configuration
// prints what would run and exits 0; each class of problem (the file's syntax and keys, a bad
// value, broken preferences, a database without the schema, an unreachable server, a taken
// port, an OpenID provider without its client secret) is reported and exits non-zero, without
// starting anything.
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
#include "tests/support/temp_dir.h"

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
  EXPECT_NE(c.output.find("ok: preferences from prefs.toml: 1 users, 1 rules\n"), std::string::npos)
      << c.output;
  EXPECT_NE(c.output.find("would run: source: replay " + kCorpusFile + "\n"), std::string::npos)
      << c.output;
  EXPECT_EQ(c.output.find("error:"), std::string::npos) << c.output;
}

TEST(PipelineCheckConfig, AnUnknownKeyIsNamedWithItsPlaceAndASuggestion) {
  Checked c = check("unknown-key", kBase + "[state]\nredsi = \"127.0.0.1:6379\"\n");
  EXPECT_NE(c.status, 0);
  EXPECT_NE(c.output.find("fmn.toml:8:1: unknown key 'redsi' in [state] (did you mean 'redis'?)"),
            std::string::npos)
      << c.output;
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

}  // namespace
}  // namespace fmn::test
