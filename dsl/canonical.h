// The canonical text of lowered rules: one line, minimal parentheses, literals in normal form
// (strings re-escaped, numbers shortest, lists sorted). Equal tests print equal text, so it is
// a cache key; with placeholders it is the rule's shape (`topic ~ ?0 and $me in usernames`).
// The text parses back to the same rule (tests check the round trip). Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "dsl/program.h"

namespace fmn::dsl {

enum class Placeholders : uint8_t { kNo, kYes };

std::string print_canonical(const CompiledRule& rule, Placeholders placeholders);
// One leaf test, as print_canonical writes it.
std::string print_atom(const CompiledRule& rule, const Atom& atom,
                       Placeholders placeholders = Placeholders::kNo);
// One operand: a field's or parameter's name, a body path, or a constant's literal.
std::string print_operand(const CompiledRule& rule, OperandRef ref,
                          Placeholders placeholders = Placeholders::kNo);

}  // namespace fmn::dsl
