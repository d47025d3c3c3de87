#include "core/meta_helpers.h"

#include <gtest/gtest.h>

#include "core/envelope_parser.h"
#include "core/meta_template.h"

namespace fmn::meta {
namespace {

// Renders `tmpl` against a message with body `body`, or "<missing>".
std::string render(std::string_view tmpl, std::string_view body = "{}",
                   const StringMap& aliases = {}, const Scope& scope = {}) {
  auto m = parse_envelope(R"({"topic":"org.fedoraproject.prod.svc.thing.done","msg":)" +
                          std::string(body) + "}");
  EXPECT_TRUE(m.ok());
  auto t = Template::compile(tmpl, scope);
  EXPECT_TRUE(t.ok()) << t.error().message;
  if (!t.ok()) return "<bad template>";
  return t.value().render({*m.value(), aliases}).value_or("<missing>");
}

TEST(MetaHelpers, NvrToNameDropsVersionAndRelease) {
  EXPECT_EQ(render("{'fedmsg-1.0-1.fc20' | nvr_to_name}"), "fedmsg");
  EXPECT_EQ(render("{'python-arrow-0.4.2-3.el7' | nvr_to_name}"), "python-arrow");
  EXPECT_EQ(render("{'plain' | nvr_to_name}"), "plain");
}

TEST(MetaHelpers, AccountFollowsEmailToFas) {
  StringMap aliases{{"rbean@redhat.com", "ralph"}, {"threebean", "ralph"}};
  EXPECT_EQ(render("{'rbean@redhat.com' | account}", "{}", aliases), "ralph");
  EXPECT_EQ(render("{'threebean' | account}", "{}", aliases), "ralph");
  EXPECT_EQ(render("{'pingou@fedoraproject.org' | account}", "{}", aliases), "pingou");
  EXPECT_EQ(render("{'who@example.com' | account}", "{}", aliases), "who@example.com");
  EXPECT_EQ(render("{'who@example.com' | known_account}", "{}", aliases), "<missing>");
  EXPECT_EQ(render("{'rbean@redhat.com' | known_account}", "{}", aliases), "ralph");
}

TEST(MetaHelpers, TextHelpers) {
  EXPECT_EQ(render("{'a/b/c.txt' | basename}"), "c.txt");
  EXPECT_EQ(render("{'a.b.c' | split('.', -1)}"), "c");
  EXPECT_EQ(render("{'a.b.c' | split('.', 5)}"), "<missing>");
  EXPECT_EQ(render("{'a b,c' | replace(' ', ',') | split(',') | join('+')}"), "a+b+c");
  EXPECT_EQ(render("{'x.pipeline.a.b' | after('.pipeline.')}"), "a.b");
  EXPECT_EQ(render("{'abc' | after('z')}"), "<missing>");
  EXPECT_EQ(render("{'MiXed' | lower}{'MiXed' | upper}"), "mixedMIXED");
  EXPECT_EQ(render("{'  pad ' | strip}"), "pad");
  EXPECT_EQ(render("{'user@host' | unless_contains('@')}"), "<missing>");
}

TEST(MetaHelpers, PrefixAndEllipsizeCountCharactersNotBytes) {
  EXPECT_EQ(render("{'0123456789abcdef' | prefix(8)}"), "01234567");
  EXPECT_EQ(render("{'h\u00e9llo' | prefix(2)}"), "h\u00e9");
  EXPECT_EQ(render("{'abcdef' | ellipsize(3)}"), "abc...");
  EXPECT_EQ(render("{'ab' | ellipsize(3)}"), "ab");
}

TEST(MetaHelpers, ListHelpers) {
  const char* body = R"({"l":["b","a","c","a"],"o":{"k1":1,"k2":2},"n":[]})";
  EXPECT_EQ(render("{msg.l | count}", body), "4");
  EXPECT_EQ(render("{msg.o | count}", body), "2");
  EXPECT_EQ(render("{msg.l | first}{msg.l | last}{msg.l | at(1)}", body), "baa");
  EXPECT_EQ(render("{msg.o | keys | join(',')}", body), "k1,k2");
  EXPECT_EQ(render("{msg.l | unique | join(',')}", body), "b,a,c");
  EXPECT_EQ(render("{msg.l | series}", body), "a, b, and c");
  EXPECT_EQ(render("{msg.n | series}", body), "(nothing)");
  EXPECT_EQ(render("{msg.l | contains('c')}{msg.l | contains('z')}", body), "TrueFalse");
}

TEST(MetaHelpers, SeriesFollowsListToSeries) {
  EXPECT_EQ(render("{msg | series}", R"(["x"])"), "x");
  EXPECT_EQ(render("{msg | series}", R"(["y","x"])"), "x and y");
  EXPECT_EQ(render("{msg | series}", R"(["d","c","b","a"])"), "a, b, and 2 others");
}

TEST(MetaHelpers, MentionsFindsAtNames) {
  EXPECT_EQ(render("{msg.t | mentions | join(',')}", R"({"t":"thanks @ralph and @lmacken!"})"),
            "ralph,lmacken");
}

TEST(MetaHelpers, MapLooksUpNamedTableWithDefault) {
  Scope scope;
  scope.maps["state"] = {{"0", "started"}, {"1", "completed"}};
  scope.maps["status"] = {{"success", "passed"}, {"*", "failed"}};
  EXPECT_EQ(render("{msg.s | map('state')}", R"({"s":1})", {}, scope), "completed");
  EXPECT_EQ(render("{msg.s | map('state')}", R"({"s":7})", {}, scope), "<missing>");
  EXPECT_EQ(render("{msg.s | map('status')}", R"({"s":"boom"})", {}, scope), "failed");
}

TEST(MetaHelpers, ElementwiseHelpersMapOverLists) {
  EXPECT_EQ(render("{msg.b[*].nvr | nvr_to_name | join(' ')}",
                   R"({"b":[{"nvr":"a-1-1"},{"nvr":"b-c-2-3"}]})"),
            "a b-c");
}

TEST(MetaHelpers, CapitalizeAndIsDigitsFollowPython) {
  EXPECT_EQ(render("{'rawhide' | capitalize}"), "Rawhide");
  EXPECT_EQ(render("{'bIKESHED' | capitalize}"), "Bikeshed");
  EXPECT_EQ(render("{'27' | capitalize}"), "27");
  EXPECT_EQ(render("{msg.l | is_digits | join(',')}", R"({"l":["27","2a","", "x9"]})"),
            "True,False,False,False");
}

TEST(MetaHelpers, NonemptyDropsFalsyItems) {
  EXPECT_EQ(render("{msg.l[*] | nonempty | join(',')}", R"({"l":["a","",null,0,"b"]})"), "a,b");
  EXPECT_EQ(render("{msg.s | nonempty}", R"({"s":""})"), "<missing>");
  EXPECT_EQ(render("{msg.s | nonempty}", R"({"s":"x"})"), "x");
}

TEST(MetaHelpers, StripCharsStripsASetOfCharacters) {
  EXPECT_EQ(render("{'/a/b/compose/' | strip_chars('/') | strip_chars('/compose')}"), "a/b");
  EXPECT_EQ(render("{'x.n.0/compose' | strip_chars('/compose')}"), "x.n.0");
  EXPECT_EQ(render("{'//' | strip_chars('/')}"), "");
}

TEST(MetaHelpers, LookupAndWithinReadTheBodyAtAPath) {
  const char* body = R"({"map":{"gh":"fas"},"deep":{"pkg":"glib2-2.4-1"},"login":"gh"})";
  EXPECT_EQ(render("{msg.login | lookup('map')}", body), "fas");
  EXPECT_EQ(render("{'other' | lookup('map')}", body), "<missing>");
  EXPECT_EQ(render("{'other' | lookup('map') ?? 'other'}", body), "other");
  EXPECT_EQ(render("{'gh' | lookup('nothing')}", body), "<missing>");
  EXPECT_EQ(render("{'2.4-1' | within('deep.pkg')}", body), "True");
  EXPECT_EQ(render("{'2.5' | within('deep.pkg')}", body), "False");
  EXPECT_EQ(render("{'2.4' | within('deep.none')}", body), "False");
}

TEST(MetaHelpers, OxfordListsItemsInOrder) {
  EXPECT_EQ(render("{msg.l | oxford('\\'')}", R"({"l":["b"]})"), "'b'");
  EXPECT_EQ(render("{msg.l | oxford('\\'')}", R"({"l":["b","a"]})"), "'b' and 'a'");
  EXPECT_EQ(render("{msg.l[*].f | oxford('\\'')}", R"({"l":[{"f":"c"},{"f":"a"},{"f":"c"}]})"),
            "'c', 'a', and 'c'");
  EXPECT_EQ(render("{msg.l | oxford}", R"({"l":["x","y","z"]})"), "x, y, and z");
  EXPECT_EQ(render("{msg.l | oxford ?? 'nothing'}", R"({"l":[]})"), "nothing");
}

}  // namespace
}  // namespace fmn::meta
