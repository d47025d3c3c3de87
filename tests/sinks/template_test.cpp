#include "sinks/template.h"

#include <gtest/gtest.h>

namespace fmn::sinks {
namespace {

std::string render(const Template& t, const Fields& f) {
  std::string out;
  t.render(f, out);
  return out;
}

TEST(Template, FillsFieldsAndSections) {
  auto t = Template::compile(
      "t", "{{subtitle}}{{#link}} <{{link}}>{{/link}}{{^agent}} (bot){{/agent}}", Escape::kPlain);
  ASSERT_TRUE(t.ok()) << t.error().message;
  Fields f;
  f[Field::kSubtitle] = "hello";
  EXPECT_EQ(render(*t, f), "hello (bot)");
  f[Field::kLink] = "https://x";
  f[Field::kAgent] = "ralph";
  EXPECT_EQ(render(*t, f), "hello <https://x>");
}

TEST(Template, NestedSections) {
  auto t = Template::compile("t", "a{{#link}}b{{#agent}}c{{/agent}}d{{/link}}e", Escape::kPlain);
  ASSERT_TRUE(t.ok()) << t.error().message;
  Fields f;
  EXPECT_EQ(render(*t, f), "ae");
  f[Field::kLink] = "l";
  EXPECT_EQ(render(*t, f), "abde");
  f[Field::kAgent] = "x";
  EXPECT_EQ(render(*t, f), "abcde");
}

TEST(Template, EscapesValuesForTheMedium) {
  Fields f;
  f[Field::kSubtitle] = "a\r\nQUIT <b>&";
  auto plain = Template::compile("t", "[{{subtitle}}]\n", Escape::kPlain);
  auto html = Template::compile("t", "<p>{{subtitle}}</p>", Escape::kHtml);
  ASSERT_TRUE(plain.ok() && html.ok());
  EXPECT_EQ(render(*plain, f), "[a  QUIT <b>&]\n");
  EXPECT_EQ(render(*html, f), "<p>a  QUIT &lt;b&gt;&amp;</p>");
}

TEST(Template, ItemsAreInsertedAsRendered) {
  auto t = Template::compile("t", "<ol>{{items}}</ol>", Escape::kHtml);
  ASSERT_TRUE(t.ok());
  Fields f;
  f[Field::kItems] = "<li>x</li>";
  EXPECT_EQ(render(*t, f), "<ol><li>x</li></ol>");
}

TEST(Template, RejectsBadTemplatesWithTheLine) {
  auto unknown = Template::compile("t.toml", "a\nb {{nope}}", Escape::kPlain);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message, "t.toml:2: unknown field 'nope'");
  auto unclosed = Template::compile("t", "{{#link}}x", Escape::kPlain);
  ASSERT_FALSE(unclosed.ok());
  EXPECT_NE(unclosed.error().message.find("'link' is not closed"), std::string::npos);
  auto mismatched = Template::compile("t", "{{#link}}x{{/agent}}", Escape::kPlain);
  EXPECT_FALSE(mismatched.ok());
  auto open_brace = Template::compile("t", "x {{link", Escape::kPlain);
  EXPECT_FALSE(open_brace.ok());
}

TEST(Template, RenderedForAMessageThenCompletedPerRecipientIsTheSameText) {
  auto t = Template::compile(
      "t", "<{{subtitle}}> for {{user}}{{#link}} {{link}}{{/link}}: {{rule}}.", Escape::kHtml);
  ASSERT_TRUE(t.ok()) << t.error().message;
  const FieldSet open = field_bit(Field::kUser) | field_bit(Field::kRule);
  ASSERT_TRUE(t->can_share(open));
  Fields f;
  f[Field::kSubtitle] = "a & b";
  f[Field::kLink] = "https://x/?a=1&b=2";
  MessageRendering shared;
  t->render_shared(f, open, shared);
  for (const auto& [user, rule] : {std::pair{"ralph", "<mine>"}, std::pair{"", ""}}) {
    f[Field::kUser] = user;
    f[Field::kRule] = rule;
    std::string completed;
    shared.complete(f, completed);
    EXPECT_EQ(completed, render(*t, f));
  }
}

TEST(Template, ASectionOnARecipientsFieldCannotBeShared) {
  auto t = Template::compile("t", "{{subtitle}}{{#rule}} ({{rule}}){{/rule}}", Escape::kPlain);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_FALSE(t->can_share(field_bit(Field::kRule)));
  EXPECT_TRUE(t->can_share(field_bit(Field::kUser)));
  EXPECT_TRUE(t->uses(field_bit(Field::kRule)));
  EXPECT_FALSE(t->uses(field_bit(Field::kUser) | field_bit(Field::kSettingsUrl)));
}

}  // namespace
}  // namespace fmn::sinks
