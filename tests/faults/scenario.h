// Shared set-up of the fault scenarios: one user, "ralph", with an email address and an IRC
// nick, and one rule whose delivery each scenario chooses; the preferences and configuration
// text that point fmn-pipeline at the scenario's real servers.
#pragma once

#include <functional>
#include <string>

#include "tests/support/child_process.h"
#include "tests/support/redis_server.h"

namespace fmn::faults {

// The rule every email scenario uses: a corpus slice gives it a few dozen matches.
inline constexpr const char* kWatchedRule = R"(topic ~ ["*.bodhi.*", "*.git.*", "*.buildsys.*"])";
// The rule of digest scenarios (see numbered_items()).
inline constexpr const char* kItemRule = R"(topic ~ "*.faults.item.*")";

// The IRC nick of ralph's "irc" destination.
inline constexpr const char* kIrcNick = "ralph";

// Preferences: ralph <ralph@example.org> (destination "email"), IRC nick kIrcNick
// (destination "irc"), rule `rule_source` delivered as `delivery` (a TOML inline table, e.g.
// `{ to = "email" }` or `{ to = "email", count = 10 }`).
std::string one_user_prefs(const std::string& rule_source, const std::string& delivery);

// A [[users]] table: user `name` with one destination (`kind`, `address`, and `token` when not
// empty, for an SSE feed) and one rule `rule` (`source`, delivered as `delivery`).
struct UserSpec {
  std::string name, kind, address, token, rule, source;
  std::string delivery;  // a TOML inline table, e.g. `{ to = "email", count = 4 }`
};
std::string user_prefs(const UserSpec& user);

// Configuration sections: the ZeroMQ bus endpoint, and the SMTP, Redis and IRC servers, each
// when not empty.
std::string servers_config(const std::string& bus_endpoint, const std::string& smtp_url,
                           const std::string& redis_address = "",
                           const std::string& irc_address = "");

// Polls `count` (every 50 ms) until it returns `want`; false when `timeout` passed first.
bool wait_for_count(const std::function<long long()>& count, long long want,
                    test::Duration timeout);

// Notifications in a destination kind's outbox stream in `redis` (a newline ends each), -1 when
// Redis is unreachable.
long long outbox_notifications(const test::RedisServer& redis, const std::string& kind);
// Polls outbox_notifications() until it is `count`; false when `timeout` passed first.
bool wait_notifications(const test::RedisServer& redis, const std::string& kind, long long count,
                        test::Duration timeout);

}  // namespace fmn::faults
