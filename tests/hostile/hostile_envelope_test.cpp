// Hostile envelopes through everything a message meets before it leaves: the parser (each
// rejection has the expected code), the meta extractor, rules, and the renderers of every
// medium. Whatever text a message carries, an email's headers stay the ones fmn writes, its
// HTML carries no markup from the message, IRC lines carry one command each and fit the
// protocol, and SSE data is one line of valid JSON.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <ctime>

#include "core/envelope_parser.h"
#include "core/meta_extractor.h"
#include "dsl/compile.h"
#include "dsl/interpreter.h"
#include "sinks/email_composer.h"
#include "sinks/irc_text.h"
#include "sinks/renderer.h"
#include "sinks/text_escape.h"
#include "tests/hostile/hostile_inputs.h"

namespace fmn::hostile {
namespace {

constexpr const char* kRules = R"(rule "everything" = true
rule "mentions me" = $me in usernames or agent == $me
rule "my packages" = packages in $my_packages and not topic ~ "*.buildsys.*"
rule "comment text" = msg.comment.text matches "(?i)script" or msg.comment.karma > 0
rule "deep path" = msg.comment.update.alias startswith "x" or exists msg.commit.repo
)";

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Every line break is CRLF, there is no NUL, and each header line is a "Name: value" from the
// list fmn writes or a folded continuation.
void expect_safe_email(const std::string& data, const std::string& what) {
  ASSERT_EQ(data.find('\0'), std::string::npos) << what;
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '\n') {
      ASSERT_TRUE(i > 0 && data[i - 1] == '\r') << what << " bare LF at " << i;
    }
    if (data[i] == '\r') {
      ASSERT_EQ(data[i + 1], '\n') << what << " bare CR at " << i;
    }
  }
  size_t end = data.find("\r\n\r\n");
  ASSERT_NE(end, std::string::npos) << what;
  std::string headers = data.substr(0, end + 2);
  for (size_t at = 0; at < headers.size();) {
    size_t eol = headers.find("\r\n", at);
    std::string line = headers.substr(at, eol - at);
    at = eol + 2;
    if (line[0] == ' ' || line[0] == '\t') continue;
    size_t colon = line.find(": ");
    ASSERT_NE(colon, std::string::npos) << what << ": header line '" << line << "'";
    std::string name = lower(line.substr(0, colon));
    bool known = name.starts_with("x-fedmsg-") || name.starts_with("list-") || name == "from" ||
                 name == "to" || name == "subject" || name == "date" || name == "message-id" ||
                 name == "mime-version" || name == "content-type" ||
                 name == "content-transfer-encoding" || name == "precedence" ||
                 name == "auto-submitted";
    EXPECT_TRUE(known) << what << ": unexpected header '" << line << "'";
  }
}

void expect_no_markup(const std::string& html, const std::string& what) {
  std::string l = lower(html);
  for (const char* tag : {"<script", "<img", "<b>pkg"}) {
    EXPECT_EQ(l.find(tag), std::string::npos) << what << ": " << tag << " in\n" << html;
  }
}

class HostileEnvelopes : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto extractor = MetaExtractor::builtin(builtin_aliases());
    ASSERT_TRUE(extractor.ok());
    extractor_ = std::move(extractor).value().release();
    dsl::Diagnostics diags;
    auto rules = dsl::compile(dsl::SourceFile("hostile.fmn", kRules), diags);
    ASSERT_TRUE(rules.has_value());
    rules_ = new dsl::RuleSet(std::move(*rules));
  }
  static void TearDownTestSuite() {
    delete extractor_;
    delete rules_;
  }
  static MetaExtractor* extractor_;
  static dsl::RuleSet* rules_;
};
MetaExtractor* HostileEnvelopes::extractor_ = nullptr;
dsl::RuleSet* HostileEnvelopes::rules_ = nullptr;

TEST_F(HostileEnvelopes, EachIsRejectedWithItsCodeOrDeliveredSafely) {
  dsl::UserParams me;
  me.me = "ralph";
  me.my_packages = {"kernel", "pkg\xc3\xa9"};
  me.normalize();
  sinks::Renderer renderer;
  sinks::EmailComposer composer{sinks::EmailConfig{}};
  size_t accepted = 0;
  for (const HostileEnvelope& e : hostile_envelopes()) {
    SCOPED_TRACE(e.name);
    auto parsed = parse_envelope(e.bytes);
    if (e.expected_error) {
      ASSERT_FALSE(parsed.ok()) << "accepted";
      EXPECT_EQ(parsed.error().code, *e.expected_error) << parsed.error().message;
      EXPECT_FALSE(parsed.error().message.empty());
      EXPECT_LT(parsed.error().message.size(), 1000u) << "errors quote no whole message";
      continue;
    }
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    ++accepted;
    extractor_->extract(*parsed.value());
    MessagePtr message(std::move(parsed).value());
    EXPECT_TRUE(dsl::evaluate(rules_->rules[0], *message, me));
    for (const dsl::CompiledRule& r : rules_->rules) dsl::evaluate(r, *message, me);

    Notification n;
    n.message = message;
    n.set_names("ralph", "everything", "ralph@example.org");
    n.destination = DestinationKind::kEmail;
    sinks::RenderedEmail email;
    renderer.email(n, email);
    expect_no_markup(email.html, e.name);
    std::string unsubscribe;
    renderer.append_unsubscribe_url(unsubscribe, n);
    auto composed = composer.compose(n, email, unsubscribe, std::time(nullptr));
    ASSERT_TRUE(composed.ok()) << composed.error().message;
    expect_safe_email(composed->data, e.name);

    n.destination = DestinationKind::kIrc;
    n.set_names("ralph", "everything", "ralph");
    std::string text;
    renderer.irc_line(n, text);
    auto lines = sinks::privmsg_lines(n.address(), text);
    ASSERT_FALSE(lines.empty());
    for (const std::string& line : lines) {
      EXPECT_TRUE(line.starts_with("PRIVMSG ralph :")) << line;
      EXPECT_EQ(line.find_first_of(std::string("\r\n\0", 3)), std::string::npos) << line;
      EXPECT_LE(line.size() + 2, 512u);
    }

    n.destination = DestinationKind::kSse;
    std::string json;
    renderer.sse_json(n, json);
    EXPECT_EQ(json.find_first_of("\r\n"), std::string::npos) << json;
    EXPECT_EQ(json.find("\xe2\x80\xa8"), std::string::npos) << "raw U+2028 ends a JS line";
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
    EXPECT_FALSE(doc.HasParseError()) << json;
  }
  EXPECT_GE(accepted, 8u);
}

TEST(HostileEnvelopeLimits, SizeAndDepthLimitsAreConfigurable) {
  ParseOptions tight;
  tight.max_bytes = 1 << 20;
  tight.max_depth = 8;
  auto big = parse_envelope(huge_envelope(2 << 20), {}, tight);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, ErrorCode::kTooLarge);
  auto deep = parse_envelope(deep_envelope(9, false), {}, tight);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().code, ErrorCode::kMalformedJson);
  EXPECT_TRUE(parse_envelope(deep_envelope(6, false), {}, tight).ok());
}

}  // namespace
}  // namespace fmn::hostile
