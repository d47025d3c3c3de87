// The rule editor of fmn's web app: CodeMirror 6 with the rule language's colours, checked as
// you type by POST /api/v1/check (diagnostics underlined in place and listed under the editor),
// previewed against recent messages once it checks, and started from a template in one click.
// Bundled into the global `ruleEditor` (web/CMakeLists.txt); app.html calls create().
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, placeholder } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { linter, lintKeymap, setDiagnostics } from "@codemirror/lint";
import { ruleHighlighting, ruleLanguage } from "./rule_language.js";
import { renderList, toEditor } from "./diagnostics.js";
import { showPreview } from "./preview.js";
import { showTemplates } from "./templates.js";

const theme = EditorView.theme({
  "&": { border: "1px solid #767676", borderRadius: "2px", font: "14px/1.4 monospace", background: "#fff" },
  "&.cm-focused": { outline: "3px solid #3c6eb4", outlineOffset: "1px" },
  ".cm-content": { minHeight: "5rem", padding: "0.35rem 0" },
  ".cm-scroller": { fontFamily: "monospace" },
});

// options: parent (the element the editor goes in), labelledBy and describedBy (ids: its label
// and the element listing the diagnostics, `results`), preview {section, count, list},
// templates (the element for the template buttons), name (the rule's name input, filled from a
// template when empty) and api(method, path, body) -> {status, data}.
export function create(options) {
  const { api, results } = options;
  let view = null;
  const current = () => view.state.doc.toString();

  async function check(v) {
    const source = v.state.doc.toString();
    if (!source.trim()) {
      results.textContent = "";
      options.preview.section.hidden = true;
      return [];
    }
    const r = await api("POST", "/check", { source });
    if (r.status !== 200 || current() !== source) return [];
    renderList(results, v, r.data);
    if (r.data.ok) showPreview(api, options.preview, source, current);
    else options.preview.section.hidden = true;
    return r.data.diagnostics.map((d) => toEditor(v.state.doc, d));
  }

  view = new EditorView({
    parent: options.parent,
    state: EditorState.create({
      extensions: [
        history(),
        keymap.of([...defaultKeymap, ...historyKeymap, ...lintKeymap]),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({
          "aria-labelledby": options.labelledBy, "aria-describedby": options.describedBy,
          spellcheck: "false", autocorrect: "off", autocapitalize: "off",
        }),
        placeholder("for example: $me in usernames and agent != $me"),
        ruleLanguage, ruleHighlighting,
        linter(check, { delay: 250 }),
        theme,
      ],
    }),
  });

  const editor = {
    source: current,
    // Replaces the text (an edit, a template); it is checked as if typed.
    setSource(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text },
                      selection: { anchor: text.length } });
      if (!text.trim()) { results.textContent = ""; options.preview.section.hidden = true; }
    },
    // Shows a check result that came from elsewhere (a refused save).
    showResult(result) {
      view.dispatch(setDiagnostics(view.state, result.diagnostics.map((d) => toEditor(view.state.doc, d))));
      renderList(results, view, result);
    },
    focus: () => view.focus(),
  };
  if (options.templates) {
    showTemplates(api, options.templates, (template) => {
      if (!options.name.value) options.name.value = template.title;
      editor.setSource(template.source);
      view.focus();
    });
  }
  return editor;
}
