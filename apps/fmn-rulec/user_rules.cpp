#include "apps/fmn-rulec/user_rules.h"

#include <cstdio>

#include "prefs/dsl_rule_validator.h"
#include "prefs/duration_text.h"
#include "prefs/file_store.h"

namespace fmn::rulec {
namespace {

std::string digest_text(const prefs::DigestPolicy& digest) {
  std::string text = "held for a digest, sent ";
  if (digest.every_seconds > 0) {
    text += prefs::format_duration(digest.every_seconds) + " after its first notification";
  }
  if (digest.every_seconds > 0 && digest.count > 0) text += " or ";
  if (digest.count > 0) text += "once " + std::to_string(digest.count) + " are waiting";
  return text;
}

std::string destination_verdict(const prefs::Destination& d, const prefs::Delivery& delivery) {
  switch (d.confirmation.state) {
    case prefs::ConfirmationState::kPending:
      return "held: the destination awaits its confirmation and receives nothing else until then";
    case prefs::ConfirmationState::kRejected:
      return "not delivered: the destination was rejected";
    case prefs::ConfirmationState::kConfirmed:
      break;
  }
  return delivery.digest.immediate() ? "delivered at once" : digest_text(delivery.digest);
}

}  // namespace

std::optional<UserRules> load_user_rules(const std::string& path, const std::string& name,
                                         const char* command) {
  auto population = prefs::read_preferences_file(path, prefs::dsl_rule_validator());
  if (!population) {
    std::fprintf(stderr, "fmn-rulec %s: %s\n", command, population.error().message.c_str());
    return std::nullopt;
  }
  const prefs::User* user = population->find(name);
  if (user == nullptr) {
    std::fprintf(stderr, "fmn-rulec %s: %s: no user \"%s\"\n", command, path.c_str(), name.c_str());
    return std::nullopt;
  }
  UserRules out{*user, {}, {}, prefs::rule_params(*user)};
  for (size_t r = 0; r < user->rules.size(); ++r) {
    std::string error;
    auto compiled = prefs::compile_stored_rule(user->rules[r].source.str(), error);
    if (!compiled) {
      std::fprintf(stderr, "fmn-rulec %s: rule \"%s\" does not compile:\n%s", command,
                   user->rules[r].name.c_str(), error.c_str());
      continue;
    }
    compiled->name = user->rules[r].name;
    out.rules.rules.push_back(std::move(*compiled));
    out.rule_of.push_back(r);
  }
  return out;
}

std::string describe_delivery(const prefs::User& user, size_t rule) {
  const prefs::Rule& r = user.rules[rule];
  if (!user.enabled) return "  -> nothing: the user is disabled\n";
  if (!r.enabled) return "  -> nothing: the rule is disabled\n";
  if (r.deliveries.empty()) return "  -> nothing: the rule names no destination\n";
  std::string out;
  for (const prefs::Delivery& delivery : r.deliveries) {
    const prefs::Destination* d = user.find_destination(delivery.destination);
    out += "  -> " + delivery.destination;
    if (d == nullptr) {
      out += ": no such destination\n";
      continue;
    }
    out += " (" + std::string(destination_kind_name(d->kind)) + " " + d->address +
           "): " + destination_verdict(*d, delivery) + "\n";
  }
  return out;
}

}  // namespace fmn::rulec
