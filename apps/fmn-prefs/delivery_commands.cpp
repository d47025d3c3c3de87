// Time-aware delivery commands: `digests USER [--flush]` lists a user's pending digests from
// the running service's Redis (each destination, how many notifications, when due) and, with
// --flush, makes them due now so the service sends them on its next tick; `snooze USER
// [--dest NAME] (--for DURATION | --until TIME | --off)` holds a user's (or one destination's)
// notifications until a time, and `mute USER ...`, with the same options, drops them until then.
#include <cstdio>
#include <ctime>

#include "apps/fmn-prefs/commands.h"
#include "core/host_port.h"
#include "prefs/duration_text.h"
#include "sinks/digest_batcher.h"
#include "sinks/digest_store_factory.h"

namespace fmn::prefs_cli {
namespace {

struct DigestFlags {
  std::string user;
  std::string redis = "127.0.0.1:6379";
  bool flush = false;
};

// `snooze` and `mute`: the same options, setting a different pair of instants.
struct UntilFlags {
  std::string user, destination, for_duration, until;
  bool off = false;
};

struct UntilCommand {
  const char* name;         // "snooze"
  const char* state;        // "snoozed"
  const char* effect;       // said after "USER snoozed until TIME: "
  const char* description;  // the subcommand's help
  int64_t prefs::User::*user_until;
  int64_t prefs::Destination::*destination_until;
};

constexpr UntilCommand kUntilCommands[] = {
    {"snooze", "snoozed", "notifications are held, then sent as one digest",
     "Hold a user's notifications (or one destination's) until a time; what arrives meanwhile "
     "is sent as one digest when the snooze ends",
     &prefs::User::snoozed_until, &prefs::Destination::snoozed_until},
    {"mute", "muted", "notifications are dropped, never sent",
     "Drop a user's notifications (or one destination's) until a time; what matches meanwhile "
     "is never sent, and shows as muted in the user's history",
     &prefs::User::muted_until, &prefs::Destination::muted_until},
};

std::string due_text(const sinks::PendingDigest& p) {
  if (p.due_ms == sinks::kNeverDue) return "due when its count is reached";
  if (p.due_ms == 0) return "due now (flushed)";
  return "due " + prefs::format_utc(p.due_ms / 1000);
}

void run_digests(const DigestFlags& f) {
  sinks::RedisConfig base;
  if (!split_host_port(f.redis, base.host, base.port)) {
    return fail("--redis: expected HOST:PORT, got '" + f.redis + "'");
  }
  size_t found = 0;
  for (const DestinationKindInfo& info : destination_kinds()) {
    if (!info.user_destination) continue;
    const DestinationKind kind = info.kind;
    auto store = sinks::RedisDigestStore::connect(sinks::kind_digest_redis(base, kind));
    if (!store) return fail(store.error().message);
    auto pending = (*store)->pending();
    if (!pending) return fail(pending.error().message);
    for (const sinks::PendingDigest& p : *pending) {
      if (!sinks::DigestBatcher::key_of_user(p.key, f.user)) continue;
      ++found;
      const std::string address = p.key.substr(p.key.find(':', p.key.find(':') + 1) + 1);
      std::printf("%s %s: %zu notification%s, %s\n", std::string(info.name).c_str(),
                  address.c_str(), p.items, p.items == 1 ? "" : "s", due_text(p).c_str());
      if (!f.flush) continue;
      auto flushed = (*store)->expedite(p.key, 0);
      if (!flushed) return fail(flushed.error().message);
    }
  }
  if (found == 0) {
    std::printf("no pending digests for %s\n", f.user.c_str());
  } else if (f.flush) {
    std::printf("flushed %zu digest%s: the service sends %s on its next tick\n", found,
                found == 1 ? "" : "s", found == 1 ? "it" : "them");
  }
}

void run_until(const UntilCommand& c, const UntilFlags& f) {
  if (f.off + !f.for_duration.empty() + !f.until.empty() != 1) {
    return fail("say how long: --for DURATION, --until TIME or --off (one of them)");
  }
  int64_t until = 0;
  if (!f.for_duration.empty()) {
    auto seconds = prefs::parse_duration(f.for_duration);
    if (!seconds) return fail("--for: expected a duration such as 2h, 1d or 30m");
    until = static_cast<int64_t>(std::time(nullptr)) + *seconds;
  } else if (!f.until.empty()) {
    auto t = prefs::parse_utc(f.until);
    if (!t) return fail("--until: expected a time like 2024-05-01T21:30:00Z");
    until = *t;
  }
  prefs::User user;
  if (!load_user(f.user, user)) return;
  int64_t* target = &(user.*c.user_until);
  if (!f.destination.empty()) {
    prefs::Destination* d = user.find_destination(f.destination);
    if (d == nullptr) return fail(f.user + " has no destination \"" + f.destination + "\"");
    target = &(d->*c.destination_until);
  }
  *target = until;
  if (!save_user(user)) return;
  const std::string what = f.destination.empty() ? f.user : f.user + "'s " + f.destination;
  if (until == 0) {
    std::printf("%s is no longer %s\n", what.c_str(), c.state);
  } else {
    std::printf("%s %s until %s: %s\n", what.c_str(), c.state, prefs::format_utc(until).c_str(),
                c.effect);
  }
}

}  // namespace

void add_delivery_commands(CLI::App& app) {
  static DigestFlags digest_flags;
  auto* digests = app.add_subcommand(
      "digests",
      "List a user's pending digests in the service's Redis (destination, how many "
      "notifications, when due); --flush sends them now");
  digests->add_option("user", digest_flags.user, "Account name")->required();
  digests->add_option("--redis", digest_flags.redis,
                      "The service's Redis, HOST:PORT (its state.redis; default 127.0.0.1:6379)");
  digests->add_flag("--flush", digest_flags.flush,
                    "Make them due now: the running service sends them on its next tick");
  digests->callback([] { run_digests(digest_flags); });

  static UntilFlags until_flags[std::size(kUntilCommands)];
  for (size_t i = 0; i < std::size(kUntilCommands); ++i) {
    const UntilCommand& c = kUntilCommands[i];
    UntilFlags& f = until_flags[i];
    auto* cmd = app.add_subcommand(c.name, c.description);
    cmd->add_option("user", f.user, "Account name")->required();
    cmd->add_option("--dest", f.destination, "Only this destination (by name)");
    cmd->add_option("--for", f.for_duration, "For this long from now: 2h, 1d, 30m");
    cmd->add_option("--until", f.until, "Until this time: 2024-05-01T21:30:00Z");
    cmd->add_flag("--off", f.off, std::string("End the ") + c.name + " now");
    cmd->callback([&c, &f] { run_until(c, f); });
  }
}

}  // namespace fmn::prefs_cli
