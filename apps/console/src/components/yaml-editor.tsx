import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { MergeView } from '@codemirror/merge';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { useEffect, useRef } from 'react';

/**
 * Colours of the YAML highlighting, each with a contrast of at least 4.5:1 on white (WCAG 2.1 AA); the
 * default style of CodeMirror has lighter ones.
 */
const highlighting = HighlightStyle.define([
  { tag: tags.propertyName, color: '#0b4f8a' },
  { tag: [tags.string, tags.special(tags.string)], color: '#1d6b2b' },
  { tag: [tags.number, tags.bool, tags.null], color: '#8a3a00' },
  { tag: tags.comment, color: '#595959', fontStyle: 'italic' },
  { tag: [tags.keyword, tags.definitionKeyword, tags.meta], color: '#6b2b8a' },
]);

/** CodeMirror's own words, in Dutch. */
const dutch = EditorState.phrases.of({
  '$ unchanged lines': '$ ongewijzigde regels',
  Diagnostics: 'Meldingen',
  'No diagnostics': 'Geen meldingen',
  close: 'sluiten',
  'Control character': 'Stuurteken',
  Accept: 'Overnemen',
  Reject: 'Verwerpen',
  'Revert this chunk': 'Dit deel terugzetten',
});

// Long lines wrap: no region scrolls sideways (WCAG 1.4.10 reflow; axe's scrollable-region-focusable).
const base: Extension[] = [
  dutch,
  lineNumbers(),
  EditorView.lineWrapping,
  yaml(),
  syntaxHighlighting(highlighting),
  EditorView.theme({
    '&': { border: '1px solid #595959', fontSize: '0.95rem' },
    '&.kp-editable': { maxHeight: '36rem' },
    '&.kp-editable .cm-scroller': { overflow: 'auto' },
    '&.cm-focused': { outline: '3px solid #0b4f8a', outlineOffset: '2px' },
    '.cm-content, .cm-gutter': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' },
    '.cm-gutters': { backgroundColor: '#f3f3f3', color: '#3d3d3d', borderRight: '1px solid #8c8c8c' },
  }),
];

/** A problem of the text at its line and column (1-based), as the server reports it. */
export interface TextProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

function diagnosticsOf(state: EditorState, problems: readonly TextProblem[]): Diagnostic[] {
  return problems.map((p) => {
    const line = state.doc.line(Math.min(Math.max(p.line, 1), state.doc.lines));
    const from = Math.min(line.from + Math.max(p.column - 1, 0), line.to);
    return { from, to: Math.max(from, line.to), severity: 'error', message: p.message };
  });
}

/**
 * The policy text in CodeMirror 6 with YAML highlighting, line numbers and the server's problems in the
 * gutter and under the text. Tab indents; to leave the editor with the keyboard press Escape, then Tab (or
 * Shift+Tab) — CodeMirror's own convention, named in the hint below the editor.
 */
export function YamlEditor({
  value,
  onChange,
  problems,
  label,
  describedBy,
  goTo,
}: {
  /** A position to show: the editor selects it, scrolls it into view and takes focus (a new object each time). */
  goTo?: { readonly line: number; readonly column: number } | null;
  value: string;
  onChange: (text: string) => void;
  problems: readonly TextProblem[];
  label: string;
  describedBy?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          ...base,
          history(),
          highlightActiveLineGutter(),
          lintGutter(),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          EditorView.contentAttributes.of({
            'aria-label': label,
            'aria-multiline': 'true',
            // Focusable by name too, so axe sees the scrolling editor as reachable by keyboard.
            tabindex: '0',
            ...(describedBy ? { 'aria-describedby': describedBy } : {}),
          }),
          EditorView.editorAttributes.of({ class: 'kp-editable' }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) changed.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor owns its text after the first render; a new `value` from outside replaces it below.
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (!editor || editor.state.doc.toString() === value) return;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    editor.dispatch(setDiagnostics(editor.state, diagnosticsOf(editor.state, problems)));
  }, [problems]);

  useEffect(() => {
    const editor = view.current;
    if (!editor || !goTo) return;
    const line = editor.state.doc.line(Math.min(Math.max(goTo.line, 1), editor.state.doc.lines));
    const at = Math.min(line.from + Math.max(goTo.column - 1, 0), line.to);
    editor.dispatch({ selection: { anchor: at }, effects: EditorView.scrollIntoView(at, { y: 'center' }) });
    editor.focus();
  }, [goTo]);

  return <div ref={host} className="kp-code-editor" />;
}

/** Two policy texts side by side, read-only: the policy in force on the left, the draft on the right. */
export function PolicyDiff({ before, after }: { before: string; after: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const readOnly = (label: string): Extension[] => [
      ...base,
      EditorState.readOnly.of(true),
      EditorView.editable.of(false),
      EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' }),
    ];
    const merge = new MergeView({
      parent: host.current,
      a: { doc: before, extensions: readOnly('Beleid dat nu geldt (alleen lezen)') },
      b: { doc: after, extensions: readOnly('Concept (alleen lezen)') },
      collapseUnchanged: { margin: 3, minSize: 6 },
      gutter: true,
    });
    return () => merge.destroy();
  }, [before, after]);
  return <div ref={host} className="kp-code-diff" />;
}
