#include "sinks/renderer.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "sinks/unsubscribe_link.h"
#include "tests/sinks/notification_fixture.h"

namespace fmn::sinks {
namespace {

using testing::make_notification;
using testing::MessageSpec;

RenderConfig config() {
  RenderConfig c;
  c.base_url = "https://notifications.example.org";
  c.unsubscribe_secret = "s3cret";
  return c;
}

TEST(Renderer, EmailSaysWhatHappenedAndWhichRuleMatched) {
  Renderer r(TemplateSet::builtin(), config());
  RenderedEmail e;
  r.email(make_notification(), e);
  EXPECT_EQ(e.subject, "ralph commented on bodhi update python-requests-2.31.0-1.fc40");
  EXPECT_NE(e.text.find("https://bodhi.fedoraproject.org/updates/FEDORA-2024-abc"),
            std::string::npos);
  EXPECT_NE(e.text.find("By ralph."), std::string::npos);
  EXPECT_NE(e.text.find("Sent: 2024-05-01 12:00:00 UTC"), std::string::npos);
  EXPECT_NE(e.text.find("your rule \"my updates\" matched this bodhi message"), std::string::npos);
  EXPECT_NE(e.text.find("https://notifications.example.org/settings/bowlofeggs#rule=my%20updates"),
            std::string::npos);
  std::string unsubscribe;
  r.append_unsubscribe_url(unsubscribe, make_notification());
  EXPECT_NE(e.text.find(unsubscribe), std::string::npos);
  EXPECT_NE(e.html.find("<a href=\"https://bodhi.fedoraproject.org/updates/FEDORA-2024-abc\">"),
            std::string::npos);
}

TEST(Renderer, FallsBackToTitleAndOmitsMissingParts) {
  MessageSpec spec;
  spec.subtitle.clear();
  spec.link.clear();
  spec.agent.clear();
  Renderer r(TemplateSet::builtin(), config());
  RenderedEmail e;
  r.email(make_notification(spec), e);
  EXPECT_EQ(e.subject, "bodhi.update.comment");
  EXPECT_EQ(e.text.find("By "), std::string::npos);
  EXPECT_EQ(e.html.find("<a href=\"\""), std::string::npos);
}

TEST(Renderer, HostileFieldsStayInertInEveryMedium) {
  MessageSpec spec;
  spec.subtitle =
      "x\r\nBcc: victim@example.org\r\n<script>alert(1)</script>" + std::string(10'000, 'A');
  spec.link = "javascript:\"><img src=x onerror=alert(1)>";
  spec.agent = "evil\r\nPRIVMSG #fedora :spam";
  Renderer r(TemplateSet::builtin(), config());
  RenderedEmail e;
  const Notification n = make_notification(spec);
  r.email(n, e);
  EXPECT_EQ(e.subject.find_first_of("\r\n"), std::string::npos);
  EXPECT_LE(e.subject.size(), 1000u);
  EXPECT_EQ(e.html.find("<script>"), std::string::npos);
  EXPECT_EQ(e.html.find("<img"), std::string::npos);
  EXPECT_EQ(e.text.find("\nBcc:"), std::string::npos);

  std::string irc;
  r.irc_line(n, irc);
  EXPECT_EQ(irc.find_first_of("\r\n"), std::string::npos);

  std::string sse;
  r.sse_json(n, sse);
  EXPECT_EQ(sse.find_first_of("\r\n"), std::string::npos);
  sse.reserve(sse.size() + 16);  // RapidJSON's SSE4.2 scanner reads 16-byte blocks
  rapidjson::Document d;
  ASSERT_FALSE(d.Parse(sse.c_str()).HasParseError()) << sse;
  EXPECT_EQ(std::string(d["agent"].GetString()), spec.agent);  // escaped, not altered
}

TEST(Renderer, IrcLineWithAndWithoutColours) {
  RenderConfig c = config();
  Renderer colored(TemplateSet::builtin(), c);
  c.irc_colors = false;
  Renderer plain(TemplateSet::builtin(), c);
  const Notification n = make_notification({}, DestinationKind::kIrc, "bowlofeggs");
  std::string line;
  plain.irc_line(n, line);
  EXPECT_EQ(line,
            "bodhi ralph commented on bodhi update python-requests-2.31.0-1.fc40 "
            "https://bodhi.fedoraproject.org/updates/FEDORA-2024-abc [my updates]");
  line.clear();
  colored.irc_line(n, line);
  EXPECT_EQ(line.rfind("\x03"
                       "03bodhi\x0f ",
                       0),
            0u)
      << line;
}

TEST(Renderer, SseJsonCarriesTheMeta) {
  Renderer r(TemplateSet::builtin(), config());
  std::string json;
  r.sse_json(make_notification({}, DestinationKind::kSse, "bowlofeggs"), json);
  json.reserve(json.size() + 16);  // RapidJSON's SSE4.2 scanner reads 16-byte blocks
  rapidjson::Document d;
  ASSERT_FALSE(d.Parse(json.c_str()).HasParseError()) << json;
  EXPECT_STREQ(d["msg_id"].GetString(), "2024-0f3c5a1e-1111-2222-3333-444455556666");
  EXPECT_STREQ(d["topic"].GetString(), "org.fedoraproject.prod.bodhi.update.comment");
  EXPECT_STREQ(d["category"].GetString(), "bodhi");
  EXPECT_STREQ(d["rule"].GetString(), "my updates");
  EXPECT_STREQ(d["packages"][0].GetString(), "python-requests");
  EXPECT_EQ(d["timestamp"].GetInt64(), 1714564800);
  EXPECT_STREQ(d["text"].GetString(),
               "ralph commented on bodhi update python-requests-2.31.0-1.fc40");
}

TEST(Renderer, DigestListsEveryItemWithItsLink) {
  Digest digest;
  for (int i = 0; i < 3; ++i) {
    MessageSpec spec;
    spec.subtitle = "build " + std::to_string(i) + " failed";
    spec.link = "https://koji.example.org/b/" + std::to_string(i);
    digest.items.push_back(make_notification(spec));
  }
  digest.omitted = 5;
  Renderer r(TemplateSet::builtin(), config());
  RenderedEmail e;
  r.digest_email(digest, e);
  EXPECT_EQ(e.subject, "3 Fedora notifications");
  EXPECT_NE(e.text.find("(5 more not shown)"), std::string::npos);
  for (int i = 0; i < 3; ++i) {
    const std::string n = std::to_string(i);
    EXPECT_NE(e.text.find(std::to_string(i + 1) + ". build " + n + " failed"), std::string::npos);
    EXPECT_NE(e.text.find("https://koji.example.org/b/" + n), std::string::npos);
    EXPECT_NE(e.html.find("<a href=\"https://koji.example.org/b/" + n + "\">build " + n),
              std::string::npos);
  }
  // A digest's items may come from several rules: its links name none.
  EXPECT_NE(e.text.find("https://notifications.example.org/settings/bowlofeggs\n"),
            std::string::npos);
  EXPECT_EQ(e.text.find("#rule="), std::string::npos);
  EXPECT_NE(e.text.find("unsubscribe?user=bowlofeggs&rule=&kind="), std::string::npos);
}

TEST(Renderer, UnsubscribeLinksAreSignedPerRuleAndDestination) {
  const UnsubscribeTarget target{"bowlofeggs", "my updates", "email", "b+x@example.org"};
  const std::string sig = sign_unsubscribe("s3cret", target);
  EXPECT_EQ(sig.size(), 32u);
  EXPECT_TRUE(verify_unsubscribe("s3cret", target, sig));
  EXPECT_FALSE(verify_unsubscribe("other", target, sig));
  for (auto altered : {&UnsubscribeTarget::user, &UnsubscribeTarget::rule, &UnsubscribeTarget::kind,
                       &UnsubscribeTarget::address}) {
    UnsubscribeTarget changed = target;
    changed.*altered += "x";
    EXPECT_FALSE(verify_unsubscribe("s3cret", changed, sig));
  }
  // A signature made for another purpose with the same secret is no unsubscribe signature.
  EXPECT_FALSE(verify_unsubscribe(
      "s3cret", target, sign_destination("s3cret", target.user, target.kind, target.address)));
  std::string url;
  append_unsubscribe_url(url, "https://n.example.org", "s3cret", target);
  EXPECT_EQ(url,
            "https://n.example.org/unsubscribe?user=bowlofeggs&rule=my%20updates&kind=email&"
            "address=b%2Bx%40example.org&sig=" +
                sig);
}

TEST(TemplateSet, RejectsFilesWithMissingOrBrokenTemplates) {
  auto missing = TemplateSet::parse("t.toml", "[email]\nsubject = \"x\"\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("[email] text: missing"), std::string::npos);
  auto syntax = TemplateSet::parse("t.toml", "[email\n");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.error().message.rfind("t.toml:1:", 0), 0u) << syntax.error().message;
}

}  // namespace
}  // namespace fmn::sinks
