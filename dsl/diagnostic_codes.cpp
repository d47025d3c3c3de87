#include "dsl/diagnostic_codes.h"

#include <array>

namespace fmn::dsl {
namespace {

constexpr Severity E = Severity::kError;
constexpr Severity W = Severity::kWarning;

constexpr std::array kCodes = {
    CodeInfo{Code::kExpectedStatement, "E0001", E, "a statement must start with `rule` or `def`"},
    CodeInfo{Code::kExpectedRuleName, "E0002", E, "`rule` must be followed by a quoted name"},
    CodeInfo{Code::kExpectedDefName, "E0003", E, "`def` must be followed by a name"},
    CodeInfo{Code::kExpectedEquals, "E0004", E, "`=` must follow a rule's or definition's name"},
    CodeInfo{Code::kExpectedTest, "E0005", E, "a test is missing"},
    CodeInfo{Code::kExpectedValue, "E0006", E, "a value is missing"},
    CodeInfo{Code::kExpectedParameterName, "E0007", E, "`$` must be followed by a name"},
    CodeInfo{Code::kUnclosedParen, "E0008", E, "`(` is not closed"},
    CodeInfo{Code::kUnclosedList, "E0009", E,
             "a list is not closed, or holds something else than literals"},
    CodeInfo{Code::kUnterminatedString, "E0010", E, "a string is not closed on its line"},
    CodeInfo{Code::kBadEscape, "E0011", E, "unknown escape sequence in a string"},
    CodeInfo{Code::kBadPath, "E0012", E, "malformed field path"},
    CodeInfo{Code::kExpectedEnd, "E0013", E, "unexpected text after a complete test"},
    CodeInfo{Code::kNotAnOperator, "E0014", E, "an operator from another language"},
    CodeInfo{Code::kTooDeep, "E0015", E, "parentheses or `not`s nested too deeply"},
    CodeInfo{Code::kUnknownField, "E0101", E, "unknown field"},
    CodeInfo{Code::kUnknownParameter, "E0102", E, "unknown parameter"},
    CodeInfo{Code::kUnknownName, "E0103", E, "unknown definition"},
    CodeInfo{Code::kDefinedLater, "E0104", E, "definition used before it is defined"},
    CodeInfo{Code::kDuplicateDefinition, "E0105", E, "definition defined twice"},
    CodeInfo{Code::kDuplicateRule, "E0106", E, "two rules with the same name"},
    CodeInfo{Code::kReservedName, "E0107", E, "a definition named like a field"},
    CodeInfo{Code::kNoSubfields, "E0108", E, "a path into a field that has no parts"},
    CodeInfo{Code::kDefinitionAsValue, "E0109", E, "a definition used as a value"},
    CodeInfo{Code::kTypeMismatch, "E0201", E, "operands of the wrong type for the operator"},
    CodeInfo{Code::kNotATest, "E0202", E, "a value where a test is expected"},
    CodeInfo{Code::kPatternNotLiteral, "E0203", E, "a pattern that is not a literal"},
    CodeInfo{Code::kBadRegex, "E0204", E, "a regular expression RE2 rejects"},
    CodeInfo{Code::kTooLarge, "E0301", E, "a limit is exceeded"},
    CodeInfo{Code::kAlwaysTrue, "W0001", W, "a test that is always true"},
    CodeInfo{Code::kAlwaysFalse, "W0002", W, "a test that is always false"},
    CodeInfo{Code::kUnusedDefinition, "W0003", W, "a definition no rule uses"},
    CodeInfo{Code::kRepeatedTest, "W0004", W, "the same test twice in one `and`/`or`"},
    CodeInfo{Code::kBadText, "E0016", E, "text that is not UTF-8, or holds a NUL character"},
    CodeInfo{Code::kTopicNeverMatches, "W0005", W, "a topic pattern that no full topic matches"},
    CodeInfo{Code::kEmptyText, "W0006", W, "an empty pattern or rule name"},
    CodeInfo{Code::kNeverTrueForField, "W0007", W,
             "a value the field never has, so the comparison is never true"},
    CodeInfo{Code::kNotEqualsMissing, "W0008", W, "`!=` on a field the message may lack"},
    CodeInfo{Code::kQuantifierNeedsList, "E0205", E, "`any` or `all` over a value that is no list"},
    CodeInfo{Code::kStrayEvery, "E0206", E, "`[*]` outside the left side of `any` or `all`"},
    CodeInfo{Code::kUnknownList, "E0110", E, "a `$lists.NAME` the user has no list of"},
};

// code_info() indexes the table by the enum's value.
static_assert([] {
  for (size_t i = 0; i < kCodes.size(); ++i) {
    if (static_cast<size_t>(kCodes[i].code) != i) return false;
  }
  return true;
}());

}  // namespace

const CodeInfo& code_info(Code code) { return kCodes[static_cast<size_t>(code)]; }

std::span<const CodeInfo> all_codes() { return kCodes; }

}  // namespace fmn::dsl
