// The error-message table: what the user reads when a `must<>` or `raise<>` in rules.h fails.
//
// One entry per rule that can fail hard; the parser's control static_asserts that an entry
// exists, so a new must<> without a message does not compile. Included only by parser.cpp
// and the grammar tests.
#pragma once

#include "dsl/diagnostic_codes.h"
#include "dsl/grammar/rules.h"

namespace fmn::dsl::grammar {

struct ErrorMessage {
  Code code;
  const char* message;  // nullptr: this rule never raises
  const char* hint;
};

template <typename Rule>
inline constexpr ErrorMessage kErrorMessage{Code::kExpectedStatement, nullptr, nullptr};

#define FMN_DSL_ERROR(rule, code, message, hint)      \
  template <>                                         \
  inline constexpr ErrorMessage kErrorMessage<rule> { \
    Code::code, message, hint                         \
  }

constexpr const char* kValueHint =
    "a value is a field (`topic`, `msg.update.title`...), a `$parameter`, a \"string\", a "
    "number, `true`, `false` or a [list]";

FMN_DSL_ERROR(statement, kExpectedStatement, "expected `rule` or `def`",
              "a statement is `rule \"name\" = test` or `def name = test`");
FMN_DSL_ERROR(rule_name, kExpectedRuleName, "expected the rule's name, in double quotes",
              "for example: rule \"my packages\" = packages in $my_packages");
FMN_DSL_ERROR(def_name, kExpectedDefName, "expected the definition's name",
              "a name is letters, digits and `_`, starts with a letter or `_`, and is not a "
              "keyword");
FMN_DSL_ERROR(equals, kExpectedEquals, "expected `=`", "");
FMN_DSL_ERROR(body, kExpectedTest, "expected a test after `=`",
              "a test is a comparison such as `topic ~ \"*.bodhi.*\"`, `exists msg.path`, "
              "`not`, `(...)`, `true`, `false` or a definition's name");
FMN_DSL_ERROR(test, kExpectedTest, "expected a test",
              "a test is a comparison such as `topic ~ \"*.bodhi.*\"`, `exists msg.path`, "
              "`not`, `(...)`, `true`, `false` or a definition's name");
FMN_DSL_ERROR(conjunction, kExpectedTest, "expected a test after `or`",
              "a test is a comparison such as `topic ~ \"*.bodhi.*\"`, `exists msg.path`, "
              "`not`, `(...)`, `true`, `false` or a definition's name");
FMN_DSL_ERROR(expression, kExpectedTest, "expected a test after `(`", "");
FMN_DSL_ERROR(rhs, kExpectedValue, "expected a value after the operator", kValueHint);
FMN_DSL_ERROR(exists_path, kExpectedValue, "expected a field after `exists`",
              "for example: exists msg.update.title");
FMN_DSL_ERROR(quantified_left, kExpectedValue, "expected what `any` or `all` ranges over",
              "for example: any msg.update.builds[*].nvr startswith \"kernel-\"");
FMN_DSL_ERROR(quantified_op, kExpectedTest, "expected an operator after `any ...`/`all ...`",
              "`any` and `all` come before a comparison: all packages startswith \"python-\"");
FMN_DSL_ERROR(param_name, kExpectedParameterName, "expected a parameter name after `$`",
              "for example: $me, $my_packages");
FMN_DSL_ERROR(list_name, kExpectedParameterName, "expected a list name after `$lists.`",
              "for example: $lists.channels (a list saved in your preferences)");
FMN_DSL_ERROR(close_paren, kUnclosedParen, "expected `)`", "every `(` needs a matching `)`");
FMN_DSL_ERROR(list_close, kUnclosedList, "expected `,` or `]` in a list",
              "list items are \"strings\" or numbers, separated by commas");
FMN_DSL_ERROR(string_char, kUnterminatedString, "unterminated string",
              "close the string with `\"` on the same line");
FMN_DSL_ERROR(escape_code, kBadEscape, "unknown escape sequence",
              "the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX");
FMN_DSL_ERROR(path_key, kBadPath, "expected a field name after `.`",
              "names with other characters go in brackets: msg[\"pull-request\"]");
FMN_DSL_ERROR(index_value, kBadPath, "expected an array index or a quoted key after `[`",
              "for example: msg.builds[0], msg.builds[*] (under `any`/`all`) or "
              "msg[\"pull-request\"]");
FMN_DSL_ERROR(index_close, kBadPath, "expected `]`", "");
FMN_DSL_ERROR(statement_end, kExpectedEnd, "expected `and`, `or`, or the next statement",
              "tests are joined with `and` and `or`; a new statement starts with `rule` or "
              "`def`");
FMN_DSL_ERROR(single_equals, kNotAnOperator, "`=` does not compare", "write `==`");
FMN_DSL_ERROR(stray_star, kNotAnOperator, "a value cannot start with `*`",
              "to ignore case write the `*` against the operator: `==*`, `!=*`, `in*`, `~*`, "
              "`startswith*`, `endswith*` or `contains*`; for `matches`, start the pattern "
              "with `(?i)`");
FMN_DSL_ERROR(c_and, kNotAnOperator, "`&&` is not an operator here", "write `and`");
FMN_DSL_ERROR(c_or, kNotAnOperator, "`||` is not an operator here", "write `or`");
FMN_DSL_ERROR(c_not, kNotAnOperator, "`!` is not an operator here", "write `not`");

#undef FMN_DSL_ERROR

}  // namespace fmn::dsl::grammar
