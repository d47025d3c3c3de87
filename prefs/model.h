// The preferences model: who wants which messages, where, and how often.
//
// A Population is every user's record; a User owns its destinations and rules by value. These are
// plain values (copyable, comparable through their canonical file form, see toml_writer.h), built
// by the stores and handed to the matcher. Nothing here is shared or synchronised: a User that
// crosses threads is moved or copied. The mapping from FMN's and FMN 3's preferences onto this
// model is documented in docs/preferences.md.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "core/notification.h"
#include "prefs/delivery_policy.h"
#include "prefs/shared_text.h"

namespace fmn::prefs {

// Where a value was read from (1-based; 0 when the value did not come from a file). Not part
// of the preference: stores never persist it, and canonical output ignores it.
struct SourcePos {
  uint32_t line = 0;
  uint32_t column = 0;
};

// Where a diagnostic about the record at `p` points (nowhere when line is 0).
constexpr TextSpan span_at(SourcePos p) { return TextSpan::point(p.line, p.column); }

enum class ConfirmationState : uint8_t { kPending, kConfirmed, kRejected };

// A destination receives nothing but its confirmation message until it is confirmed.
struct Confirmation {
  ConfirmationState state = ConfirmationState::kConfirmed;
  std::string code;        // kPending only: the secret the owner sends back
  int64_t expires_at = 0;  // kPending only: Unix seconds after which the code is void
};

// Local times of day (minutes after midnight, in the user's `tz`) between which a destination
// receives nothing: notifications are held and sent as one digest when they end. -1: none.
struct QuietHours {
  int16_t from = -1;
  int16_t to = -1;
  bool set() const { return from >= 0 && to >= 0; }
};

struct Destination {
  std::string name;  // unique within the user; rules refer to it ("email", "work", "irc")
  DestinationKind kind = DestinationKind::kEmail;  // a user_destination kind
  std::string address;                             // email address, IRC nick, SSE feed name...
  std::string token;  // kinds with a secret only (has_secret()): the secret; empty otherwise
  Confirmation confirmation;
  QuietHours quiet;
  int64_t snoozed_until = 0;  // Unix seconds: nothing is sent here before then (held); 0: none
  int64_t muted_until = 0;    // Unix seconds: what matches before then is dropped; 0: none
  SourcePos pos;
};

struct Delivery {
  std::string destination;  // a Destination::name of the same user
  DigestPolicy digest;
  DeliveryOptions options;
  SourcePos pos;
};

struct Rule {
  std::string name;   // unique within the user; said in notifications ("why did I get this?")
  SharedText source;  // rule-language predicate (docs/rules-language.md)
  bool enabled = true;
  std::vector<Delivery> deliveries;  // where matches go; a rule with none only records matches
  SourcePos pos;
  SourcePos source_pos;  // first character of `source` itself, inside its quotes
};

// A list the user named, read by rules as `$lists.NAME` (docs/rules-language.md).
struct NamedList {
  std::string name;  // unique within the user; letters, digits and '_', not starting with a digit
  std::vector<std::string> items;
  SourcePos pos;
};

struct User {
  std::string name;  // the account name ($me); unique
  bool enabled = true;
  std::vector<std::string> aliases;  // other identities: emails, IRC/GitHub names
  // Which $parameter each list fills is said once, in dsl/fields.h (ParamInfo::filled_from).
  std::vector<std::string> packages;         // maintained or followed packages
  std::vector<std::string> followed_users;   // accounts followed
  std::vector<std::string> followed_groups;  // groups followed (no rule parameter reads it yet)
  std::vector<std::string> groups;           // memberships
  std::vector<NamedList> lists;              // the user's own lists, in the order written
  std::string tz;  // IANA time zone of `at` and quiet hours ("Europe/Prague"); empty: UTC
  int64_t snoozed_until = 0;  // Unix seconds: nothing is sent to any destination before then
  int64_t muted_until = 0;    // Unix seconds: what matches before then is dropped, everywhere
  std::vector<Destination> destinations;
  std::vector<Rule> rules;  // in order: a notification names the first rule that matched
  SourcePos pos;

  // The list stored under `key` ("aliases", "packages", "followed_users", "followed_groups",
  // "groups": the file's keys, fmn_users' columns); null for any other key.
  const std::vector<std::string>* list(std::string_view key) const;
  const Destination* find_destination(std::string_view name) const;
  Destination* find_destination(std::string_view name);
  Rule* find_rule(std::string_view name);
  // The zone, quiet hours, snooze and mute (the later of the user's and the destination's) that
  // govern when notifications reach `d`, one of this user's destinations.
  DeliveryWindow window_of(const Destination& d) const;
};

// The user's string lists, in file order: each one's key in the preferences file, its column
// in fmn_users and its member. The file reader and writer and the validation walk this table;
// dsl/fields.h names these keys to say which list fills which rule parameter.
// Adding a list here (and a migration adding its column) is all the stores need: the file
// keys and PostgreSQL's column lists are derived from this table (prefs/pg_user_columns.h).
struct UserListField {
  std::string_view key;
  std::vector<std::string> User::*member;
};
inline constexpr UserListField kUserListFields[] = {
    {"aliases", &User::aliases},
    {"packages", &User::packages},
    {"followed_users", &User::followed_users},
    {"followed_groups", &User::followed_groups},
    {"groups", &User::groups},
};
inline std::span<const UserListField> user_list_fields() { return kUserListFields; }

struct Population {
  std::vector<User> users;

  const User* find(std::string_view name) const;
};

// Parses the name of a kind users may name (core/destination_kinds.h: "email", "irc", ...); false
// for anything else (kStdout is not a user's).
bool parse_destination_kind(std::string_view text, DestinationKind& kind);
// Those names for messages: "email, irc and sse".
std::string user_destination_kind_names();
// True when destinations of this kind have a secret token (SSE feeds...).
inline bool has_secret(DestinationKind kind) {
  return !destination_kind_info(kind).secret_holder.empty();
}
std::string_view confirmation_state_name(ConfirmationState state);
bool parse_confirmation_state(std::string_view text, ConfirmationState& state);

}  // namespace fmn::prefs
