// No input makes the front end or the interpreter misbehave: thousands of mutated rule files
// (fixed seed, so failures reproduce) are compiled; diagnostics stay inside the file and
// render; whatever compiles evaluates on corpus messages, formats and round-trips.
#include <gtest/gtest.h>

#include <random>

#include "dsl/interpreter.h"
#include "tests/dsl/dsl_test_support.h"

namespace fmn::dsl {
namespace {

const char* const kTokens[] = {"(", ")",    "\"", "and", "or",    "not",   "==",      "[",
                               "]", "$",    ".",  "#",   "\n",    "rule ", "def ",    "msg.",
                               "~", "\\",   ",",  "=",   "!",     "&&",    "exists ", "3",
                               "-", "\xc3", "\t", "in ", "\"*\"", "$me",   "topic",   "[0]"};

std::string mutate(std::string s, std::mt19937& rng) {
  int edits = 1 + static_cast<int>(rng() % 3);
  for (int i = 0; i < edits && !s.empty(); ++i) {
    size_t at = rng() % s.size();
    size_t len = 1 + rng() % 12;
    switch (rng() % 3) {
      case 0:
        s.erase(at, len);
        break;
      case 1:
        s.insert(at, kTokens[rng() % std::size(kTokens)]);
        break;
      case 2:
        s.insert(at, s.substr(rng() % s.size(), len));
        break;
    }
  }
  return s;
}

TEST(Robustness, MutatedFilesNeverMisbehave) {
  std::vector<std::string> seeds;
  for (const char* f : {"fmn-defaults.fmn", "fmn-classic.fmn", "tour.fmn"}) {
    seeds.push_back(testing::read_file(std::string(FMN_SOURCE_DIR "/data/rules/") + f));
  }
  std::mt19937 rng(20240601);
  const testing::Corpus& corpus = testing::Corpus::real();
  UserParams user = testing::params("ralph", {"kernel", "sqlite"});
  int compiled = 0, rejected = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string text = mutate(seeds[i % seeds.size()], rng);
    SourceFile file("m.fmn", text);
    Diagnostics diags;
    auto rules = compile(file, diags);
    for (const Diagnostic& d : diags.all()) {
      ASSERT_LE(std::pair(d.span.line, d.span.column),
                std::pair(d.span.end_line, d.span.end_column))
          << text;
      ASSERT_LE(d.span.end_line, file.line_count()) << text;
      ASSERT_FALSE(render_text(d, file.name(), file.text()).empty());
    }
    if (!rules) {
      ++rejected;
      ASSERT_TRUE(diags.has_errors()) << text;
      continue;
    }
    ++compiled;
    for (const CompiledRule& r : rules->rules) {
      for (size_t line = 1; line <= corpus.size(); line += 37) evaluate(r, corpus.line(line), user);
    }
    testing::expect_round_trips("m.fmn", text);
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << "mutated file:\n" << text;
      return;
    }
  }
  // Both outcomes happen often: the mutations exercise the error paths and the rest.
  EXPECT_GT(compiled, 300);
  EXPECT_GT(rejected, 300);
}

}  // namespace
}  // namespace fmn::dsl
