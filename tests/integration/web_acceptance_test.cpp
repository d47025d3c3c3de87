// The web app end to end, as a person uses it, in real headless Chromium against a running
// fmn-pipeline and real servers: sign in at a real OpenID provider (npm's oidc-provider); add an
// email address and an IRC nick, whose confirmation requests arrive at the SMTP server and at
// ngIRCd; follow the links; type a rule with a typo into the rule editor, see the diagnostic at
// its position, underlined in place, fix it with its "did you mean", see the preview list, save
// it; start a rule from a template, which checks and previews; publish a matching message on the
// bus; see it under "What you got" and at the SMTP server; POST the email's List-Unsubscribe URL as
// a mail client does (RFC 8058) and see the delivery gone in the app; at 320 px wide nothing
// overflows. Screenshots of each main page go to <build>/web-screenshots/acceptance/ for a person
// to look at.
#include <gtest/gtest.h>

#include <csignal>
#include <regex>

#include "tests/integration/pipeline_process.h"
#include "tests/support/irc_server.h"
#include "tests/support/irc_test_client.h"
#include "tests/support/loopback.h"
#include "tests/support/oidc_provider.h"
#include "tests/support/smtp_server.h"
#include "tests/support/temp_dir.h"
#include "tests/support/web_driver.h"
#include "tests/support/zmq_publisher.h"
#include "tests/web/http_test_client.h"

namespace fmn::test {
namespace {

constexpr Duration kTimeout = std::chrono::seconds(60);
constexpr char kAddress[] = "alice@example.org";
constexpr char kNick[] = "alicenick";
constexpr char kTopic[] = "org.fedoraproject.prod.bodhi.update.comment";
// A comment by alice: its meta names her among the usernames.
constexpr char kMessage[] =
    R"({"topic":"org.fedoraproject.prod.bodhi.update.comment","msg":{"agent":"alice",)"
    R"("comment":{"anonymous":false,"author":"alice","group":null,"karma":0,)"
    R"("text":"Works for me","timestamp":1714564800.0,"update_submitter":"alice",)"
    R"("update_title":"fmn-1.0-1.fc40"}},"msg_id":"2026-web-acceptance-1",)"
    R"("timestamp":1714564801.0,"i":1})";
constexpr char kSubtitle[] = "alice commented on bodhi update fmn-1.0-1.fc40";
// An earlier comment, on the bus before the rule exists: what the rule's preview lists.
constexpr char kEarlier[] =
    R"({"topic":"org.fedoraproject.prod.bodhi.update.comment","msg":{"agent":"alice",)"
    R"("comment":{"anonymous":false,"author":"alice","group":null,"karma":0,)"
    R"("text":"Works for me too","timestamp":1714478400.0,"update_submitter":"alice",)"
    R"("update_title":"fmn-0.9-1.fc40"}},"msg_id":"2026-web-acceptance-0",)"
    R"("timestamp":1714478401.0,"i":1})";

// A mail's text with quoted-printable soft breaks joined and =XX escapes decoded.
std::string decoded(const std::string& data) {
  std::string out;
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '=' && i + 2 < data.size() && data[i + 1] == '\r' && data[i + 2] == '\n') {
      i += 2;
    } else if (data[i] == '=' && i + 2 < data.size() && std::isxdigit(data[i + 1]) &&
               std::isxdigit(data[i + 2])) {
      out += static_cast<char>(std::stoi(data.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += data[i];
    }
  }
  return out;
}

// The first URL in `text` starting with `prefix`.
std::string url_in(const std::string& text, const std::string& prefix) {
  const size_t at = text.find(prefix);
  if (at == std::string::npos) return "";
  const size_t end = text.find_first_of(" \r\n\"<>", at);
  return text.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

// The URL of the mail's List-Unsubscribe header (headers unfolded).
std::string list_unsubscribe(std::string data) {
  data = data.substr(0, data.find("\r\n\r\n"));
  data = std::regex_replace(data, std::regex("\r\n[ \t]+"), " ");
  std::smatch m;
  if (!std::regex_search(data, m, std::regex("List-Unsubscribe: <([^>]+)>"))) return "";
  return m[1];
}

// JavaScript that sets a form field as typing would (the page listens for "input").
std::string type_into(const std::string& id, const std::string& text) {
  return "var e = document.getElementById('" + id + "'); e.value = '" + text +
         "'; e.dispatchEvent(new Event('input', {bubbles: true}));";
}

std::string text_of(const std::string& id) {
  return "document.getElementById('" + id + "').textContent";
}

class WebAcceptance : public ::testing::Test {
 protected:
  void shot(WebDriver& browser, const std::string& name) {
    const auto path =
        std::filesystem::path(FMN_BINARY_DIR) / "web-screenshots" / "acceptance" / (name + ".png");
    auto written = browser.screenshot(path);
    EXPECT_TRUE(written.ok()) << written.error().message;
  }
};

TEST_F(WebAcceptance, FromSignInToANotificationAndItsOneClickUnsubscribe) {
  auto smtp = SmtpServer::start();
  ASSERT_TRUE(smtp.ok()) << smtp.error().message;
  auto irc = IrcServer::start();
  ASSERT_TRUE(irc.ok()) << irc.error().message;
  auto bus = ZmqPublisher::start();
  ASSERT_TRUE(bus.ok()) << bus.error().message;
  auto web = pick_free_port();
  ASSERT_TRUE(web.ok());
  // localhost, not 127.0.0.1: the browser treats it as a secure context, so it keeps the
  // app's Secure cookies over plain HTTP.
  const std::string app = "http://localhost:" + std::to_string(*web);
  auto idp = OidcProvider::start({.redirect_uri = app + "/oidc/callback"});
  ASSERT_TRUE(idp.ok()) << idp.error().message;
  auto dir = TempDir::create("web-acceptance");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  const auto prefs = *dir / "prefs.toml";
  const auto secret = *dir / "oidc-secret";
  const auto config = *dir / "fmn.toml";
  ASSERT_TRUE(write_file(prefs, "version = 1\n[[users]]\nname = \"alice\"\n").ok());
  ASSERT_TRUE(write_file(secret, kOidcRs256Client.secret).ok());
  ASSERT_TRUE(write_file(config, "[oidc]\nissuer = \"" + idp->issuer() + "\"\nclient_id = \"" +
                                     kOidcRs256Client.id + "\"\nclient_secret_file = \"" +
                                     secret.string() + "\"\n")
                  .ok());
  auto nick = IrcTestClient::connect(irc->port(), kNick, kTimeout);
  ASSERT_TRUE(nick.ok()) << nick.error().message;
  auto pipeline = PipelineProcess::start(
      "web-acceptance",
      {"--config", config.string(), "--connect", bus->endpoint(), "--prefs", prefs.string(),
       "--smtp", smtp->url(), "--irc", "127.0.0.1:" + std::to_string(irc->port()), "--web-listen",
       "127.0.0.1:" + std::to_string(*web), "--public-url", app},
      kTimeout);
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
  auto started = WebDriver::start();
  ASSERT_TRUE(started.ok()) << started.error().message;
  WebDriver& browser = *started;
  auto wait = [&](const std::string& condition) {
    auto met = browser.wait_until(condition, kTimeout);
    EXPECT_TRUE(met.ok()) << met.error().message << "\n" << pipeline->output();
    return met.ok();
  };

  // Sign in through the OpenID provider's own pages.
  ASSERT_TRUE(browser.open(app + "/").ok());
  ASSERT_TRUE(wait("return !document.getElementById('oidc-sign-in').hidden;"));
  shot(browser, "1-sign-in");
  ASSERT_TRUE(browser.execute("document.getElementById('oidc-sign-in-link').click();").ok());
  ASSERT_TRUE(wait("return !!document.querySelector('input[name=login]');"));
  shot(browser, "2-provider-login");
  // Fills in the login form, then submits the consent form as it is, once per page, until the
  // provider sends the browser back to the app.
  ASSERT_TRUE(wait(
      "if (location.href.indexOf('" + app + "') === 0) return " + text_of("me") +
      " === 'alice'; var f = document.querySelector('form'); if (!f || document.body.dataset.sent)"
      " return false; var l = f.querySelector('input[name=login]'); if (l) { l.value = 'alice';"
      " f.querySelector('input[name=password]').value = 'any password'; }"
      " document.body.dataset.sent = '1'; f.submit(); return false;"));
  shot(browser, "3-signed-in");

  // An email address and an IRC nick; each gets its confirmation request and nothing else.
  for (const auto& [name, kind, address] :
       {std::tuple{"mail", "email", kAddress}, std::tuple{"chat", "irc", kNick}}) {
    ASSERT_TRUE(browser
                    .execute(type_into("destination-name", name) +
                             type_into("destination-address", address) +
                             "document.getElementById('destination-kind').value = '" + kind +
                             "'; document.getElementById('add-destination').click();")
                    .ok());
    ASSERT_TRUE(wait("return " + text_of("destinations") + ".indexOf('" + name + ": " + kind + " " +
                     address + " (pending)') >= 0;"));
  }
  shot(browser, "4-pending-destinations");
  auto mails = smtp->wait_for_mail(1, kTimeout);
  ASSERT_TRUE(mails.ok()) << mails.error().message << "\n" << pipeline->output();
  EXPECT_EQ(mails->front().rcpt_to, std::vector<std::string>{kAddress});
  const std::string mail_link = url_in(decoded(mails->front().data), app + "/confirm?");
  ASSERT_FALSE(mail_link.empty()) << mails->front().data;
  auto line = nick->wait_for("PRIVMSG", kTimeout);
  ASSERT_TRUE(line.ok()) << line.error().message << "\n" << pipeline->output();
  ASSERT_EQ(line->params.size(), 2u);
  EXPECT_EQ(line->params[0], kNick);
  const std::string irc_link = url_in(line->params[1], app + "/confirm?");
  ASSERT_FALSE(irc_link.empty()) << line->params[1];

  // Follow both links, as their owner would.
  for (const std::string& link : {mail_link, irc_link}) {
    ASSERT_TRUE(browser.open(link).ok());
    ASSERT_TRUE(
        wait("var b = document.querySelector('button[type=submit]');"
             " if (b && !document.body.dataset.sent) { document.body.dataset.sent = '1';"
             " b.click(); } return document.body.textContent.indexOf('Confirmed') >= 0;"));
  }
  shot(browser, "5-confirmed");
  ASSERT_TRUE(browser.open(app + "/").ok());
  ASSERT_TRUE(wait("var t = " + text_of("destinations") +
                   "; return t.indexOf('mail: email') >= 0 && t.indexOf('chat: irc') >= 0 &&"
                   " t.indexOf('(pending)') < 0;"));

  // A comment of the past days, which the service keeps among its recent messages.
  ASSERT_TRUE(bus->wait_for_subscriptions(1, kTimeout).ok());
  ASSERT_TRUE(bus->publish(kTopic, kEarlier).ok());
  ASSERT_TRUE(pipeline->wait_metric("fmn_recent_recorded_total", 1, kTimeout).ok())
      << pipeline->output();

  // A rule with a typo, typed into the editor: the diagnostic appears at its position, the name
  // underlined in place; fixed by its "did you mean", its preview lists the earlier comment, and
  // it saves.
  ASSERT_TRUE(browser.execute(type_into("rule-name", "comments by me")).ok());
  ASSERT_TRUE(browser
                  .type("#rule-source .cm-content",
                        "topic ~ \\\"*.bodhi.update.comment\\\" and $me in usernmes")
                  .ok());
  ASSERT_TRUE(
      wait("var d = document.querySelector('.diag'); return !!d &&"
           " d.textContent.indexOf('E0101') >= 0 &&"
           " d.textContent.indexOf('did you mean `usernames`?') >= 0 &&"
           " d.getAttribute('data-line') === '1' && d.getAttribute('data-column') === '45';"));
  ASSERT_TRUE(
      wait("var u = document.querySelector('#rule-source .cm-lintRange-error');"
           " return !!u && u.textContent === 'usernmes';"));
  ASSERT_TRUE(browser.execute("document.getElementById('rule-source').scrollIntoView();").ok());
  shot(browser, "6-diagnostic");
  ASSERT_TRUE(browser.execute("document.querySelector('.diag button.fix').click();").ok());
  ASSERT_TRUE(wait("return " + text_of("check-result") + ".indexOf('No problems found.') >= 0;"));
  EXPECT_TRUE(
      wait("return document.querySelector('#rule-source .cm-content').textContent ==="
           " 'topic ~ \\\"*.bodhi.update.comment\\\" and $me in usernames';"));
  ASSERT_TRUE(wait("return !document.getElementById('preview').hidden && " +
                   text_of("preview-count") + " === 'Matched 1 of the last 1 messages.' && " +
                   text_of("preview-list") +
                   ".indexOf('alice commented on bodhi update fmn-0.9-1.fc40') >= 0;"));
  ASSERT_TRUE(browser.execute("document.getElementById('check-result').scrollIntoView();").ok());
  shot(browser, "6-preview");
  // Deliver to the email address only (the first destination is ticked for a new rule).
  ASSERT_TRUE(browser
                  .execute("document.querySelectorAll('#rule-deliveries input').forEach("
                           "function (c) { c.checked = c.value === 'mail'; });"
                           " document.getElementById('save').click();")
                  .ok());
  ASSERT_TRUE(wait("return " + text_of("save-status") + " === 'Saved.' && " + text_of("rules") +
                   ".indexOf('comments by me  \\u2192 mail') >= 0;"));
  shot(browser, "7-rule-saved");

  // FMN's classic "mentions me" in one click: it names the rule, checks, and previews (the earlier
  // comment names alice).
  ASSERT_TRUE(browser
                  .execute("document.getElementById('new-rule').click(); document.querySelector("
                           "'#rule-templates button[data-template=mentions-me]').click();")
                  .ok());
  ASSERT_TRUE(wait("return document.getElementById('rule-name').value === 'Mentions me' && " +
                   text_of("check-result") + ".indexOf('No problems found.') >= 0 && " +
                   text_of("preview-count") + " === 'Matched 1 of the last 1 messages.';"));
  ASSERT_TRUE(browser.execute("document.getElementById('editor').scrollIntoView();").ok());
  shot(browser, "7-template");

  // The pipeline follows the file; once the rule is live, a matching message on the bus.
  ASSERT_TRUE(pipeline->wait_metric("fmn_user_rules", 1, kTimeout).ok()) << pipeline->output();
  ASSERT_TRUE(bus->wait_for_subscriptions(1, kTimeout).ok());
  ASSERT_TRUE(bus->publish(kTopic, kMessage).ok());
  mails = smtp->wait_for_mail(2, kTimeout);
  ASSERT_TRUE(mails.ok()) << mails.error().message << "\n" << pipeline->output();
  const ReceivedMail& notification = mails->back();
  EXPECT_EQ(notification.rcpt_to, std::vector<std::string>{kAddress});
  EXPECT_NE(decoded(notification.data).find(kSubtitle), std::string::npos) << notification.data;

  // What you got: the message, sent to the address by the rule.
  ASSERT_TRUE(browser.execute("document.getElementById('history-refresh').click();").ok());
  ASSERT_TRUE(wait("var t = " + text_of("history-list") + "; if (t.indexOf('" + kSubtitle +
                   "') < 0) { document.getElementById('history-refresh').click(); return false; }"
                   " return t.indexOf('Sent to email " +
                   kAddress + ", rule comments by me') >= 0;"));
  ASSERT_TRUE(browser.execute("document.getElementById('history').scrollIntoView();").ok());
  shot(browser, "8-what-you-got");

  // The mail client's one-click unsubscribe: a POST to the List-Unsubscribe URL.
  const std::string unsubscribe = list_unsubscribe(notification.data);
  ASSERT_EQ(unsubscribe.rfind(app + "/unsubscribe?", 0), 0u) << notification.data;
  const HttpReply stopped =
      http_request("POST", unsubscribe, {"Content-Type: application/x-www-form-urlencoded"},
                   "List-Unsubscribe=One-Click");
  EXPECT_EQ(stopped.status, 200) << stopped.body;
  ASSERT_TRUE(browser.open(app + "/").ok());
  ASSERT_TRUE(
      wait("return " + text_of("rules") + ".indexOf('comments by me  \\u2192 nowhere') >= 0;"));
  shot(browser, "9-unsubscribed");

  // On a 320 px wide phone nothing runs off the side, and "What you got" works from the keyboard:
  // its controls are buttons with names of their own.
  ASSERT_TRUE(browser.set_window_size(320, 900).ok());
  ASSERT_TRUE(
      wait("return document.documentElement.clientWidth <= 320 &&"
           " document.documentElement.scrollWidth <= document.documentElement.clientWidth;"));
  ASSERT_TRUE(
      wait("var b = document.getElementById('history-refresh'); b.focus();"
           " return document.activeElement === b && b.tagName === 'BUTTON' &&"
           " b.getAttribute('aria-label') === 'Refresh what you got' &&"
           " document.getElementById('history-list').getAttribute('aria-labelledby')"
           " === 'history-title';"));
  ASSERT_TRUE(browser.execute("document.getElementById('history').scrollIntoView();").ok());
  shot(browser, "10-what-you-got-320px");

  EXPECT_TRUE(pipeline->process().stop(SIGTERM, kTimeout).has_value());
}

}  // namespace
}  // namespace fmn::test
