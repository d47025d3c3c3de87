#include "core/meta_template.h"

#include <gtest/gtest.h>

#include "core/envelope_parser.h"

namespace fmn::meta {
namespace {

class TemplateTest : public testing::Test {
 protected:
  void SetUp() override {
    auto m = parse_envelope(
        R"({"topic":"org.fedoraproject.prod.bodhi.update.comment","username":"apache",)"
        R"("msg_id":"2024-x","msg":{"comment":{"author":"ralph","karma":-1,"anon":false,)"
        R"("text":null,"score":1.5,"tags":["a","b"]},"builds":[{"nvr":"x-1-1","ok":true},)"
        R"({"nvr":"y-2-2","ok":false}],"empty":""}})");
    ASSERT_TRUE(m.ok());
    message_ = std::move(m).value();
  }

  std::optional<std::string> render(std::string_view text) {
    auto t = Template::compile(text, scope_);
    EXPECT_TRUE(t.ok()) << text << ": " << t.error().message;
    if (!t.ok()) return "<bad>";
    return t.value().render({*message_, aliases_});
  }

  std::vector<std::string> render_each(std::string_view text) {
    auto t = Template::compile(text, scope_);
    EXPECT_TRUE(t.ok()) << t.error().message;
    std::vector<std::string> out;
    if (t.ok()) t.value().render_each({*message_, aliases_}, out);
    return out;
  }

  std::string compile_error(std::string_view text) {
    auto t = Template::compile(text, scope_);
    return t.ok() ? "" : t.error().message;
  }

  std::unique_ptr<Message> message_;
  StringMap aliases_;
  Scope scope_;
};

TEST_F(TemplateTest, RendersValuesAsPythonStrWould) {
  EXPECT_EQ(render("{msg.comment.author} (karma: {msg.comment.karma})"), "ralph (karma: -1)");
  EXPECT_EQ(render("{msg.comment.anon} {msg.comment.text} {msg.comment.score}"), "False None 1.5");
  EXPECT_EQ(render("{{literal}} {title} {env} {category} {username} {msg_id}"),
            "{literal} bodhi.update.comment prod bodhi apache 2024-x");
}

TEST_F(TemplateTest, MissingHoleMakesTemplateMissing) {
  EXPECT_EQ(render("by {msg.comment.nobody}"), std::nullopt);
  EXPECT_EQ(render("{msg.builds[5].nvr}"), std::nullopt);
}

TEST_F(TemplateTest, AlternativesSkipMissingNullOrFalsy) {
  EXPECT_EQ(render("{msg.nope ?? msg.comment.author}"), "ralph");
  EXPECT_EQ(render("{msg.comment.text ?? 'no text'}"), "no text");
  EXPECT_EQ(render("{msg.empty ?? 'x'}"), "");
  EXPECT_EQ(render("{msg.empty ?: 'x'}"), "x");
  EXPECT_EQ(render("{msg.nope ?? msg.comment.author | upper}"), "RALPH");
}

TEST_F(TemplateTest, PathsIndexWildcardAndFilter) {
  EXPECT_EQ(render("{msg.builds[-1].nvr}"), "y-2-2");
  EXPECT_EQ(render("{msg.builds[*].nvr | join(',')}"), "x-1-1,y-2-2");
  EXPECT_EQ(render("{msg.comment.* | count}"), "6");
  EXPECT_EQ(render("{msg.builds[nvr=='y-2-2'].ok | first}"), "False");
}

TEST_F(TemplateTest, ListFieldsExpandEachItem) {
  EXPECT_EQ(render_each("packages/{msg.builds[*].nvr | nvr_to_name}"),
            (std::vector<std::string>{"packages/x", "packages/y"}));
  EXPECT_EQ(render_each("{msg.comment.tags}-{msg.builds[*].nvr}"),
            (std::vector<std::string>{"a-x-1-1", "a-y-2-2", "b-x-1-1", "b-y-2-2"}));
  EXPECT_TRUE(render_each("{msg.comment.text}").empty());
  EXPECT_TRUE(render_each("{msg.nope}").empty());
}

TEST_F(TemplateTest, VariablesTakeTheFirstApplicableChoice) {
  auto var = std::make_unique<Variable>();
  auto when = Condition::compile("msg.comment.karma == 1", scope_);
  ASSERT_TRUE(when.ok());
  var->choices.push_back({std::move(when).value(), Template::compile("positive", scope_).value()});
  var->choices.push_back({std::nullopt, Template::compile("{msg.nope}", scope_).value()});
  var->choices.push_back({std::nullopt, Template::compile("other", scope_).value()});
  scope_.vars.emplace("mood", std::move(var));
  EXPECT_EQ(render("{$mood}!"), "other!");
  EXPECT_NE(compile_error("{$unknown}").find("no variable named '$unknown'"), std::string::npos);
}

TEST_F(TemplateTest, ConditionsCompareAndCombine) {
  auto holds = [&](std::string_view text) {
    auto c = Condition::compile(text, scope_);
    EXPECT_TRUE(c.ok()) << text << ": " << c.error().message;
    return c.ok() && c.value().eval({*message_, aliases_});
  };
  EXPECT_TRUE(holds("msg.comment.karma == -1"));
  EXPECT_TRUE(holds("msg.comment.author == 'ralph' && !msg.comment.anon"));
  EXPECT_TRUE(holds("msg.nope || msg.builds"));
  EXPECT_TRUE(holds("msg.comment.text == null && msg.comment.anon == false"));
  EXPECT_TRUE(holds("msg.nope != 'x'"));
  EXPECT_FALSE(holds("msg.nope"));
  EXPECT_FALSE(holds("msg.empty"));
  EXPECT_TRUE(holds("topic | ends_with('.comment')"));
}

TEST_F(TemplateTest, CompileErrorsSayWhere) {
  EXPECT_NE(compile_error("{msg.a | nvr2name}").find("unknown helper 'nvr2name'"),
            std::string::npos);
  EXPECT_NE(compile_error("x {msg.a").find("column 3: unclosed '{'"), std::string::npos);
  EXPECT_NE(compile_error("x }").find("unmatched '}'"), std::string::npos);
  EXPECT_NE(compile_error("{nothing.a}").find("unknown root 'nothing'"), std::string::npos);
  EXPECT_NE(compile_error("{msg.a | split(1)}").find("should be 'text'"), std::string::npos);
  EXPECT_NE(compile_error("{msg.a | map('none')}").find("no map named 'none'"), std::string::npos);
  EXPECT_NE(compile_error("{topic.x}").find("only msg has members"), std::string::npos);
}

}  // namespace
}  // namespace fmn::meta
