// A checked rule, lowered for evaluation: what the interpreter runs and what later stages
// (indexing, native compilation) read.
//
// Definitions are expanded, fields resolved to ids, body paths split, patterns compiled and
// literal lists sorted. The tree is a flat array in prefix order: a node's children follow it,
// and `size` (the node count of its subtree) skips to the next sibling, so evaluation is a
// loop-free walk with short-circuits and no allocation. Leaf tests are Atoms. Constants are
// numbered in the order they appear; `shape` prints the rule with them as ?0, ?1... so rules
// built from one template (differing only in constants) share one shape and one compiled
// function. Immutable after lowering; thread-safe to evaluate from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dsl/ast.h"
#include "dsl/fields.h"
#include "dsl/glob.h"

namespace re2 {
class RE2;
}

namespace fmn::dsl {

// A sorted, duplicate-free literal list.
struct ConstList {
  std::vector<std::string> strings;
  std::vector<double> numbers;
};

struct Constant {
  enum class Kind : uint8_t { kString, kNumber, kBool, kList, kGlobs, kRegex };
  Kind kind = Kind::kString;
  std::string string;  // kString
  double number = 0;   // kNumber
  bool boolean = false;
  ConstList list;                         // kList
  std::vector<Glob> globs;                // kGlobs: one or more patterns, any may match
  std::shared_ptr<const re2::RE2> regex;  // kRegex
};

struct PathStep {
  std::string key;     // a member name, unless is_index or every
  uint32_t index = 0;  // an array position, if is_index
  bool is_index = false;
  bool every = false;  // `[*]`: each element of an array
};

struct OperandRef {
  enum class Kind : uint8_t { kField, kBodyPath, kParam, kConstant, kUserList };
  Kind kind = Kind::kField;
  // FieldId, CompiledRule::paths, ParamId, CompiledRule::constants or CompiledRule::lists
  uint16_t index = 0;
};

struct Atom {
  enum class Kind : uint8_t { kCompare, kExists };
  Kind kind = Kind::kCompare;
  Op op = Op::kEq;      // kCompare
  OperandRef lhs, rhs;  // kExists: lhs only (a field or a body path)
  // kCompare: `any`/`all` test each element of lhs (a list field, a list parameter or a body
  // path, which then holds at least one `every` step: the lowering adds a last one if the rule
  // wrote none).
  Quantifier quantifier = Quantifier::kNone;
};

enum class NodeKind : uint8_t { kTrue, kFalse, kAnd, kOr, kNot, kAtom };

struct Node {
  NodeKind kind = NodeKind::kTrue;
  uint16_t size = 1;  // nodes in this subtree, itself included
  uint16_t atom = 0;  // kAtom: index into CompiledRule::atoms
};

struct CompiledRule {
  std::string name;
  std::vector<Node> nodes;  // prefix order; nodes[0] is the root
  std::vector<Atom> atoms;
  std::vector<Constant> constants;
  std::vector<std::vector<PathStep>> paths;
  // The NAMEs of the `$lists.NAME` the rule reads, each once, in order of first use. Like
  // paths, they belong to the shape: `$lists.#0` in `shape`, the name in `canonical`.
  std::vector<std::string> lists;
  std::string canonical;  // the test printed canonically: equal tests, equal text
  std::string shape;      // canonical with constants as ?0, ?1...
};

struct RuleSet {
  std::vector<CompiledRule> rules;  // in file order
};

}  // namespace fmn::dsl
