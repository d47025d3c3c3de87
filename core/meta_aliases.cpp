// The account-alias map: parse_aliases() and builtin_aliases() of core/meta_extractor.h.
#include <toml++/toml.h>

#include "core/embedded_meta_tables.h"
#include "core/meta_extractor.h"

namespace fmn {

Result<AliasMap> parse_aliases(std::string_view toml_text, std::string_view name) {
  toml::table doc;
  try {
    doc = toml::parse(toml_text, name);
  } catch (const toml::parse_error& e) {
    return Error{ErrorCode::kInvalidConfig, std::string(name) + ":" +
                                                std::to_string(e.source().begin.line) + ": " +
                                                std::string(e.description())};
  }
  AliasMap aliases;
  const toml::table* table = doc["aliases"].as_table();
  if (!table) return Error{ErrorCode::kInvalidConfig, std::string(name) + ": no [aliases] table"};
  for (const auto& [key, value] : *table) {
    auto account = value.as_string();
    if (!account) {
      return Error{ErrorCode::kInvalidConfig, std::string(name) + ": aliases." +
                                                  std::string(key.str()) + ": expected a string"};
    }
    aliases.emplace(std::string(key.str()), account->get());
  }
  return aliases;
}

AliasMap builtin_aliases() {
  for (const embedded::NamedText& t : embedded::meta_tables()) {
    if (t.name == "aliases.toml") {
      auto aliases = parse_aliases(t.text(), t.name);
      // The embedded file is checked by the tests; a broken one cannot ship.
      return aliases ? std::move(aliases).value() : AliasMap{};
    }
  }
  return {};
}

}  // namespace fmn
