#include "apps/fmn-rulec/user_rules.h"

#include <cstdio>
#include <memory>

#include "prefs/dsl_rule_validator.h"
#include "prefs/file_store.h"

namespace fmn::rulec {

std::optional<UserRules> load_user_rules(const std::string& path, const std::string& name,
                                         const char* command) {
  auto compiler = std::make_shared<dsl::RuleCompiler>();  // checks each rule once for both uses
  auto population = prefs::read_preferences_file(path, prefs::dsl_rule_validator(compiler));
  if (!population) {
    std::fprintf(stderr, "fmn-rulec %s: %s\n", command, population.error().message.c_str());
    return std::nullopt;
  }
  const prefs::User* user = population->find(name);
  if (user == nullptr) {
    std::fprintf(stderr, "fmn-rulec %s: %s: no user \"%s\"\n", command, path.c_str(), name.c_str());
    return std::nullopt;
  }
  prefs::CompiledUserRules compiled = prefs::compile_user_rules(*user, *compiler);
  for (const std::string& error : compiled.errors) {
    std::fprintf(stderr, "fmn-rulec %s: %s", command, error.c_str());
  }
  UserRules out{*user, std::move(compiled.rules), std::move(compiled.rule_of),
                prefs::rule_params(*user)};
  return out;
}

}  // namespace fmn::rulec
