// The rule language (docs/rules-language.md) for CodeMirror: a stream tokenizer and the colours
// of its tokens. It only colours; what is valid is the server's checker's to say.
import { HighlightStyle, StreamLanguage, syntaxHighlighting } from "@codemirror/language";
import { tags } from "@lezer/highlight";

const keywords = new Set(["rule", "def", "and", "or", "not", "in", "exists", "startswith",
  "endswith", "contains", "matches", "any", "all"]);
// Operators made of symbols, longest first; a `*` right after one makes it ignore case.
const operators = /^(==|!=|<=|>=|<|>|~)\*?/;
const number = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/;
const identifier = /^[A-Za-z_][A-Za-z0-9_]*/;

// Token names are @lezer/highlight tag names ("variableName.special" is special(variableName)).
export const ruleTokenizer = {
  name: "fmn-rules",
  startState: () => ({ afterDot: false }),
  token(stream, state) {
    if (stream.eatSpace()) return null;
    const afterDot = state.afterDot;
    state.afterDot = false;
    if (stream.match("#")) { stream.skipToEnd(); return "comment"; }
    if (stream.peek() === "\"") {
      stream.next();
      let escaped = false, ch;
      while ((ch = stream.next()) !== undefined) {  // a string stays on its line
        if (ch === "\"" && !escaped) break;
        escaped = !escaped && ch === "\\";
      }
      return "string";
    }
    if (stream.match(/^\$[A-Za-z_][A-Za-z0-9_]*/)) return "variableName.special";
    if (stream.match(identifier)) {
      const word = stream.current();
      if (afterDot) return "propertyName";  // after a dot keywords are keys: msg.rule
      if (keywords.has(word)) { stream.eat("*"); return "keyword"; }  // in*, startswith*
      if (word === "true" || word === "false") return "bool";
      return word === "msg" ? "namespace" : "variableName";
    }
    if (stream.match(number)) return "number";
    if (stream.match(operators)) return "operator";
    const ch = stream.next();
    if (ch === ".") { state.afterDot = true; return "punctuation"; }
    if (ch === "=") return "definitionOperator";
    if (ch === "*") return "operator";  // msg.builds[*]
    if ("[](),".includes(ch)) return ch === "," ? "separator" : "bracket";
    return "invalid";
  },
  languageData: { commentTokens: { line: "#" } },
};

export const ruleLanguage = StreamLanguage.define(ruleTokenizer);

// Colours with at least 4.5:1 contrast on white.
export const ruleHighlighting = syntaxHighlighting(HighlightStyle.define([
  { tag: tags.keyword, color: "#7a1fa2", fontWeight: "600" },
  { tag: [tags.operator, tags.definitionOperator], color: "#8a3b00" },
  { tag: tags.string, color: "#1d6b1d" },
  { tag: [tags.number, tags.bool], color: "#005a9e" },
  { tag: tags.special(tags.variableName), color: "#a1003d", fontWeight: "600" },
  { tag: tags.namespace, color: "#0b5c6b", fontWeight: "600" },
  { tag: tags.propertyName, color: "#0b5c6b" },
  { tag: tags.comment, color: "#5c5c5c", fontStyle: "italic" },
  { tag: tags.invalid, color: "#c00", textDecoration: "underline wavy" },
]));
