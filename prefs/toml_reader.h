// Reads a preferences file (TOML; format in docs/preferences.md) into a Population.
//
// Reports problems with their line and column in the file: a TOML syntax error; else every
// unknown or mistyped key and invalid value; and when the structure is sound, everything
// validate_population() finds, rule-language errors at their position inside the rule text. The
// population is usable only when the diagnostics hold no error (then nothing was guessed or
// dropped). Never throws; thread-safe when the validator is.
#pragma once

#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "prefs/model.h"
#include "prefs/rule_validator.h"

namespace fmn::prefs {

struct ParsedPreferences {
  Population population;
  std::vector<Diagnostic> diagnostics;
};

// `file_name` is used only in toml++'s own messages; render_text() takes it again for output.
ParsedPreferences read_preferences_toml(std::string_view text, std::string_view file_name,
                                        const RuleValidator& validator);

}  // namespace fmn::prefs
