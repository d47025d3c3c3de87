#include "tests/codegen/test_corpus.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>

#include "core/envelope_parser.h"
#include "core/meta_extractor.h"
#include "dsl/compile.h"
#include "dsl/literal_text.h"

namespace fmn::testing_support {
namespace {

std::vector<std::unique_ptr<Message>> load_corpus(MetaParts parts) {
  // Kept for the messages' lifetime: complete_meta() extracts with it.
  static const auto extractor = MetaExtractor::builtin(builtin_aliases());
  std::vector<std::unique_ptr<Message>> out;
  if (!extractor) return out;
  for (const char* name : {"/fedmsg-real.jsonl", "/fedmsg-test-examples.jsonl"}) {
    std::ifstream in(std::string(FMN_CORPUS_DIR) + name);
    std::string line;
    while (std::getline(in, line)) {
      auto m = parse_envelope(line);
      if (!m) continue;
      extractor.value()->extract(*m.value(), parts);
      out.push_back(std::move(m).value());
    }
  }
  return out;
}

bool is_name(const std::string& key) {
  if (key.empty() || !(std::isalpha(static_cast<unsigned char>(key[0])) || key[0] == '_')) {
    return false;
  }
  return std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// Leaf paths of a body (depth-limited), with their values.
void collect_paths(const JsonValue& v, const std::string& path, int depth,
                   std::set<std::pair<std::string, std::string>>& strings,
                   std::set<std::pair<std::string, double>>& numbers) {
  if (depth > 4) return;
  if (v.IsString() && v.GetStringLength() < 80) {
    strings.emplace(path, std::string(v.GetString(), v.GetStringLength()));
  } else if (v.IsNumber()) {
    numbers.emplace(path, v.GetDouble());
  } else if (v.IsObject()) {
    for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
      std::string key(m->name.GetString(), m->name.GetStringLength());
      if (is_name(key)) collect_paths(m->value, path + "." + key, depth + 1, strings, numbers);
    }
  } else if (v.IsArray() && !v.Empty()) {
    collect_paths(v[0], path + "[0]", depth + 1, strings, numbers);
  }
}

}  // namespace

const std::vector<std::unique_ptr<Message>>& corpus_messages() {
  static const std::vector<std::unique_ptr<Message>> messages = load_corpus(MetaParts::kAll);
  return messages;
}

std::vector<std::unique_ptr<Message>> corpus_messages_index_meta() {
  return load_corpus(MetaParts::kIndex);
}

std::shared_ptr<const dsl::CompiledRule> compile_one(const std::string& text) {
  dsl::Diagnostics diags;
  auto set = dsl::compile(dsl::SourceFile("sample.fmn", text), diags);
  if (!set || set->rules.size() != 1) return nullptr;
  return std::make_shared<const dsl::CompiledRule>(std::move(set->rules[0]));
}

RuleSampler::RuleSampler(uint32_t seed) : rng_(seed) {
  std::set<std::string> topics, categories, usernames, packages;
  std::set<std::pair<std::string, std::string>> strings;
  std::set<std::pair<std::string, double>> numbers;
  for (const auto& m : corpus_messages()) {
    topics.emplace(m->topic);
    categories.insert(m->meta.category);
    usernames.insert(m->meta.usernames.begin(), m->meta.usernames.end());
    packages.insert(m->meta.packages.begin(), m->meta.packages.end());
    collect_paths(*m->body, "msg", 0, strings, numbers);
  }
  topics_.assign(topics.begin(), topics.end());
  categories_.assign(categories.begin(), categories.end());
  usernames_.assign(usernames.begin(), usernames.end());
  packages_.assign(packages.begin(), packages.end());
  usernames_.push_back("nobody-at-all");
  packages_.push_back("no-such-package");
  string_paths_.assign(strings.begin(), strings.end());
  number_paths_.assign(numbers.begin(), numbers.end());
  string_paths_.emplace_back("msg.no.such.path", "x");
  for (const auto& [path, value] : string_paths_) {
    if (path.find("[0]") != std::string::npos) array_paths_.emplace_back(path, value);
  }
  array_paths_.emplace_back("msg.no.such[0].path", "x");
  words_ = {"bodhi", "update",  "buildsys",          "git",     "copr", "koji",   "prod", "stg",
            "build", "comment", "org.fedoraproject", "receive", "",     "kernel", "ab"};
}

const std::string& RuleSampler::pick(const std::vector<std::string>& from) {
  return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(rng_)];
}

std::string RuleSampler::string_list(const std::vector<std::string>& from) {
  int n = std::uniform_int_distribution<int>(1, 4)(rng_);
  std::string out = "[";
  for (int i = 0; i < n; ++i) out += (i ? ", " : "") + dsl::quote(pick(from));
  return out + "]";
}

std::string RuleSampler::atom() {
  auto q = [](const std::string& s) { return dsl::quote(s); };
  auto one_of = [&](std::initializer_list<const char*> xs) {
    return std::string(
        *(xs.begin() + std::uniform_int_distribution<size_t>(0, xs.size() - 1)(rng_)));
  };
  std::string topic = pick(topics_);
  std::string tail = topic.substr(topic.find('.', topic.size() / 2) + 1);
  const auto& [spath, svalue] =
      string_paths_[std::uniform_int_distribution<size_t>(0, string_paths_.size() - 1)(rng_)];
  const auto& [npath, nvalue] =
      number_paths_[std::uniform_int_distribution<size_t>(0, number_paths_.size() - 1)(rng_)];
  std::string lists =
      one_of({"usernames", "packages", "containers", "modules", "flatpaks", "objects"});
  std::string scalar =
      one_of({"agent", "category", "env", "title", "subtitle", "link", "msg_id", "username"});
  // Named lists too: `missing` is a list no sampled user has (it reads as empty).
  std::string list_param =
      one_of({"$my_packages", "$followed_packages", "$followed_users", "$my_groups",
              "$my_group_packages", "$lists.friends", "$lists.pkgs", "$lists.missing"});
  std::string str_op = one_of({"startswith", "endswith", "contains"});
  std::string cmp = one_of({"==", "!=", "<", "<=", ">", ">="});
  std::string regex = one_of({"\"(?i)^(failed|needs_inspection)$\"", "\".\"", "\"^r\"",
                              "\"[0-9]+\"", "\"(?i)BODHI\"", "\"^$\""});
  // The operators that ignore case, against values whose ASCII letters' case was shuffled.
  auto shuffle_case = [&](std::string s) {
    for (char& c : s) {
      if (std::isalpha(static_cast<unsigned char>(c)) && rng_() % 2) c ^= 0x20;
    }
    return s;
  };
  auto sq = [&](const std::string& s) { return q(shuffle_case(s)); };
  std::string eq_fold = one_of({"==*", "!=*"});
  std::string quantifier = one_of({"any ", "all "});
  switch (std::uniform_int_distribution<int>(0, 38)(rng_)) {
    case 0:
      return "topic ~ " + q("*." + tail);
    case 1:
      return "topic ~ [" + q("*.*.*." + pick(categories_) + ".*") + ", " +
             q("org.fedoraproject.*") + "]";
    case 2:
      return "topic ~ " + q("*" + pick(words_) + "?*");
    case 3:
      return "topic == " + q(topic);
    case 4:
      return "topic " + str_op + " " + (rng_() % 2 ? q(pick(words_)) : string_list(words_));
    case 5:
      return "topic in " + string_list(topics_);
    case 6:
      return "category == " + q(pick(categories_));
    case 7:
      return "category in " + string_list(categories_);
    case 8:
      return "$me in usernames";
    case 9:
      return rng_() % 2 ? "agent == $me" : "$me == agent";
    case 10:
      return scalar + " in " + list_param;
    case 11:
      return lists + " in " + list_param;
    case 12:
      return list_param + " in " + lists;
    case 13:
      return q(pick(packages_)) + " in packages";
    case 14:
      return lists + " in " + string_list(rng_() % 2 ? packages_ : usernames_);
    case 15:
      return spath + " " + cmp + " " + (rng_() % 4 ? q(svalue) : q(pick(words_)));
    case 16:
      return npath + " " + cmp + " " + dsl::format_number(nvalue + (rng_() % 3) - 1.0);
    case 17:
      return spath + " matches " + regex;
    case 18:
      return spath + " " + str_op + " " + q(svalue.substr(0, svalue.size() / 2));
    case 19:
      return "exists " + (rng_() % 2 ? spath : npath);
    case 20:
      return spath + " in [" + q(svalue) + ", " + q(pick(words_)) + ", 1]";
    case 21:
      return npath + " in [1, 2, " + dsl::format_number(nvalue) + "]";
    case 22:
      return "timestamp " + cmp + " 1400000000";
    case 23:
      return scalar + " " + str_op + " " + q(pick(words_));
    case 24:
      return scalar + " matches " + regex;
    case 25:
      return lists + " matches " + regex;
    case 26:
      return lists + " ~ " + q(pick(words_) + "*");
    case 27:
      return scalar + " " + eq_fold + " " + sq(rng_() % 2 ? pick(usernames_) : pick(categories_));
    case 28:
      return rng_() % 2 ? lists + " in* [" + sq(pick(packages_)) + ", " + sq(pick(usernames_)) + "]"
                        : scalar + " in* " + list_param;
    case 29:
      return rng_() % 2 ? "topic ~* " + sq("*." + tail) : lists + " ~* " + sq(pick(words_) + "*");
    case 30:
      return spath + " " + str_op + "* " + sq(svalue.substr(0, svalue.size() / 2));
    case 31:
      return (rng_() % 2 ? scalar : lists) + " " + str_op + "* " + sq(pick(words_));
    case 32:
      return spath + " " + eq_fold + " " + (rng_() % 4 ? sq(svalue) : "$me");
    case 33:  // `any`/`all` over meta lists and parameters
      switch (rng_() % 4) {
        case 0:
          return quantifier + lists + " == " + q(pick(rng_() % 2 ? packages_ : usernames_));
        case 1:
          return quantifier + (rng_() % 2 ? lists : list_param) + " in " +
                 (rng_() % 2 ? list_param : lists);
        case 2:
          return quantifier + lists + " " + str_op + (rng_() % 2 ? "* " : " ") + q(pick(words_));
        default:
          return quantifier + list_param + " " + eq_fold + " " + sq(pick(packages_));
      }
    case 34:
    case 35: {  // `any`/`all` over body arrays: `[*]` for `[0]`, or implied at the end
      const auto& [apath, avalue] =
          array_paths_[std::uniform_int_distribution<size_t>(0, array_paths_.size() - 1)(rng_)];
      std::string every = apath;
      for (size_t at; (at = every.find("[0]")) != std::string::npos;) every.replace(at, 3, "[*]");
      if (rng_() % 3 == 0 && every.ends_with("[*]")) every.resize(every.size() - 3);
      switch (rng_() % 4) {
        case 0:
          return quantifier + every + " " + cmp + " " + (rng_() % 4 ? q(avalue) : q(pick(words_)));
        case 1:
          return quantifier + every + " " + str_op + " " + q(avalue.substr(0, avalue.size() / 2));
        case 2:
          return quantifier + every + " matches " + regex;
        default:
          return quantifier + every + " " + eq_fold + " " + sq(avalue);
      }
    }
    case 37:  // patterns from the user's lists ($lists.missing: nobody has it)
      return one_of({"topic ~ ", "topic ~* ", "not topic ~ "}) +
             one_of({"$lists.globs", "$lists.globs", "$lists.missing"});
    case 38:
      return rng_() % 2
                 ? (rng_() % 2 ? spath : scalar) + " matches $lists.regexes"
                 : quantifier + lists +
                       one_of({" ~ $lists.globs", " ~* $lists.globs", " matches $lists.regexes"});
    default:
      return scalar + " " + cmp + " " + q(rng_() % 2 ? pick(usernames_) : pick(categories_));
  }
}

std::string RuleSampler::expr(int depth) {
  int choice = std::uniform_int_distribution<int>(0, depth > 2 ? 0 : 9)(rng_);
  if (choice <= 3) return atom();
  if (choice == 4) return "not " + expr(depth + 1);
  if (choice == 5) return rng_() % 2 ? "true" : "false";
  const char* op = choice <= 7 ? " and " : " or ";
  int n = std::uniform_int_distribution<int>(2, 4)(rng_);
  std::string out = "(";
  for (int i = 0; i < n; ++i) out += (i ? op : "") + expr(depth + 1);
  return out + ")";
}

std::string RuleSampler::rule_text(const std::string& name) {
  return "rule " + dsl::quote(name) + " = " + expr(0) + "\n";
}

std::vector<std::shared_ptr<const dsl::CompiledRule>> RuleSampler::rules(size_t count) {
  std::vector<std::shared_ptr<const dsl::CompiledRule>> out;
  for (size_t attempt = 0; out.size() < count && attempt < 20 * count; ++attempt) {
    if (auto rule = compile_one(rule_text("r" + std::to_string(out.size())))) {
      out.push_back(std::move(rule));
    }
  }
  return out;
}

dsl::UserParams RuleSampler::params() {
  dsl::UserParams p;
  // Now and then a name in capitals, as a user might type it, for the operators ignoring case.
  auto typed = [&](const std::string& s) {
    if (rng_() % 4) return s;
    std::string out = s;
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
  };
  if (rng_() % 5) p.me = typed(pick(usernames_));
  auto fill = [&](auto& list, const std::vector<std::string>& from) {
    int n = std::uniform_int_distribution<int>(0, 6)(rng_);
    for (int i = 0; i < n; ++i) list.push_back(typed(pick(from)));
  };
  fill(p.my_packages, packages_);
  fill(p.followed_packages, packages_);
  fill(p.my_group_packages, packages_);
  fill(p.followed_users, usernames_);
  fill(p.my_groups, words_);
  // Named lists, each present three times in four (possibly empty), in either order.
  if (rng_() % 4) fill(p.lists.emplace_back(dsl::UserList{"pkgs", {}}).items, packages_);
  if (rng_() % 4) fill(p.lists.emplace_back(dsl::UserList{"friends", {}}).items, usernames_);
  // Lists read as patterns: globs of the corpus' topics and names, regexes, each with an entry
  // that is no pattern (a store written around the validation) and some empty lists.
  if (rng_() % 4) {
    std::vector<std::string>& globs = p.lists.emplace_back(dsl::UserList{"globs", {}}).items;
    int n = std::uniform_int_distribution<int>(0, 4)(rng_);
    for (int i = 0; i < n; ++i) {
      const std::string& t = pick(topics_);
      globs.push_back(rng_() % 2 ? "*" + t.substr(t.find('.', t.size() / 2))
                                 : typed(pick(rng_() % 2 ? usernames_ : packages_)) + "*");
    }
    if (rng_() % 4 == 0) globs.push_back(std::string(300, '*'));
  }
  if (rng_() % 4) {
    std::vector<std::string>& regexes = p.lists.emplace_back(dsl::UserList{"regexes", {}}).items;
    for (const char* r : {"(?i)^(failed|needs_inspection)$", "^r", "[0-9]{3}", "(?i)BODHI",
                          "kernel-(5|6", "\\.fc2[0-9]", "é"}) {
      if (rng_() % 3 == 0) regexes.push_back(r);
    }
  }
  p.normalize();
  return p;
}

}  // namespace fmn::testing_support
