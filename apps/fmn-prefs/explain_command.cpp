// `fmn-prefs explain USER (--message FILE:LINE | --msg-id ID (--messages FILE | --redis ADDR))`:
// why a stored user did or did not get a message — each rule's tests against it, and for a
// match what would become of it (delivered at once, digest, pending confirmation, disabled).
// With --redis the message comes from the service's recent-message store
// (sinks/redis_recent_messages.h), so nobody has to find it by hand.
#include <cstdio>
#include <fstream>

#include "apps/fmn-prefs/commands.h"
#include "core/envelope_parser.h"
#include "core/meta_extractor.h"
#include "dsl/explain.h"
#include "prefs/delivery_outlook.h"
#include "prefs/dsl_rule_validator.h"
#include "sinks/recent_message_lookup.h"
#include "sinks/redis_connection.h"

namespace fmn::prefs_cli {
namespace {

struct ExplainOptions {
  std::string user;
  std::string message;   // FILE:LINE
  std::string msg_id;    // with `messages`
  std::string messages;  // JSON-lines file searched for msg_id
  std::string redis;     // host:port of the recent-message store searched for msg_id
  std::string redis_prefix = sinks::RedisConfig().prefix;
  std::string now;  // RFC 3339 UTC; empty: the clock's
};

// The meta extractor every message read here goes through.
const MetaExtractor* meta_extractor() {
  static auto extractor = MetaExtractor::builtin(builtin_aliases());
  if (!extractor) {
    fail(extractor.error().message);
    return nullptr;
  }
  return extractor->get();
}

// The message with opt.msg_id in the recent-message store in Redis.
std::unique_ptr<Message> find_recent_message(const ExplainOptions& opt, std::string& where) {
  const MetaExtractor* meta = meta_extractor();
  if (meta == nullptr) return nullptr;
  auto m = sinks::find_recent_message(opt.redis, opt.redis_prefix, opt.msg_id, *meta);
  if (!m) {
    fail(m.error().message);
    return nullptr;
  }
  where = "recent messages in " + opt.redis;
  return std::move(m).value();
}

// The message chosen by the options, meta filled, with where it was found; or a failure.
std::unique_ptr<Message> find_message(const ExplainOptions& opt, std::string& where) {
  if (!opt.redis.empty()) return find_recent_message(opt, where);
  std::string path = opt.messages;
  size_t wanted_line = 0;
  if (!opt.message.empty()) {
    size_t colon = opt.message.rfind(':');
    if (colon == std::string::npos || colon + 1 == opt.message.size() ||
        opt.message.find_first_not_of("0123456789", colon + 1) != std::string::npos) {
      fail("--message: expected FILE:LINE, got '" + opt.message + "'");
      return nullptr;
    }
    path = opt.message.substr(0, colon);
    wanted_line = std::stoul(opt.message.substr(colon + 1));
  }
  std::ifstream in(path);
  if (!in) {
    fail("cannot read " + path);
    return nullptr;
  }
  std::string line;
  for (size_t n = 1; std::getline(in, line); ++n) {
    if (wanted_line != 0 && n != wanted_line) continue;
    auto m = parse_envelope(line);
    if (!m) {
      if (wanted_line == 0) continue;
      fail(path + ":" + std::to_string(n) + ": " + m.error().message);
      return nullptr;
    }
    if (wanted_line == 0 && m.value()->msg_id != opt.msg_id) continue;
    const MetaExtractor* meta = meta_extractor();
    if (meta == nullptr) return nullptr;
    meta->extract(*m.value());
    where = path + ":" + std::to_string(n);
    return std::move(m).value();
  }
  fail(wanted_line != 0 ? path + " has no line " + std::to_string(wanted_line)
                        : "no message with msg_id " + opt.msg_id + " in " + path);
  return nullptr;
}

void run_explain(const ExplainOptions& opt) {
  const bool one_place = opt.messages.empty() != opt.redis.empty();
  if (opt.message.empty() == opt.msg_id.empty() || (!opt.msg_id.empty() && !one_place) ||
      (!opt.message.empty() && !opt.redis.empty())) {
    return fail(
        "say which message: --message FILE:LINE, or --msg-id ID with --messages FILE or "
        "--redis HOST:PORT");
  }
  auto now = prefs::outlook_time(opt.now);
  if (!now) return fail("--now: expected a time like 2024-05-01T21:30:00Z");
  prefs::User user;
  if (!load_user(opt.user, user)) return;
  std::string where;
  std::unique_ptr<Message> m = find_message(opt, where);
  if (m == nullptr) return;
  const std::string msg_id = m->msg_id.empty() ? "none" : std::string(m->msg_id);
  std::printf("%s %.*s (msg_id %s)\n", where.c_str(), static_cast<int>(m->topic.size()),
              m->topic.data(), msg_id.c_str());
  dsl::RuleCompiler compiler;
  prefs::CompiledUserRules compiled = prefs::compile_user_rules(user, compiler);
  for (const std::string& error : compiled.errors) std::fputs(error.c_str(), stdout);
  const dsl::UserParams params = prefs::rule_params(user);
  bool any = false;
  for (size_t r = 0; r < compiled.rules.rules.size(); ++r) {
    const dsl::CompiledRule& rule = compiled.rules.rules[r];
    std::vector<dsl::ExplainLine> lines = dsl::explain(rule, *m, params);
    std::fputs(dsl::render_explanation(rule, lines).c_str(), stdout);
    if (!lines.empty() && lines[0].result) {
      any = true;
      std::fputs(prefs::describe_delivery(user, compiled.rule_of[r], *now).c_str(), stdout);
    }
  }
  if (!any) std::printf("no rule of %s matches this message\n", user.name.c_str());
}

}  // namespace

void add_explain_command(CLI::App& app) {
  static ExplainOptions opt;
  auto* explain = app.add_subcommand(
      "explain",
      "Why a user did or did not get a message: each of the user's stored rules tested against "
      "it, and for a match what becomes of it (delivered at once, held for a digest and when it "
      "is due, held by quiet hours or a snooze or a confirmation, dropped while muted, nothing "
      "when disabled). "
      "Digests already waiting are not read: `fmn-prefs digests USER` lists them.");
  explain->add_option("user", opt.user, "Account name")->required();
  explain->add_option("--message", opt.message, "The message on line LINE of FILE (JSON lines)");
  explain->add_option("--msg-id", opt.msg_id,
                      "The message with this msg_id in --messages or --redis");
  explain->add_option("--messages", opt.messages, "JSON-lines file searched for --msg-id");
  explain->add_option("--redis", opt.redis,
                      "HOST:PORT of the service's Redis (state.redis): its recent-message store "
                      "is searched for --msg-id");
  explain->add_option("--redis-prefix", opt.redis_prefix, "Prefix of the service's Redis keys");
  explain->add_option("--now", opt.now,
                      "Explain delivery as of this time (2024-05-01T21:30:00Z; default: now), for "
                      "quiet hours, snoozes, mutes and digest times");
  explain->callback([] { run_explain(opt); });
}

}  // namespace fmn::prefs_cli
