// The catalogue of rule-language diagnostics: a stable code per kind of mistake.
//
// Codes are part of the user's contract (docs/rules-language.md lists every one with an
// example, and editors match on them): never renumber, only add. E00xx are syntax errors,
// E01xx name errors, E02xx type errors, E03xx limits, W00xx warnings.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "core/severity.h"

namespace fmn::dsl {

enum class Code : uint8_t {
  // Syntax.
  kExpectedStatement,
  kExpectedRuleName,
  kExpectedDefName,
  kExpectedEquals,
  kExpectedTest,
  kExpectedValue,
  kExpectedParameterName,
  kUnclosedParen,
  kUnclosedList,
  kUnterminatedString,
  kBadEscape,
  kBadPath,
  kExpectedEnd,
  kNotAnOperator,
  kTooDeep,
  // Names.
  kUnknownField,
  kUnknownParameter,
  kUnknownName,
  kDefinedLater,
  kDuplicateDefinition,
  kDuplicateRule,
  kReservedName,
  kNoSubfields,
  kDefinitionAsValue,
  // Types.
  kTypeMismatch,
  kNotATest,
  kPatternNotLiteral,
  kBadRegex,
  // Limits.
  kTooLarge,
  // Warnings.
  kAlwaysTrue,
  kAlwaysFalse,
  kUnusedDefinition,
  kRepeatedTest,
  // Added later; the table's order follows the enum, the codes their families.
  kBadText,
  kTopicNeverMatches,
  kEmptyText,
  kNeverTrueForField,
  kNotEqualsMissing,
  kQuantifierNeedsList,
  kStrayEvery,
  kUnknownList,
};

struct CodeInfo {
  Code code;
  std::string_view id;  // "E0101"
  Severity severity;
  std::string_view summary;  // one line, for documentation and --help
};

const CodeInfo& code_info(Code code);
std::span<const CodeInfo> all_codes();

}  // namespace fmn::dsl
