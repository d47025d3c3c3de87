// Severity: how bad a diagnostic is, shared by every kind of diagnostic (rule-language
// diagnostics in dsl/, preference-data diagnostics in prefs/). An error rejects what it is
// about; a warning is shown and changes nothing.
#pragma once

#include <cstdint>
#include <string_view>

namespace fmn {

enum class Severity : uint8_t { kError, kWarning };

// "error" or "warning", as diagnostics print it.
constexpr std::string_view severity_name(Severity s) {
  return s == Severity::kError ? "error" : "warning";
}

}  // namespace fmn
