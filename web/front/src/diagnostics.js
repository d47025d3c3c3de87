// What POST /api/v1/check answers (docs/web.md), shown twice: underlined in the editor, with the
// message and hint on hover, and listed under it, where a "did you mean" becomes a button.
import { EditorSelection } from "@codemirror/state";

// The document offset of a 1-based line and column; the server counts columns in code points,
// the editor in UTF-16 units. Out-of-range positions are clamped to the document.
export function offsetOf(doc, line, column) {
  if (line < 1) return 0;
  if (line > doc.lines) return doc.length;
  const text = doc.line(line);
  let units = 0, points = 1;
  for (const ch of text.text) {
    if (points >= column) break;
    units += ch.length;
    points++;
  }
  return text.from + units;
}

// The replacement a hint offers, if it names one token: "did you mean `usernames`?".
export function suggestion(hint) {
  const m = /did you mean `([$A-Za-z_][\w.]*)`\?/.exec(hint || "");
  return m ? m[1] : null;
}

function replace(view, from, to, text) {
  view.dispatch({ changes: { from, to, insert: text },
                  selection: EditorSelection.cursor(from + text.length) });
  view.focus();
}

// The editor's form of one diagnostic (its end is the last character, hence +1).
export function toEditor(doc, d) {
  const from = offsetOf(doc, d.line, d.column);
  const to = Math.max(from, offsetOf(doc, d.end_line, d.end_column + 1));
  const guess = suggestion(d.hint);
  return {
    from, to,
    severity: d.severity === "error" || d.severity === "warning" ? d.severity : "info",
    source: d.code,
    message: d.message + (d.hint ? "\nhint: " + d.hint : ""),
    actions: guess ? [{ name: "Use " + guess, apply: (view, f, t) => replace(view, f, t, guess) }] : [],
  };
}

function element(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

// Lists the diagnostics of `result` in `out`, each with a button that puts the cursor on it and,
// for a misspelt name, one that replaces it with the suggestion.
export function renderList(out, view, result) {
  out.textContent = "";
  if (!result) return;
  if (result.ok && result.diagnostics.length === 0) {
    out.appendChild(element("p", "ok", "No problems found."));
    return;
  }
  for (const d of result.diagnostics) {
    const div = element("div", "diag " + d.severity);
    div.dataset.line = d.line;
    div.dataset.column = d.column;
    const at = element("button", "at", d.line + ":" + d.column);
    at.type = "button";
    at.setAttribute("aria-label", "Go to line " + d.line + ", column " + d.column);
    at.onclick = () => {
      const { from, to } = toEditor(view.state.doc, d);
      view.dispatch({ selection: EditorSelection.range(from, to), scrollIntoView: true });
      view.focus();
    };
    div.append(at, " " + d.severity + " " + d.code + ": " + d.message);
    if (d.hint) div.appendChild(element("div", "hint", "hint: " + d.hint));
    const guess = suggestion(d.hint);
    if (guess) {
      const fix = element("button", "fix", "Use " + guess);
      fix.type = "button";
      fix.onclick = () => {
        const { from, to } = toEditor(view.state.doc, d);
        replace(view, from, to, guess);
      };
      div.appendChild(fix);
    }
    out.appendChild(div);
  }
}
