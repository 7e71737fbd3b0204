/**
 * The text editor's keyboard as one action table: the key handler, the toolbar tooltips and the
 * cheat sheet all read it. Label, class and relation hotkeys come from the label config; the
 * rest are fixed (README's key table).
 */
import type { LabelConfig } from '../../../../shared/model';
import {
  ActionTable,
  configHotkeyActions,
  hotkeyCombo,
  tablePerConfig,
  type KeyAction,
  type KeyHint,
} from '../core/keymap';
import { THRESHOLD_STEP } from './suggestions';
import type { TextEditorModel } from './text-model';

export interface TextKeyContext {
  model: TextEditorModel;
  /** The document pane has focus: arrows move the caret instead of paging tasks. */
  paneFocused: boolean;
}

type Action = KeyAction<TextKeyContext>;

/** `.` / `,`: the next / previous span (a pending relation keeps its source: Enter confirms). */
const cycleSpan = (m: TextEditorModel, step: 1 | -1): boolean => {
  const list = m.shown.sorted();
  if (list.length === 0) return false;
  const selected = m.selectedSpan();
  const cur = !selected
    ? -1
    : list === m.index.sorted
      ? m.index.listIndexOf(selected)
      : list.indexOf(selected);
  const next = step === -1 ? (cur <= 0 ? list.length - 1 : cur - 1) : (cur + 1) % list.length;
  m.session.set({
    selectedSpan: list[next]!.id,
    selection: null,
    selectedRelation: null,
    reveal: list[next]!.id,
  });
  return true;
};

/** [ ] grow the selected span's start / end by a word, Shift+[ ] shrink it; Alt: by character. */
const nudgeEdge =
  (edge: 'start' | 'end', shrink: boolean): Action['run'] =>
  ({ model: m }, e) => {
    const selected = m.selectedSpan();
    if (!selected) return false;
    const outward: -1 | 1 = edge === 'start' ? -1 : 1;
    m.nudgeSpan(selected.id, edge, shrink ? (-outward as -1 | 1) : outward, e.altKey);
    return true;
  };

/** Visual arrows: towards the text's end on → in a left-to-right block, on ← in a right-to-left one. */
const caret =
  (key: 'ArrowLeft' | 'ArrowRight'): Action['run'] =>
  ({ model, paneFocused }, e) => {
    if (!paneFocused) return false;
    model.arrow(key, { extend: e.shiftKey, precise: e.altKey });
    return true;
  };

const commands: Action[] = [
  {
    // Mid-drag of a span edge, keys wait (undo would cut the gesture); Esc rolls the drag back.
    id: 'edge-drag',
    keys: ['any'],
    label: 'Esc while dragging a span edge cancels the drag',
    listed: false,
    repeat: true,
    run: ({ model: m }, e) => {
      if (!m.session.get().edgeDrag) return false;
      if (e.key === 'Escape') m.drag.end(false);
      return true;
    },
  },
  { id: 'undo', keys: ['ctrl+z'], label: 'Undo', group: 'Edit', run: ({ model }) => void model.undo() },
  {
    id: 'redo',
    keys: ['ctrl+shift+z', 'ctrl+y'],
    label: 'Redo',
    group: 'Edit',
    run: ({ model }) => void model.redo(),
  },
  {
    id: 'caret-left',
    keys: ['arrowleft', 'shift+arrowleft', 'alt+arrowleft', 'shift+alt+arrowleft'],
    label:
      'Move the caret; Shift selects (snaps to words), Alt by character (text focused; on screen in right-to-left text)',
    group: 'Select',
    repeat: true,
    run: caret('ArrowLeft'),
  },
  {
    id: 'caret-right',
    keys: ['arrowright', 'shift+arrowright', 'alt+arrowright', 'shift+alt+arrowright'],
    label: 'Move the caret right (Shift, Alt as ←)',
    group: 'Select',
    repeat: true,
    run: caret('ArrowRight'),
  },
  {
    id: 'next-span',
    keys: ['.'],
    label: 'Select the next span',
    group: 'Select',
    repeat: true,
    run: ({ model }) => cycleSpan(model, 1),
  },
  {
    id: 'prev-span',
    keys: [','],
    label: 'Select the previous span',
    group: 'Select',
    repeat: true,
    run: ({ model }) => cycleSpan(model, -1),
  },
  {
    id: 'cancel',
    keys: ['escape'],
    label: 'Cancel a relation, clear the selection (nothing to clear: Esc skips)',
    group: 'Select',
    run: ({ model: m }) => {
      const s = m.session.get();
      if (!(s.relationFrom || s.selection || s.selectedSpan || s.selectedRelation || s.armedLabel))
        return false;
      m.session.set({
        relationFrom: null,
        selection: null,
        selectedSpan: null,
        selectedRelation: null,
        armedLabel: null,
        notice: null,
      });
      return true;
    },
  },
  {
    id: 'delete',
    keys: ['delete', 'backspace'],
    label: 'Delete the selected span (rejects a suggestion) or relation',
    group: 'Edit',
    run: ({ model: m }) => {
      const selected = m.selectedSpan();
      const s = m.session.get();
      if (selected) {
        if (selected.suggestion !== undefined) m.rejectSuggestions([selected.id]);
        else m.deleteSpans([selected.id]);
        return true;
      }
      if (!s.selectedRelation) return false;
      m.deleteRelation(s.selectedRelation);
      m.session.set({ selectedRelation: null });
      return true;
    },
  },
  {
    id: 'finish-relation',
    keys: ['enter'],
    label: 'Finish the relation at the selected span (else Enter submits)',
    group: 'Relations',
    run: ({ model: m }) => {
      const s = m.session.get();
      const selected = m.selectedSpan();
      if (!s.relationFrom || !selected || selected.id === s.relationFrom.spanId) return false;
      m.addRelation(s.relationFrom.spanId, selected.id, s.relationFrom.label);
      m.session.set({ notice: null });
      return true;
    },
  },
  {
    id: 'grow-start',
    keys: ['[', 'alt+['],
    label: 'Grow the span’s start by a word (Alt: a character)',
    group: 'Span edges',
    repeat: true,
    run: nudgeEdge('start', false),
  },
  {
    id: 'grow-end',
    keys: [']', 'alt+]'],
    label: 'Grow the span’s end',
    group: 'Span edges',
    repeat: true,
    run: nudgeEdge('end', false),
  },
  {
    id: 'shrink-start',
    keys: ['shift+[', 'shift+alt+['],
    label: 'Shrink the span’s start',
    group: 'Span edges',
    repeat: true,
    run: nudgeEdge('start', true),
  },
  {
    id: 'shrink-end',
    keys: ['shift+]', 'shift+alt+]'],
    label: 'Shrink the span’s end',
    group: 'Span edges',
    repeat: true,
    run: nudgeEdge('end', true),
  },
  {
    id: 'set-to-selection',
    keys: ['e'],
    label: 'Move the selected span to the text selection',
    group: 'Span edges',
    run: ({ model: m }) => (m.selectedSpan() && m.selectionRange() ? void m.setSpanToSelection() : false),
  },
  {
    id: 'threshold-down',
    keys: ['-'],
    label: 'Lower the suggestions’ score threshold',
    group: 'Suggestions',
    repeat: true,
    run: ({ model: m }) =>
      m.allSuggestions().length > 0
        ? m.setScoreThreshold(m.session.get().scoreThreshold - THRESHOLD_STEP)
        : false,
  },
  {
    id: 'threshold-up',
    keys: ['=', '+'],
    label: 'Raise the suggestions’ score threshold',
    group: 'Suggestions',
    repeat: true,
    run: ({ model: m }) =>
      m.allSuggestions().length > 0
        ? m.setScoreThreshold(m.session.get().scoreThreshold + THRESHOLD_STEP)
        : false,
  },
  {
    id: 'accept',
    keys: ['a'],
    label: 'Accept the selected suggestion',
    group: 'Suggestions',
    run: ({ model: m }) => {
      const selected = m.selectedSpan();
      return selected?.suggestion !== undefined ? void m.acceptSuggestions([selected.id]) : false;
    },
  },
  {
    id: 'accept-all',
    keys: ['shift+a'],
    label: 'Accept all shown suggestions',
    group: 'Suggestions',
    run: ({ model: m }) => (m.suggestions().length > 0 ? void m.acceptSuggestions() : false),
  },
];

export const textHints: KeyHint[] = [
  {
    keys: 'Label key, nothing selected',
    label: 'Arms the label: the next selection gets it',
    group: 'Labels',
  },
  {
    keys: 'Relation key, . or , then Enter',
    label: 'A relation to the span picked with . ,',
    group: 'Relations',
  },
  { keys: 'Drag', label: 'Select text (snaps to words; hold Alt for characters)' },
  { keys: 'Click a chip / underline', label: 'Select a span (again: the next stacked span)' },
  { keys: 'Drag a span’s edge handle', label: 'Move that edge (Esc cancels)' },
  { keys: 'Relation key, then click a span', label: 'Draw a relation from the selected span' },
];

/** The table for one label config: label, class and relation hotkeys first (the data wins a clash). */
export const textKeys = tablePerConfig((config: LabelConfig): ActionTable<TextKeyContext> => {
  const data: Action[] = configHotkeyActions<TextKeyContext>(config, {
    label: ({ model }, name) => model.applyLabel(name),
    toggleClass: ({ model }, group, option) => model.toggleClass(group, option),
    classGroup: 'Document classes',
  });
  for (const r of config.relations) {
    const combo = hotkeyCombo(r.hotkey);
    if (combo)
      data.push({
        id: `relation:${r.name}`,
        keys: [combo],
        label: `Relation ${r.name} from the selected span`,
        group: 'Relations',
        run: ({ model }) => (model.selectedSpan() ? void model.startRelation(r.name) : false),
      });
  }
  return new ActionTable([commands[0]!, ...data, ...commands.slice(1)], textHints);
});

/** What a read-only text (a version under review) still answers: moving and selecting spans. */
const VIEW_ONLY = new Set(['caret-left', 'caret-right', 'next-span', 'prev-span', 'cancel']);

/** Built once: the read-only table depends on no config. */
let viewTable: ActionTable<TextKeyContext> | undefined;

/** The read-only table: no labels or edits, so letters stay free for the review screen's keys. */
export const textViewKeys = (): ActionTable<TextKeyContext> =>
  (viewTable ??= new ActionTable(commands.filter((a) => VIEW_ONLY.has(a.id))));
