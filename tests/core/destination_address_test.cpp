#include "core/destination_address.h"

#include <gtest/gtest.h>

#include <string>

#include "core/destination_kinds.h"

namespace fmn {
namespace {

TEST(EmailAddress, AcceptsCommonAddresses) {
  for (const char* a : {"ralph@fedoraproject.org", "a.b+tag@example.co.uk", "x@[127.0.0.1]",
                        "o'brien@example.org"}) {
    EXPECT_TRUE(is_email_address(a)) << a;
  }
}

TEST(EmailAddress, RefusesWhatCouldInjectOrConfuse) {
  for (const char* a : {"", "no-at", "a@", "@b", "a@b@c", "a b@c.org", "a@c.org\r\nRCPT TO:<x@y>",
                        "<a@b.org>", "a..b@c.org", ".a@c.org", "a@-c.org", "a@c..org",
                        "\"q\"@c.org", "caf\xc3\xa9@c.org", "a@[1.2.3]", "a@[1.2.3.256]"}) {
    EXPECT_FALSE(is_email_address(a)) << a;
  }
  EXPECT_FALSE(is_email_address(std::string(65, 'a') + "@c.org"));
  EXPECT_FALSE(is_email_address(std::string_view("a\0b@c.org", 9)));
}

TEST(IrcNick, AcceptsRfc2812NicksOnly) {
  for (const char* n : {"bowlofeggs", "[ralph]", "a-b_c", "x1"}) EXPECT_TRUE(is_irc_nick(n)) << n;
  for (const char* n : {"", "9lives", "-a", "a b", "a,b", ":a", "a\r\nQUIT", "a:b", "#chan"}) {
    EXPECT_FALSE(is_irc_nick(n)) << n;
  }
  EXPECT_FALSE(is_irc_nick(std::string(31, 'a')));
}

TEST(PlainName, AcceptsIdentifiers) {
  EXPECT_TRUE(is_plain_name("feed.main-1_x"));
  for (const char* n : {"", "_a", "a b", "a/b"}) EXPECT_FALSE(is_plain_name(n)) << n;
  EXPECT_FALSE(is_plain_name(std::string(65, 'a')));
}

TEST(WebhookUrl, AcceptsHttpUrlsWithoutCredentials) {
  for (const char* u :
       {"https://hooks.example.org/fmn", "http://127.0.0.1:8080/x?y=1", "https://example.org"}) {
    EXPECT_TRUE(is_webhook_url(u)) << u;
  }
  for (const char* u : {"", "ftp://example.org/", "https://", "https:///path", "https://:80/",
                        "https://user:pw@example.org/", "https://a.org/x y",
                        "https://a.org/\r\nHost: b", "https://a.org/\"x\"", "example.org"}) {
    EXPECT_FALSE(is_webhook_url(u)) << u;
  }
  EXPECT_FALSE(is_webhook_url("https://a.org/" + std::string(2000, 'x')));
}

TEST(DestinationAddress, RedactedAddressHidesWhatMayIdentifyOrAuthorize) {
  EXPECT_EQ(redacted_address("alice.smith@example.org"), "a***@example.org");
  EXPECT_EQ(redacted_address("https://hooks.example.org:8443/fmn?token=s3cret"),
            "https://hooks.example.org:8443/...");
  EXPECT_EQ(redacted_address("http://127.0.0.1"), "http://127.0.0.1/...");
  EXPECT_EQ(redacted_address("alice_"), "alice_");
  EXPECT_EQ(redacted_address(""), "");
}

TEST(DestinationKinds, TableNamesEveryKindOnceInEnumeratorOrder) {
  ASSERT_EQ(destination_kinds().size(), kDestinationKindCount);
  for (size_t i = 0; i < kDestinationKindCount; ++i) {
    const DestinationKindInfo& info = destination_kinds()[i];
    EXPECT_EQ(static_cast<size_t>(info.kind), i);
    EXPECT_EQ(destination_kind_named(info.name), info.kind);
    EXPECT_FALSE(info.config_section.empty()) << info.name;
    EXPECT_FALSE(info.metrics_label.empty()) << info.name;
    if (info.user_destination) {
      EXPECT_FALSE(info.address_noun.empty()) << info.name;
      EXPECT_FALSE(info.address_valid("")) << info.name;
    }
  }
  EXPECT_EQ(destination_kind_named("mail"), std::nullopt);
  EXPECT_EQ(destination_kind_name(DestinationKind::kIrc), "irc");
}

TEST(IrcNick, MatchesUnderTheRfc1459CaseMapping) {
  EXPECT_TRUE(same_irc_nick("RBean", "rbean"));
  EXPECT_TRUE(same_irc_nick("a[b]\\c~", "A{B}|C^"));
  EXPECT_FALSE(same_irc_nick("rbean", "rbean_"));
  EXPECT_FALSE(same_irc_nick("rbean", "rbeam"));
}

}  // namespace
}  // namespace fmn
