#include "core/meta_extractor.h"

#include <gtest/gtest.h>

#include "core/envelope_parser.h"
#include "core/meta_table.h"

namespace fmn {
namespace {

constexpr const char* kTable = R"toml(
[maps.state]
1 = "completed"

[[rule]]
topic = "svc.build.done"
when = "msg.state == 1"
subtitle = "{msg.owner} finished {msg.nvr}"

[[rule]]
topic = "svc.build.*"
subtitle = "{msg.owner} touched {msg.nvr} ({msg.state | map('state') ?? 'unknown'})"
link = false
packages = ["{msg.nvr | nvr_to_name}"]

[[rule]]
topic = "svc.**"
link = "https://svc.example/{title}"
agent = "{msg.owner | account}"
usernames = ["{msg.owner | account}", "{msg.watchers[*] | account}"]
objects = []
)toml";

Meta extract(const MetaExtractor& x, std::string_view topic, std::string_view body) {
  auto m = parse_envelope(R"({"topic":")" + std::string(topic) + R"(","msg":)" + std::string(body) +
                          "}");
  EXPECT_TRUE(m.ok());
  x.extract(*m.value());
  return m.value()->meta;
}

std::unique_ptr<MetaExtractor> make(const char* text, AliasMap aliases = {}) {
  std::vector<MetaTableSource> sources{{"svc.toml", text}};
  auto x = MetaExtractor::create(sources, std::move(aliases));
  EXPECT_TRUE(x.ok()) << x.error().message;
  return x.ok() ? std::move(x).value() : nullptr;
}

TEST(MetaExtractor, EachFieldComesFromTheFirstMatchingRuleThatDefinesIt) {
  auto x = make(kTable, {{"bob@example.com", "bob"}});
  const char* body = R"({"owner":"bob@example.com","nvr":"pkg-1.0-1","state":1,)"
                     R"("watchers":["zed","bob@example.com","amy"]})";
  Meta meta = extract(*x, "org.fedoraproject.prod.svc.build.done", body);
  EXPECT_EQ(meta.category, "svc");
  EXPECT_EQ(meta.title, "svc.build.done");
  EXPECT_EQ(meta.subtitle, "bob@example.com finished pkg-1.0-1");
  EXPECT_EQ(meta.link, std::nullopt);  // rule 2 says none, before the catch-all
  EXPECT_EQ(meta.agent, "bob");
  EXPECT_EQ(meta.usernames, (std::vector<std::string>{"amy", "bob", "zed"}));
  EXPECT_EQ(meta.packages, (std::vector<std::string>{"pkg"}));
  EXPECT_TRUE(meta.objects.empty());
}

TEST(MetaExtractor, ConditionsAndGlobsPickTheRule) {
  auto x = make(kTable);
  Meta meta = extract(*x, "org.fedoraproject.stg.svc.build.done",
                      R"({"owner":"a","nvr":"p-1-1","state":2})");
  EXPECT_EQ(meta.subtitle, "a touched p-1-1 (unknown)");
  meta = extract(*x, "svc.build.started", R"({"owner":"a","nvr":"p-1-1","state":1})");
  EXPECT_EQ(meta.subtitle, "a touched p-1-1 (completed)");
  meta = extract(*x, "io.example.prod.svc.other.deep.topic", R"({"owner":"a"})");
  EXPECT_EQ(meta.subtitle, std::nullopt);
  EXPECT_EQ(meta.link, "https://svc.example/svc.other.deep.topic");
}

TEST(MetaExtractor, UnknownTopicGetsCategoryAndTitleOnly) {
  auto x = make(kTable);
  Meta meta = extract(*x, "org.fedoraproject.prod.elsewhere.thing", R"({"owner":"a"})");
  EXPECT_EQ(meta.category, "elsewhere");
  EXPECT_EQ(meta.title, "elsewhere.thing");
  EXPECT_EQ(meta.subtitle, std::nullopt);
  EXPECT_TRUE(meta.usernames.empty());
  EXPECT_EQ(meta_to_json(meta),
            R"({"category":"elsewhere","title":"elsewhere.thing","subtitle":null,"link":null,)"
            R"("agent":null,"usernames":[],"packages":[],"objects":[],"containers":[],)"
            R"("modules":[],"flatpaks":[],"severity":null})");
}

TEST(MetaExtractor, TopicsSpelledDifferentlyFindTheirEntryUnlessItIsAmbiguous) {
  auto x = make(R"toml(
[[rule]]
topic = "svc.pull-request.new"
subtitle = "new pull request"

[[rule]]
topic = ["svc.a-b", "svc.a_b"]
subtitle = "a, b"

[[rule]]
topic = "svc.a_b"
link = "https://svc.example/a_b"

[[rule]]
topic = "svc.**"
subtitle = "something else"
)toml");
  for (const char* topic :
       {"svc.pull_request.new", "Svc.Pull-Request.NEW", "svc.pull-request.new"}) {
    EXPECT_EQ(extract(*x, std::string("org.fedoraproject.prod.") + topic, "{}").subtitle,
              "new pull request")
        << topic;
  }
  EXPECT_EQ(extract(*x, "org.fedoraproject.prod.svc.a_b", "{}").link, "https://svc.example/a_b");
  // svc.a-b and svc.a_b are both in the table: a third spelling could mean either.
  Meta meta = extract(*x, "org.fedoraproject.prod.svc.A-B", "{}");
  EXPECT_EQ(meta.subtitle, "something else");
  EXPECT_EQ(meta.link, std::nullopt);
  EXPECT_EQ(x->fallback_count(), 0u);
}

TEST(MetaExtractor, JsonLineCarriesContainersModulesFlatpaksAndSeverity) {
  auto x = make(R"toml(
[[rule]]
topic = "svc.image.built"
containers = ["{msg.image}"]
modules = ["{msg.module}"]
flatpaks = ["{msg.app}", "{msg.runtime}"]
)toml");
  auto m = parse_envelope(
      R"({"topic":"org.fedoraproject.prod.svc.image.built",)"
      R"("msg":{"image":"httpd","module":"nodejs:20","app":"org.gnome.Maps","runtime":"f40"},)"
      R"("headers":{"fedora_messaging_severity":30}})");
  ASSERT_TRUE(m.ok());
  x->extract(*m.value());
  EXPECT_EQ(meta_to_json(m.value()->meta),
            R"({"category":"svc","title":"svc.image.built","subtitle":null,"link":null,)"
            R"("agent":null,"usernames":[],"packages":[],"objects":[],"containers":["httpd"],)"
            R"("modules":["nodejs:20"],"flatpaks":["f40","org.gnome.Maps"],"severity":30})");
}

TEST(MetaExtractor, BodyOfAnyShapeIsSafe) {
  auto x = make(kTable);
  for (const char* body : {"null", "[1,2]", "\"text\"", "{\"owner\":{\"x\":1},\"nvr\":[]}"}) {
    Meta meta = extract(*x, "svc.build.done", body);
    EXPECT_EQ(meta.title, "svc.build.done") << body;
  }
}

struct BadTable {
  const char* text;
  const char* says;
};

TEST(MetaExtractor, TableErrorsNameFileRuleAndProblem) {
  for (const BadTable& bad : {
           BadTable{"[[rule]]\nsubtitle = 'x'", "svc.toml: rule 1: missing topic"},
           BadTable{"[[rule]]\ntopic = 'a.**.b'", "'**' must end the pattern"},
           BadTable{"[[rule]]\ntopic = 'a.b*'", "'*' must be a whole part"},
           BadTable{"[[rule]]\ntopic = 'a'\nsubtitel = 'x'", "unknown key 'subtitel'"},
           BadTable{"[[rule]]\ntopic = 'a'\nusernames = '{msg.x}'", "expected a list"},
           BadTable{"[[rule]]\ntopic = 'a'\nlink = '{msg.x | nope}'",
                    "svc.toml: rule 1 (a): link: in the hole at column 1"},
           BadTable{"[[rule]]\ntopic = 'a'\nwhen = 'msg.x =='", "when: column"},
           BadTable{"[vars]\na = '{$b}'\nb = '{$a}'", "no variable named"},
           BadTable{"bogus = 1", "unknown top-level key 'bogus'"},
           BadTable{"[[rule]\n", "svc.toml:1:"},
       }) {
    std::vector<MetaTableSource> sources{{"svc.toml", bad.text}};
    auto x = MetaExtractor::create(sources, {});
    ASSERT_FALSE(x.ok()) << bad.text;
    EXPECT_EQ(x.error().code, ErrorCode::kInvalidConfig);
    EXPECT_NE(x.error().message.find(bad.says), std::string::npos) << x.error().message;
  }
}

TEST(MetaExtractor, TopicPatterns) {
  EXPECT_TRUE(meta::topic_matches("a.*.c", "a.b.c"));
  EXPECT_FALSE(meta::topic_matches("a.*.c", "a.b.b.c"));
  EXPECT_TRUE(meta::topic_matches("a.**", "a.b.c"));
  EXPECT_TRUE(meta::topic_matches("a.b.**", "a.b"));
  EXPECT_FALSE(meta::topic_matches("a.b", "a.b.c"));
  EXPECT_FALSE(meta::topic_matches("a.b.c", "a.b"));
}

TEST(MetaExtractor, BuiltinTablesAndAliasesLoad) {
  AliasMap aliases = builtin_aliases();
  EXPECT_EQ(aliases.size(), 4u);
  EXPECT_EQ(aliases["threebean"], "ralph");
  EXPECT_EQ(aliases["nicolas.mailhot@laposte.net"], "nim");
  auto x = MetaExtractor::builtin(aliases);
  ASSERT_TRUE(x.ok()) << x.error().message;
  EXPECT_GT(x.value()->rule_count(), 50u);
  auto from_dir = MetaExtractor::from_directory(std::string(FMN_DATA_DIR) + "/meta", aliases);
  ASSERT_TRUE(from_dir.ok()) << from_dir.error().message;
  EXPECT_EQ(from_dir.value()->rule_count(), x.value()->rule_count());
}

TEST(MetaExtractor, AliasFileErrors) {
  EXPECT_FALSE(parse_aliases("x = 1", "a.toml").ok());
  auto bad = parse_aliases("[aliases]\nx = 1", "a.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("a.toml: aliases.x"), std::string::npos);
}

TEST(MetaExtractor, VariablesAreSharedByEveryFile) {
  // a.toml's rule and variable use variables that only z.toml, loaded after it, defines.
  std::vector<MetaTableSource> sources{
      {"a.toml",
       "[vars]\nshout = \"{$name | upper}!\"\n"
       "[[rule]]\ntopic = 'a.**'\nsubtitle = '{$shout} {$name}'\n"},
      {"z.toml", "[vars]\nname = '{msg.who}'\n"},
  };
  auto x = MetaExtractor::create(sources, {});
  ASSERT_TRUE(x.ok()) << x.error().message;
  EXPECT_EQ(extract(*x.value(), "a.b", R"({"who":"amy"})").subtitle, "AMY! amy");

  sources[1].text = "[vars]\nshout = 'again'\nname = 'x'\n";
  auto twice = MetaExtractor::create(sources, {});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().message.find("vars.shout: defined twice"), std::string::npos)
      << twice.error().message;
}

}  // namespace
}  // namespace fmn
