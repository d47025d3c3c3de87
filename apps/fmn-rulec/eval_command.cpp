// `fmn-rulec eval RULES MESSAGES.jsonl`: which rules match which messages, for one user.
// `fmn-rulec explain RULES MESSAGES.jsonl`: why each rule did or did not match, test by test.
// Both read fedmsg envelopes one a line, derive their meta with the built-in table, and bind
// the rules' parameters from --param; or take a user's rules and parameters from a preferences
// file (--prefs FILE --user NAME), and explain then says what would become of each match.
// explain --msg-id ID --redis HOST:PORT takes the message from the service's recent-message
// store instead of a file (sinks/recent_message_lookup.h).

#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "apps/fmn-rulec/commands.h"
#include "apps/fmn-rulec/engine_eval.h"
#include "apps/fmn-rulec/user_rules.h"
#include "core/envelope_parser.h"
#include "core/json_writer.h"
#include "core/meta_extractor.h"
#include "dsl/compile.h"
#include "dsl/explain.h"
#include "dsl/interpreter.h"
#include "dsl/literal_text.h"
#include "prefs/delivery_outlook.h"
#include "sinks/recent_message_lookup.h"
#include "sinks/redis_connection.h"

namespace fmn::rulec {
namespace {

struct EvalOptions {
  std::string rules;
  std::string messages;
  std::vector<std::string> params;
  std::string format = "text";
  std::vector<std::string> rule_names;  // explain: only these
  std::vector<size_t> lines;            // explain: only these
  std::string engine;                   // eval: empty (rule by rule), or the engine's mode
  std::string prefs, user;              // instead of `rules` and --param
  std::string now;                      // explain --prefs: RFC 3339 UTC; empty: the clock's
  std::string msg_id;                   // explain: only the message with this msg_id
  std::string redis;                    // explain: host:port searched for msg_id, not a file
  std::string redis_prefix = sinks::RedisConfig().prefix;
};

// Compiled rules and bound parameters (with the user, from --prefs), or a message on stderr
// and nullopt. Without `messages_file` the messages come from elsewhere (explain --redis).
std::optional<UserRules> load(EvalOptions& opt, const char* command, bool messages_file = true) {
  if (!opt.prefs.empty() || !opt.user.empty()) {
    // The one positional argument given is the messages file.
    if (opt.messages.empty()) std::swap(opt.rules, opt.messages);
    if (opt.prefs.empty() || opt.user.empty() || !opt.rules.empty() || !opt.params.empty() ||
        opt.messages.empty() == messages_file) {
      std::fprintf(stderr,
                   "fmn-rulec %s: --prefs FILE --user NAME MESSAGES replaces RULES and --param\n",
                   command);
      return std::nullopt;
    }
    return load_user_rules(opt.prefs, opt.user, command);
  }
  if (opt.rules.empty() || opt.messages.empty() == messages_file) {
    std::fprintf(stderr, "fmn-rulec %s: expected RULES %s(see --help)\n", command,
                 messages_file ? "MESSAGES " : "and no MESSAGES with --redis ");
    return std::nullopt;
  }
  auto file = dsl::read_source_file(opt.rules);
  if (!file) {
    std::fprintf(stderr, "fmn-rulec %s: %s\n", command, file.error().message.c_str());
    return std::nullopt;
  }
  dsl::Diagnostics diags;
  auto rules = dsl::compile(file.value(), diags);
  for (const Diagnostic& d : diags.all()) {
    std::fputs(render_text(d, file.value().name(), file.value().text()).c_str(), stderr);
  }
  if (!rules) return std::nullopt;
  dsl::UserParams params;
  for (const std::string& p : opt.params) {
    std::string error = dsl::assign_param(params, p);
    if (!error.empty()) {
      std::fprintf(stderr, "fmn-rulec %s: --param %s: %s\n", command, p.c_str(), error.c_str());
      return std::nullopt;
    }
  }
  params.normalize();
  return UserRules{{}, std::move(*rules), {}, std::move(params)};
}

// Calls `each` with every message of the file (meta filled) and its 1-based line number;
// prints unparsable lines to stderr. False if the file cannot be read.
bool for_each_message(const std::string& path, const char* command,
                      const std::function<void(const Message&, size_t)>& each) {
  auto extractor = MetaExtractor::builtin(builtin_aliases());
  if (!extractor) {
    std::fprintf(stderr, "fmn-rulec %s: %s\n", command, extractor.error().message.c_str());
    return false;
  }
  std::ifstream file;
  if (path != "-") file.open(path);
  if (path != "-" && !file) {
    std::fprintf(stderr, "fmn-rulec %s: %s: cannot open\n", command, path.c_str());
    return false;
  }
  std::istream& in = path == "-" ? std::cin : file;
  std::string line;
  for (size_t n = 1; std::getline(in, line); ++n) {
    auto m = parse_envelope(line);
    if (!m) {
      std::fprintf(stderr, "%s:%zu: %s\n", path.c_str(), n, m.error().message.c_str());
      continue;
    }
    extractor.value()->extract(*m.value());
    each(*m.value(), n);
  }
  return !in.bad();
}

std::string json_line(size_t line, const Message& m, const std::vector<std::string>& matched) {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("line");
  w.Uint64(line);
  w.Key("topic");
  w.String(m.topic.data(), static_cast<rapidjson::SizeType>(m.topic.size()));
  w.Key("msg_id");
  w.String(m.msg_id.data(), static_cast<rapidjson::SizeType>(m.msg_id.size()));
  w.Key("matched");
  w.StartArray();
  for (const std::string& name : matched) {
    w.String(name.data(), static_cast<rapidjson::SizeType>(name.size()));
  }
  w.EndArray();
  w.EndObject();
  return buffer.GetString();
}

int run_eval(EvalOptions& opt) {
  auto loaded = load(opt, "eval");
  if (!loaded) return 1;
  const dsl::RuleSet& rules = loaded->rules;
  const dsl::UserParams& params = loaded->params;
  RuleMatcher matcher = [&](const Message& m, std::vector<size_t>& hits) {
    hits.clear();
    for (size_t r = 0; r < rules.rules.size(); ++r) {
      if (dsl::evaluate(rules.rules[r], m, params)) hits.push_back(r);
    }
  };
  if (!opt.engine.empty()) {
    auto built = engine_matcher(rules, params, opt.engine);
    if (!built) {
      std::fprintf(stderr, "fmn-rulec eval: %s\n", built.error().message.c_str());
      return 1;
    }
    matcher = std::move(built).value();
  }
  std::vector<size_t> counts(rules.rules.size());
  size_t messages = 0;
  std::vector<size_t> hits;
  bool ok = for_each_message(opt.messages, "eval", [&](const Message& m, size_t line) {
    ++messages;
    std::vector<std::string> matched;
    matcher(m, hits);
    for (size_t r : hits) {
      ++counts[r];
      matched.push_back(rules.rules[r].name);
    }
    if (opt.format == "json") {
      std::puts(json_line(line, m, matched).c_str());
    } else {
      for (const std::string& name : matched) {
        std::printf("%s:%zu %.*s: %s\n", opt.messages.c_str(), line,
                    static_cast<int>(m.topic.size()), m.topic.data(), dsl::quote(name).c_str());
      }
    }
  });
  if (opt.format == "text") {
    std::fprintf(stderr, "%zu messages\n", messages);
    for (size_t r = 0; r < rules.rules.size(); ++r) {
      std::fprintf(stderr, "%6zu  %s\n", counts[r], dsl::quote(rules.rules[r].name).c_str());
    }
  }
  return ok ? 0 : 1;
}

// The message with opt.msg_id in the recent-message store at opt.redis, meta filled; or a
// message on stderr and null.
std::unique_ptr<Message> recent_message(const EvalOptions& opt) {
  auto extractor = MetaExtractor::builtin(builtin_aliases());
  auto m = extractor
               ? sinks::find_recent_message(opt.redis, opt.redis_prefix, opt.msg_id, **extractor)
               : Result<std::unique_ptr<Message>>(extractor.error());
  if (!m) {
    std::fprintf(stderr, "fmn-rulec explain: %s\n", m.error().message.c_str());
    return nullptr;
  }
  return std::move(m).value();
}

int run_explain(EvalOptions& opt) {
  const bool from_redis = !opt.redis.empty();
  if (from_redis && (opt.msg_id.empty() || !opt.lines.empty())) {
    std::fputs("fmn-rulec explain: --redis needs --msg-id (and takes no --line)\n", stderr);
    return 1;
  }
  auto loaded = load(opt, "explain", !from_redis);
  if (!loaded) return 1;
  const dsl::RuleSet& rules = loaded->rules;
  const dsl::UserParams& params = loaded->params;
  for (const std::string& name : opt.rule_names) {
    bool known = false;
    for (const dsl::CompiledRule& r : rules.rules) known = known || r.name == name;
    if (!known) {
      std::fprintf(stderr, "fmn-rulec explain: no rule named %s\n", dsl::quote(name).c_str());
      return 1;
    }
  }
  auto wanted = [&](const auto& list, const auto& x) {
    return list.empty() || std::find(list.begin(), list.end(), x) != list.end();
  };
  auto now = prefs::outlook_time(opt.now);
  if (!now) {
    std::fprintf(stderr, "fmn-rulec explain: --now: expected a time like 2024-05-01T21:30:00Z\n");
    return 1;
  }
  // `where`: the file and line, or the store and msg_id.
  auto explain = [&](const Message& m, const std::string& where) {
    std::printf("%s %.*s\n", where.c_str(), static_cast<int>(m.topic.size()), m.topic.data());
    for (size_t r = 0; r < rules.rules.size(); ++r) {
      const dsl::CompiledRule& rule = rules.rules[r];
      if (!wanted(opt.rule_names, rule.name)) continue;
      std::vector<dsl::ExplainLine> lines = dsl::explain(rule, m, params);
      std::fputs(dsl::render_explanation(rule, lines).c_str(), stdout);
      if (!opt.prefs.empty() && !lines.empty() && lines[0].result) {
        std::fputs(prefs::describe_delivery(loaded->user, loaded->rule_of[r], *now).c_str(),
                   stdout);
      }
    }
    std::puts("");
  };
  if (from_redis) {
    std::unique_ptr<Message> m = recent_message(opt);
    if (m == nullptr) return 1;
    explain(*m, "recent messages in " + opt.redis + ", msg_id " + opt.msg_id + ":");
    return 0;
  }
  bool ok = for_each_message(opt.messages, "explain", [&](const Message& m, size_t line) {
    if (!wanted(opt.lines, line) || (!opt.msg_id.empty() && m.msg_id != opt.msg_id)) return;
    explain(m, opt.messages + ":" + std::to_string(line));
  });
  return ok ? 0 : 1;
}

void add_common_options(CLI::App* cmd, EvalOptions& opt) {
  cmd->add_option("rules", opt.rules, "Rule file (.fmn); not with --prefs");
  cmd->add_option("messages", opt.messages, "JSON-lines file of fedmsg envelopes (- for stdin)");
  cmd->add_option("--prefs", opt.prefs,
                  "Take the rules and parameters of --user from this preferences file (TOML) "
                  "instead of RULES and --param");
  cmd->add_option("--user", opt.user, "The user of --prefs");
  std::string names;
  for (const dsl::ParamInfo& p : dsl::all_params()) {
    names += (names.empty() ? "" : ", ") + std::string("$") + std::string(p.name);
  }
  cmd->add_option("-p,--param", opt.params,
                  "A parameter of the user the rules are for: --param me=ralph, --param "
                  "my_packages=kernel,systemd (repeatable; lists are comma-separated). "
                  "Parameters: " +
                      names);
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto opt = std::make_shared<EvalOptions>();
  CLI::App* cmd = app.add_subcommand(
      "eval",
      "Evaluate every rule of a file against every message of a JSON-lines file, for the user "
      "described by --param, and print which rules each message matched (text: matching "
      "messages only, counts per rule on stderr; json: one object per message)");
  add_common_options(cmd, *opt);
  cmd->add_option("--format", opt->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--engine", opt->engine,
                  "Match through the rule engine (index, then interp: the interpreter, jit: "
                  "native code, auto: tiered) instead of evaluating each rule in turn")
      ->check(CLI::IsMember({"interp", "jit", "auto"}));
  cmd->footer(
      "Example: fmn-rulec eval data/rules/fmn-defaults.fmn corpus/fedmsg-real.jsonl "
      "-p me=ralph -p my_packages=kernel,python-sh");
  cmd->callback([opt] { exit_status() = run_eval(*opt); });
}

void add_explain_command(CLI::App& app) {
  auto opt = std::make_shared<EvalOptions>();
  CLI::App* cmd = app.add_subcommand(
      "explain",
      "Explain, test by test, why each rule did or did not match each message: the result of "
      "every test, whether it was needed, and the values of the fields and parameters it read");
  add_common_options(cmd, *opt);
  cmd->add_option("-r,--rule", opt->rule_names, "Only this rule (repeatable)");
  cmd->add_option("-l,--line", opt->lines, "Only the message on this line (repeatable)");
  cmd->add_option("--now", opt->now,
                  "With --prefs: explain delivery as of this time (2024-05-01T21:30:00Z; "
                  "default: now), for quiet hours, snoozes, mutes and digest times");
  cmd->add_option("--msg-id", opt->msg_id, "Only the message with this msg_id");
  cmd->add_option("--redis", opt->redis,
                  "HOST:PORT of the service's Redis (state.redis): the message of --msg-id is "
                  "taken from its recent-message store, and no MESSAGES file is read");
  cmd->add_option("--redis-prefix", opt->redis_prefix, "Prefix of the service's Redis keys")
      ->capture_default_str();
  cmd->footer(
      "Example: fmn-rulec explain data/rules/fmn-defaults.fmn corpus/fedmsg-real.jsonl "
      "-p me=ralph -l 32 -r \"Events referring to my username\"\n"
      "   or: fmn-rulec explain --prefs data/prefs/default.toml --user ralph "
      "corpus/fedmsg-real.jsonl -l 32\n"
      "   or: fmn-rulec explain --prefs data/prefs/default.toml --user ralph --msg-id ID "
      "--redis localhost:6379\nA result in parentheses was not needed: an earlier test "
      "had already decided. With --prefs, each match is followed by what would become of it: "
      "delivered at once, held for a digest (and when it is due), held by quiet hours or a "
      "snooze, held until the destination is confirmed, not delivered while muted, or nothing "
      "(rule or user disabled).");
  cmd->callback([opt] { exit_status() = run_explain(*opt); });
}

}  // namespace fmn::rulec
