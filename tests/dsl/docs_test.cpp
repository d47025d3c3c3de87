// docs/rules-language.md is checked, not trusted: every `fmn` block compiles and round-trips,
// every result it states holds on the corpus message it names, every diagnostic example prints
// exactly as shown, every `$ fmn-rulec` transcript matches the tool's output, and every field,
// parameter and diagnostic code is documented.
#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <set>
#include <sstream>

#include "dsl/fields.h"
#include "dsl/interpreter.h"
#include "tests/dsl/dsl_test_support.h"

namespace fmn::dsl {
namespace {

struct Block {
  std::string lang;
  std::string text;
  int line;  // of the opening fence, 1-based
};

const std::string& doc() {
  static const std::string text = testing::read_file(FMN_SOURCE_DIR "/docs/rules-language.md");
  return text;
}

std::vector<Block> blocks() {
  std::vector<Block> out;
  std::istringstream in(doc());
  std::string line;
  int n = 0;
  Block* open = nullptr;
  while (std::getline(in, line)) {
    ++n;
    if (line.starts_with("```")) {
      if (open) {
        open = nullptr;
      } else {
        out.push_back({line.substr(3), "", n});
        open = &out.back();
      }
    } else if (open) {
      open->text += line + "\n";
    }
  }
  return out;
}

// The example user of the tour.
UserParams example_user() {
  UserParams p;
  p.me = "ralph";
  p.my_packages = {"kernel", "python-sh", "control-center"};
  p.my_groups = {"sysadmin-main"};
  p.my_group_packages = {"ansible"};
  p.followed_packages = {"64tass"};
  p.followed_users = {"kevin"};
  p.normalize();
  return p;
}

// "# fedmsg-real.jsonl:14 -> match": the corpus file, the line and the expected answer.
struct StatedResult {
  std::string corpus;
  size_t line = 0;
  bool match = false;
};

std::optional<StatedResult> stated_result(const std::string& line) {
  for (const char* corpus : {"fedmsg-real", "fedmsg-test-examples"}) {
    std::string head = "# " + std::string(corpus) + ".jsonl:";
    if (!line.starts_with(head)) continue;
    size_t arrow = line.find(" -> ");
    if (arrow == std::string::npos) return std::nullopt;
    std::string number = line.substr(head.size(), arrow - head.size());
    std::string answer = line.substr(arrow + 4);
    if (number.empty() || number.find_first_not_of("0123456789") != std::string::npos ||
        (answer != "match" && answer != "no match")) {
      return std::nullopt;
    }
    return StatedResult{corpus, std::stoul(number), answer == "match"};
  }
  return std::nullopt;
}

TEST(Docs, ExamplesCompileAndTheirResultsHold) {
  int examples = 0, results = 0;
  for (const Block& b : blocks()) {
    if (b.lang != "fmn") continue;
    ++examples;
    SCOPED_TRACE("docs/rules-language.md:" + std::to_string(b.line));
    RuleSet rules = testing::compile_ok(b.text);
    testing::expect_round_trips("example", b.text);
    UserParams params = example_user();
    std::istringstream in(b.text);
    std::string line, rule;
    while (std::getline(in, line)) {
      if (line.starts_with("rule \"")) rule = line.substr(6, line.find('"', 6) - 6);
      if (line.starts_with("# with ")) {
        std::istringstream assignments(line.substr(7));
        std::string a;
        while (std::getline(assignments, a, ';')) {
          a.erase(0, a.find_first_not_of(' '));
          EXPECT_EQ(assign_param(params, a), "") << a;
        }
        params.normalize();
      }
      std::optional<StatedResult> r = stated_result(line);
      if (!r) {
        EXPECT_FALSE(line.starts_with("# fedmsg")) << "malformed result line: " << line;
        continue;
      }
      ++results;
      const testing::Corpus& corpus =
          r->corpus == "fedmsg-real" ? testing::Corpus::real() : testing::Corpus::examples();
      EXPECT_EQ(evaluate(testing::rule_named(rules, rule), corpus.line(r->line), params), r->match)
          << "rule \"" << rule << "\" on " << r->corpus << ".jsonl:" << r->line;
    }
  }
  EXPECT_GE(examples, 10);
  EXPECT_GE(results, 25);
}

TEST(Docs, DiagnosticExamplesPrintAsShown) {
  std::vector<Block> all = blocks();
  std::set<std::string> shown;
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].lang != "fmn-error") continue;
    SCOPED_TRACE("docs/rules-language.md:" + std::to_string(all[i].line));
    ASSERT_LT(i + 1, all.size());
    ASSERT_EQ(all[i + 1].lang, "text");
    SourceFile file("example.fmn", all[i].text);
    Diagnostics diags;
    compile(file, diags);
    std::string rendered;
    for (const Diagnostic& d : diags.all()) {
      rendered += render_text(d, file.name(), file.text());
      shown.insert(std::string(d.code));
    }
    EXPECT_EQ(rendered, all[i + 1].text);
  }
  for (const CodeInfo& c : all_codes()) {
    EXPECT_TRUE(shown.contains(std::string(c.id))) << c.id << " has no example";
    EXPECT_NE(doc().find("### " + std::string(c.id) + "\n"), std::string::npos) << c.id;
  }
}

TEST(Docs, TranscriptsMatchTheTool) {
  int transcripts = 0;
  for (const Block& b : blocks()) {
    if (b.lang != "text" || !b.text.starts_with("$ fmn-rulec ")) continue;
    ++transcripts;
    SCOPED_TRACE("docs/rules-language.md:" + std::to_string(b.line));
    std::string command = b.text.substr(2, b.text.find('\n') - 2);
    std::string shell = "cd '" FMN_SOURCE_DIR "' && '" FMN_BIN_DIR "/fmn-rulec' " +
                        command.substr(command.find(' ') + 1) + " 2>&1";
    FILE* p = popen(shell.c_str(), "r");
    std::string out;
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    pclose(p);
    // Each shown line appears in the output, in order; "..." stands for lines left out.
    std::istringstream shown(b.text.substr(b.text.find('\n') + 1));
    std::string line;
    size_t at = 0;
    while (std::getline(shown, line)) {
      if (line == "...") continue;
      size_t found = out.find(line + "\n", at);
      EXPECT_NE(found, std::string::npos) << "not in the output of " << command << ":\n"
                                          << line << "\n--- output:\n"
                                          << out;
      if (found != std::string::npos) at = found + line.size();
    }
  }
  EXPECT_GE(transcripts, 2);
}

TEST(Docs, ThePreferencesGuideSaysWhatFillsEachParameter) {
  const std::string prefs = testing::read_file(FMN_SOURCE_DIR "/docs/preferences.md");
  for (const ParamInfo& p : all_params()) {
    std::string row = "| `$" + std::string(p.name) + "` | " +
                      (p.filled_from.empty() ? std::string("nothing yet")
                                             : "`" + std::string(p.filled_from) + "`");
    EXPECT_NE(prefs.find(row), std::string::npos) << row;
  }
}

TEST(Docs, EveryFieldAndParameterIsListed) {
  for (const FieldInfo& f : all_fields()) {
    EXPECT_NE(doc().find("| `" + std::string(f.name) + "` |"), std::string::npos) << f.name;
  }
  for (const ParamInfo& p : all_params()) {
    EXPECT_NE(doc().find("| `$" + std::string(p.name) + "` |"), std::string::npos) << p.name;
  }
}

}  // namespace
}  // namespace fmn::dsl
