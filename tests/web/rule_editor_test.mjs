// The rule editor's own logic, under Node (node:test), bundled with its packages by esbuild
// (tests/web/CMakeLists.txt): the grammar's tokens, and the mapping of the checker's positions
// (lines, code-point columns, inclusive ends) to the editor's offsets and fixes.
import test from "node:test";
import assert from "node:assert/strict";
import { StringStream } from "@codemirror/language";
import { Text } from "@codemirror/state";
import { ruleTokenizer } from "../../web/front/src/rule_language.js";
import { offsetOf, suggestion, toEditor } from "../../web/front/src/diagnostics.js";

// [text, token] for each token of one line.
function tokens(line) {
  const state = ruleTokenizer.startState();
  const stream = new StringStream(line, 4, 2);
  const out = [];
  while (!stream.eol()) {
    const style = ruleTokenizer.token(stream, state);
    if (style) out.push([stream.current(), style]);
    stream.start = stream.pos;
  }
  return out;
}

test("the grammar tells keywords, operators, strings, paths, parameters and comments apart", () => {
  assert.deepEqual(tokens('topic ~ "*.bodhi.\\"x\\"" and msg.new == 3 # failed'), [
    ["topic", "variableName"], ["~", "operator"], ['"*.bodhi.\\"x\\""', "string"],
    ["and", "keyword"], ["msg", "namespace"], [".", "punctuation"], ["new", "propertyName"],
    ["==", "operator"], ["3", "number"], ["# failed", "comment"],
  ]);
  assert.deepEqual(tokens("not $me in* usernames or msg.rule !=* true"), [
    ["not", "keyword"], ["$me", "variableName.special"], ["in*", "keyword"],
    ["usernames", "variableName"], ["or", "keyword"], ["msg", "namespace"], [".", "punctuation"],
    ["rule", "propertyName"], ["!=*", "operator"], ["true", "bool"],
  ]);
  assert.deepEqual(tokens('exists msg.builds[0] and any msg.b[*].x >= -1.5e3'), [
    ["exists", "keyword"], ["msg", "namespace"], [".", "punctuation"], ["builds", "propertyName"],
    ["[", "bracket"], ["0", "number"], ["]", "bracket"], ["and", "keyword"], ["any", "keyword"],
    ["msg", "namespace"], [".", "punctuation"], ["b", "propertyName"], ["[", "bracket"],
    ["*", "operator"], ["]", "bracket"], [".", "punctuation"], ["x", "propertyName"],
    [">=", "operator"], ["-1.5e3", "number"],
  ]);
  // A string left open runs to the end of its line, never further.
  assert.deepEqual(tokens('agent == "ral'), [["agent", "variableName"], ["==", "operator"], ['"ral', "string"]]);
});

test("columns count code points; ends are the last character; positions are clamped", () => {
  const doc = Text.of(['msg.x == "😀é" and', "  pakages in $my_packages"]);
  assert.equal(offsetOf(doc, 1, 1), 0);
  assert.equal(offsetOf(doc, 1, 12), 12);  // after the quote, the emoji (2 units) and é
  assert.equal(offsetOf(doc, 2, 3), doc.line(2).from + 2);
  assert.equal(offsetOf(doc, 2, 99), doc.line(2).to);
  assert.equal(offsetOf(doc, 9, 1), doc.length);
  const d = toEditor(doc, { line: 2, column: 3, end_line: 2, end_column: 9, severity: "error",
                            code: "E0101", message: "unknown field `pakages`",
                            hint: "did you mean `packages`?" });
  assert.equal(doc.sliceString(d.from, d.to), "pakages");
  assert.equal(d.severity, "error");
  assert.equal(d.message, "unknown field `pakages`\nhint: did you mean `packages`?");
  assert.deepEqual(d.actions.map((a) => a.name), ["Use packages"]);
});

test("only a hint naming one name becomes a fix", () => {
  assert.equal(suggestion("did you mean `$my_packages`?"), "$my_packages");
  assert.equal(suggestion("did you mean `msg.comment`?"), "msg.comment");
  assert.equal(suggestion('did you mean `a ==* "..."` or `a matches "(?i)..."`?'), null);
  assert.equal(suggestion(""), null);
});
