#include "prefs/validation.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "core/destination_address.h"

namespace fmn::prefs {
namespace {

constexpr size_t kMaxRuleNameLength = 200;
constexpr size_t kMaxRuleSourceBytes = 64 * 1024;
constexpr size_t kMaxListEntryLength = 255;
constexpr size_t kMinTokenLength = 16;
constexpr size_t kMinCodeLength = 8;

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

bool is_token(std::string_view s, size_t min_length) {
  return s.size() >= min_length && s.size() <= 128 && std::all_of(s.begin(), s.end(), [](char c) {
           return is_alnum(c) || c == '_' || c == '-';
         });
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

class Checker {
 public:
  Checker(const User& user, std::vector<Diagnostic>& out) : user_(user), out_(out) {}

  void error(SourcePos pos, std::string where, std::string message, std::string hint = {}) {
    out_.push_back({.span = span_at(pos),
                    .subject = std::move(where),
                    .message = std::move(message),
                    .hint = std::move(hint)});
  }

  std::string user_where() const { return "user " + quoted(user_.name); }

  void check_user() {
    if (!is_plain_name(user_.name)) {
      error(user_.pos, user_where(), "invalid user name",
            "names are 1-64 characters: letters, digits, '_', '.', '-', starting with a letter "
            "or digit");
    }
    for (const UserListField& f : user_list_fields()) check_list(f.key, user_.*f.member);
    std::set<std::string_view> names;
    for (const auto& d : user_.destinations) {
      check_destination(d);
      if (!names.insert(d.name).second) {
        error(d.pos, user_where(), "duplicate destination name " + quoted(d.name),
              "give each destination of a user its own name");
      }
    }
  }

  void check_list(std::string_view field, const std::vector<std::string>& items) {
    std::set<std::string_view> seen;
    for (const auto& item : items) {
      if (item.empty() || item.size() > kMaxListEntryLength || has_control(item)) {
        error(user_.pos, user_where(),
              std::string(field) + ": invalid entry " + quoted(item.substr(0, 40)),
              "entries are 1-255 characters without control characters");
      } else if (!seen.insert(item).second) {
        error(user_.pos, user_where(), std::string(field) + ": duplicate entry " + quoted(item));
      }
    }
  }

  void check_destination(const Destination& d) {
    std::string where = user_where() + ", destination " + quoted(d.name);
    if (!is_plain_name(d.name)) error(d.pos, where, "invalid destination name");
    const DestinationKindInfo& kind = destination_kind_info(d.kind);
    if (!kind.user_destination) {
      error(d.pos, where, "unknown destination kind", "kinds are " + user_destination_kind_names());
    } else if (!kind.address_valid(d.address)) {
      error(d.pos, where, "invalid " + std::string(kind.address_noun) + " " + quoted(d.address),
            std::string(kind.address_hint));
    }
    if (has_secret(d.kind) && !is_token(d.token, kMinTokenLength)) {
      error(d.pos, where,
            std::string(kind.secret_holder) + " needs a secret token of at least 16 characters",
            "letters, digits, '_' and '-'; `fmn-prefs dest add` makes one");
    }
    if (!has_secret(d.kind) && !d.token.empty()) {
      error(d.pos, where, quoted(kind.name) + " destinations have no token");
    }
    const auto& c = d.confirmation;
    if (c.state == ConfirmationState::kPending) {
      if (!is_token(c.code, kMinCodeLength) || c.expires_at <= 0) {
        error(d.pos, where,
              "a pending confirmation needs a code (8+ letters or digits) and an "
              "expiry time");
      }
    } else if (!c.code.empty() || c.expires_at != 0) {
      error(d.pos, where, "only a pending confirmation has a code and an expiry time");
    }
  }

  void check_rule(const Rule& rule, const RuleValidator& validator) {
    std::string where = user_where() + ", rule " + quoted(rule.name);
    if (rule.name.empty() || rule.name.size() > kMaxRuleNameLength || has_control(rule.name)) {
      error(rule.pos, where, "invalid rule name", "1-200 characters, no control characters");
    }
    if (rule.source.empty() || rule.source.view().size() > kMaxRuleSourceBytes) {
      error(rule.source_pos.line ? rule.source_pos : rule.pos, where,
            "a rule's source must be 1 byte to 64 KiB long");
    } else {
      for (Diagnostic d :
           validator(rule.source.view())) {  // positions in the rule's source, made the file's
        if (rule.source_pos.line) {
          const SourcePos begin = file_position(rule, d.span.line, d.span.column);
          const SourcePos last = file_position(rule, d.span.end_line, d.span.end_column);
          d.span = {begin.line, begin.column, last.line, last.column};
        } else {
          d.message = "source " + std::to_string(d.span.line) + ":" +
                      std::to_string(d.span.column) + ": " + d.message;
          d.span = {};
        }
        d.subject = where;
        out_.push_back(std::move(d));
      }
    }
    std::set<std::string_view> targets;
    for (const auto& delivery : rule.deliveries) {
      if (user_.find_destination(delivery.destination) == nullptr) {
        std::string names;
        for (const auto& d : user_.destinations) names += (names.empty() ? "" : ", ") + d.name;
        error(delivery.pos, where, "unknown destination " + quoted(delivery.destination),
              names.empty() ? "the user has no destinations yet"
                            : "the user's destinations are: " + names);
      } else if (!targets.insert(delivery.destination).second) {
        error(delivery.pos, where, "destination " + quoted(delivery.destination) + " listed twice");
      }
    }
  }

 private:
  const User& user_;
  std::vector<Diagnostic>& out_;
};

void validate_one(const User& user, const RuleValidator& validator, std::vector<Diagnostic>& out) {
  Checker checker(user, out);
  checker.check_user();
  std::set<std::string_view> rule_names;
  for (const auto& rule : user.rules) {
    checker.check_rule(rule, validator);
    if (!rule_names.insert(rule.name).second) {
      checker.error(rule.pos, checker.user_where(), "duplicate rule name " + quoted(rule.name));
    }
  }
}

}  // namespace

SourcePos file_position(const Rule& rule, uint32_t line, uint32_t column) {
  if (line <= 1) return {rule.source_pos.line, rule.source_pos.column + column - 1};
  return {rule.source_pos.line + line - 1, column};
}

void validate_user(const User& user, const RuleValidator& validator, std::vector<Diagnostic>& out) {
  validate_one(user, validator, out);
}

std::vector<Diagnostic> validate_population(const Population& population,
                                            const RuleValidator& validator) {
  std::vector<Diagnostic> out;
  std::unordered_map<std::string_view, const User*> names;
  std::map<std::pair<DestinationKind, std::string_view>, const User*> addresses;
  for (const auto& user : population.users) {
    validate_one(user, validator, out);
    if (auto [it, fresh] = names.emplace(user.name, &user); !fresh) {
      out.push_back({.span = span_at(user.pos),
                     .subject = "user " + quoted(user.name),
                     .message = "duplicate user",
                     .hint = it->second->pos.line
                                 ? "first defined on line " + std::to_string(it->second->pos.line)
                                 : ""});
    }
    for (const auto& d : user.destinations) {
      auto [it, fresh] = addresses.emplace(std::pair{d.kind, std::string_view(d.address)}, &user);
      if (!fresh) {
        out.push_back(
            {.span = span_at(d.pos),
             .subject = "user " + quoted(user.name) + ", destination " + quoted(d.name),
             .message = "duplicate address: " + std::string(destination_kind_name(d.kind)) + " " +
                        quoted(d.address) + " already belongs to user " + quoted(it->second->name),
             .hint = "an address, nick or feed belongs to one user only"});
      }
    }
  }
  return out;
}

}  // namespace fmn::prefs
