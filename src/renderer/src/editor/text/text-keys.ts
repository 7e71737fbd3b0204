/**
 * The text editor's keyboard, as one function from a key event to model actions. Returns true
 * when the key was used (the caller then calls preventDefault so the task screen ignores it).
 * Label, class and relation hotkeys come from the label config; the rest are fixed (README).
 */
import { matchCombo, type KeyLike } from '../core/keymap';
import { THRESHOLD_STEP } from './suggestions';
import type { TextEditorModel } from './text-model';

export interface KeyContext {
  /** The document pane has focus: arrows move the caret instead of paging tasks. */
  paneFocused: boolean;
}

export const TEXT_SHORTCUTS: [string, string][] = [
  ['drag / Shift+→ ←', 'select text (snaps to words)'],
  ['Alt', 'hold for character precision'],
  ['1–9', 'label the selection (or relabel the selected span)'],
  ['Tab / Shift+Tab', 'next / previous span'],
  ['[ ]', 'grow the span by a word at start / end'],
  ['Shift+[ ]', 'shrink the span at start / end'],
  ['select text, then E', 'move the selected span to the selection'],
  ['Del / Backspace', 'delete the selected span or relation'],
  ['relation key, then click or Tab+Enter', 'draw a relation from the selected span'],
  ['drag a span’s edge handle', 'move that edge (snaps to words; Alt: characters; Esc cancels)'],
  ['A / Shift+A', 'accept the selected / all shown suggestions'],
  ['- / =', 'lower / raise the suggestions’ score threshold'],
  ['Ctrl+Z / Ctrl+Shift+Z', 'undo / redo'],
  ['Esc', 'cancel, clear the selection'],
];

const hotkeyToCombo = (hotkey: string): string => hotkey.toLowerCase();

export const handleTextKey = (m: TextEditorModel, e: KeyLike, ctx: KeyContext): boolean => {
  const s = m.session.get();
  // Mid-drag of a span edge, keys wait (undo would cut the gesture); Esc rolls the drag back.
  if (s.edgeDrag) {
    if (e.key === 'Escape') m.drag.end(false);
    return true;
  }
  const ctrl = e.ctrlKey || e.metaKey;
  if (ctrl && !e.altKey && e.code === 'KeyZ') return e.shiftKey ? m.redo() || true : m.undo() || true;
  if (ctrl && !e.altKey && !e.shiftKey && e.code === 'KeyY') return m.redo() || true;
  if (ctrl) return false;

  for (const l of m.config.labels) {
    if (l.hotkey && matchCombo(hotkeyToCombo(l.hotkey), e)) {
      m.applyLabel(l.name);
      return true;
    }
  }
  for (const g of m.config.classes) {
    for (const o of g.options) {
      if (o.hotkey && matchCombo(hotkeyToCombo(o.hotkey), e)) {
        m.toggleClass(g.name, o.name);
        return true;
      }
    }
  }
  for (const r of m.config.relations) {
    if (r.hotkey && matchCombo(hotkeyToCombo(r.hotkey), e) && s.selectedSpan) {
      m.startRelation(r.name);
      return true;
    }
  }

  const selected = m.selectedSpan();
  switch (e.key) {
    case 'Escape':
      if (s.relationFrom || s.selection || s.selectedSpan || s.selectedRelation || s.armedLabel) {
        m.session.set({
          relationFrom: null,
          selection: null,
          selectedSpan: null,
          selectedRelation: null,
          armedLabel: null,
          notice: null,
        });
        return true;
      }
      return false;
    case 'Delete':
    case 'Backspace':
      if (selected) {
        if (selected.suggestion !== undefined) m.rejectSuggestions([selected.id]);
        else m.deleteSpans([selected.id]);
        return true;
      }
      if (s.selectedRelation) {
        m.deleteRelation(s.selectedRelation);
        m.session.set({ selectedRelation: null });
        return true;
      }
      return false;
    case 'Tab': {
      const list = m.shown.sorted();
      if (list.length === 0) return false;
      const cur = !selected
        ? -1
        : list === m.index.sorted
          ? m.index.listIndexOf(selected)
          : list.indexOf(selected);
      const next = e.shiftKey ? (cur <= 0 ? list.length - 1 : cur - 1) : (cur + 1) % list.length;
      // Keep a pending relation: Tab moves the target candidate, Enter confirms.
      m.session.set({
        selectedSpan: list[next]!.id,
        selection: null,
        selectedRelation: null,
        reveal: list[next]!.id,
      });
      return true;
    }
    case 'Enter':
      if (s.relationFrom && selected && selected.id !== s.relationFrom.spanId) {
        m.addRelation(s.relationFrom.spanId, selected.id, s.relationFrom.label);
        m.session.set({ notice: null });
        return true;
      }
      return false;
    case 'ArrowLeft':
    case 'ArrowRight':
      if (!ctx.paneFocused) return false;
      // Visual: → moves towards the text's end in a left-to-right block, its start in a right-to-left one.
      m.arrow(e.key, { extend: e.shiftKey, precise: e.altKey });
      return true;
    default:
      break;
  }
  if (selected && (e.code === 'BracketLeft' || e.code === 'BracketRight')) {
    const edge = e.code === 'BracketLeft' ? 'start' : 'end';
    // Unshifted grows the span outward; shifted shrinks it inward.
    const outward: -1 | 1 = edge === 'start' ? -1 : 1;
    m.nudgeSpan(selected.id, edge, e.shiftKey ? (-outward as -1 | 1) : outward, e.altKey);
    return true;
  }
  if (e.code === 'KeyE' && !e.altKey && !e.shiftKey && selected && m.selectionRange()) {
    m.setSpanToSelection();
    return true;
  }
  if ((e.code === 'Minus' || e.code === 'Equal') && !e.altKey && m.allSuggestions().length > 0) {
    m.setScoreThreshold(s.scoreThreshold + (e.code === 'Minus' ? -THRESHOLD_STEP : THRESHOLD_STEP));
    return true;
  }
  if (e.code === 'KeyA' && !e.altKey) {
    if (e.shiftKey) {
      if (m.suggestions().length === 0) return false;
      m.acceptSuggestions();
      return true;
    }
    if (selected?.suggestion !== undefined) {
      m.acceptSuggestions([selected.id]);
      return true;
    }
  }
  return false;
};
