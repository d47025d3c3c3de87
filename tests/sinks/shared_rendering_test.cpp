// Rendering once per message: a Renderer that renders a message for one recipient after another
// gives, byte for byte, what a fresh Renderer gives each recipient alone, over the whole corpus
// and every per-notification medium, with recipients whose fields need escaping.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sinks/renderer.h"
#include "tests/codegen/test_corpus.h"

namespace fmn::sinks {
namespace {

RenderConfig config() {
  RenderConfig c;
  c.base_url = "https://notifications.example.org";
  c.unsubscribe_secret = "s3cret";
  return c;
}

std::vector<Notification> recipients(const MessagePtr& message) {
  std::vector<Notification> out;
  const struct {
    const char* user;
    const char* rule;
    const char* address;
    DestinationKind kind;
  } kRecipients[] = {
      {"ralph", "my packages", "ralph@example.org", DestinationKind::kEmail},
      {"kevin", "<b>builds</b> & \"updates\"", "kevin", DestinationKind::kIrc},
      {"Zoë", "line\r\nbreak", "zoe-feed", DestinationKind::kSse},
      {"ralph", "", "ralph@example.org", DestinationKind::kEmail},
  };
  for (const auto& r : kRecipients) {
    Notification n;
    n.message = message;
    n.set_names(r.user, r.rule, r.address);
    n.destination = r.kind;
    out.push_back(std::move(n));
  }
  return out;
}

struct Rendered {
  std::string email, irc, sse, sse_cut;
  bool operator==(const Rendered&) const = default;
};

Rendered render(Renderer& r, const Notification& n) {
  Rendered out;
  RenderedEmail email;
  r.email(n, email);
  out.email = email.subject + '\n' + email.text + '\n' + email.html;
  r.irc_line(n, out.irc);
  r.sse_json(n, out.sse);
  r.sse_json(n, out.sse_cut, 4096);
  return out;
}

TEST(SharedRendering, EachRecipientGetsWhatARendererOfItsOwnWouldGive) {
  Renderer shared(TemplateSet::builtin(), config());
  size_t compared = 0;
  for (const auto& owned : testing_support::corpus_messages()) {
    const MessagePtr message(MessagePtr(), owned.get());  // the corpus outlives the test
    for (const Notification& n : recipients(message)) {
      Renderer alone(TemplateSet::builtin(), config());
      const Rendered expected = render(alone, n);
      ASSERT_EQ(render(shared, n), expected) << owned->msg_id << " for " << n.user();
      ++compared;
    }
  }
  EXPECT_GT(compared, 1000u);
}

TEST(SharedRendering, InterleavedMessagesAndMediaKeepEachMessagesOwnText) {
  const auto& corpus = testing_support::corpus_messages();
  ASSERT_GE(corpus.size(), 2u);
  const MessagePtr first(MessagePtr(), corpus[0].get());
  const MessagePtr second(MessagePtr(), corpus[1].get());
  Renderer shared(TemplateSet::builtin(), config());
  for (int round = 0; round < 3; ++round) {
    for (const MessagePtr& m : {first, second}) {
      const Notification n = recipients(m)[static_cast<size_t>(round)];
      std::string line;
      shared.irc_line(n, line);
      Renderer alone(TemplateSet::builtin(), config());
      std::string expected;
      alone.irc_line(n, expected);
      EXPECT_EQ(line, expected);
      RenderedEmail email, expected_email;
      shared.email(n, email);
      alone.email(n, expected_email);
      EXPECT_EQ(email.text, expected_email.text);
    }
  }
}

}  // namespace
}  // namespace fmn::sinks
