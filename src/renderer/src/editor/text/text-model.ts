/**
 * The text editor without a view: document store + history (shared editor core), session state,
 * the span index and segmentation. Every user action is a method here; the React view only maps
 * events to these calls and renders state. Unit-tested in Node.
 */
import type { PreparedText } from './prepared-texts';
import type {
  Annotation,
  AnnotationResult,
  LabelConfig,
  Prediction,
  TextDirection,
} from '../../../../shared/model';
import { History } from '../core/history';
import { SessionState } from '../core/session';
import { type Diff, RecordStore, emptyDiff } from '../core/store';
import { blockDirection, logicalStep } from './direction';
import { TextDoc } from './doc';
import {
  type ClassRec,
  type RelationRec,
  type SpanRec,
  type TextRecord,
  dismissal,
  loadAnnotation,
  loadSuggestions,
  newId,
  predictionIds,
  toAnnotation,
} from './records';
import { Segmentation } from './segment';
import { SpanIndex } from './span-index';
import { type Edge, EdgeDrag } from './span-edges';
import { ShownFilter, acceptDiff, clampThreshold, rejectDiff } from './suggestions';

export interface TextSession {
  /**
   * Text selection in code points (anchor may be after focus). `precise`: made with Alt, so it
   * keeps the characters chosen; otherwise it holds whole words and never starts or ends on a space.
   */
  selection: { anchor: number; focus: number; precise?: boolean } | null;
  selectedSpan: string | null;
  selectedRelation: string | null;
  /** Label applied straight away when a selection is made. */
  armedLabel: string | null;
  /** Relation being drawn from a span, waiting for its target. */
  relationFrom: { spanId: string; label: string } | null;
  /** A one-line message for the status strip (e.g. why a span was refused). */
  notice: string | null;
  /** Span to scroll into view (chosen from the list or with Tab, not by clicking it in the text). */
  reveal: string | null;
  /** Suggestions scoring below this are hidden (and left alone by accept/reject all). */
  scoreThreshold: number;
  /** A span edge being dragged with the mouse (one undo step; Esc rolls it back). */
  edgeDrag: { spanId: string; edge: Edge } | null;
}

export interface TextEditorInit {
  text: string;
  config: LabelConfig;
  initial: Annotation;
  predictions?: Prediction[];
  /** Show predictions as suggestions (off when reopening submitted work). */
  showSuggestions?: boolean;
  /** Base direction of the text (the task's, else the project's); absent = each block's own. */
  direction?: TextDirection | undefined;
  /** The text indexed and segmented ahead (`prepared-texts.ts`); built here when absent. */
  prepared?: PreparedText | null;
}

export class TextEditorModel {
  readonly doc: TextDoc;
  readonly seg: Segmentation;
  readonly store = new RecordStore<TextRecord>();
  readonly history: History<TextRecord>;
  readonly index: SpanIndex;
  /** What the score threshold leaves visible. */
  readonly shown: ShownFilter;
  /** Dragging a span's edges with the mouse. */
  readonly drag = new EdgeDrag(this);
  readonly session = new SessionState<TextSession>({
    selection: null,
    selectedSpan: null,
    selectedRelation: null,
    armedLabel: null,
    relationFrom: null,
    notice: null,
    reveal: null,
    scoreThreshold: 0,
    edgeDrag: null,
  });
  readonly config: LabelConfig;
  readonly problems: string[];
  private readonly passthrough: AnnotationResult[];
  /** Ids of every prediction result: deleting one, even after accepting it, dismisses it. */
  private readonly predictionIds: Set<string>;
  /** Carried through unchanged: the core records active time (src/shared/metrics). */
  private readonly activeMs: number;
  readonly direction: TextDirection | undefined;

  constructor(init: TextEditorInit) {
    this.doc = init.prepared?.doc ?? new TextDoc(init.text);
    this.direction = init.direction;
    this.seg = init.prepared?.seg ?? new Segmentation(this.doc);
    this.config = init.config;
    const loaded = loadAnnotation(this.doc, init.initial);
    this.problems = loaded.problems;
    this.passthrough = loaded.passthrough;
    this.activeMs = init.initial.activeMs;
    this.predictionIds = new Set(predictionIds(init.predictions ?? []).flatMap((m) => [...m.values()]));
    const suggestions =
      init.showSuggestions === false
        ? []
        : loadSuggestions(this.doc, init.predictions ?? [], loaded.records, loaded.dismissed);
    this.index = new SpanIndex(this.doc);
    this.shown = new ShownFilter(this.index, () => this.session.get().scoreThreshold);
    const all = [...loaded.records, ...suggestions];
    this.index.reset(all);
    this.store.load(all);
    // The index was built in bulk above; from here on it follows the store's diffs.
    this.store.listen((diff, source) => {
      if (source === 'load') return;
      this.index.apply(diff);
    });
    this.history = new History(this.store);
  }

  labelColor(label: string): string {
    return this.config.labels.find((l) => l.name === label)?.color ?? '#868e96';
  }

  relationColor(label: string): string {
    return this.config.relations.find((l) => l.name === label)?.color ?? '#868e96';
  }

  annotation(): Annotation {
    return toAnnotation(this.store.all(), this.passthrough, this.activeMs);
  }

  /** Selection normalized to [start, end), or null when empty. */
  selectionRange(): [number, number] | null {
    const s = this.session.get().selection;
    if (!s || s.anchor === s.focus) return null;
    return [Math.min(s.anchor, s.focus), Math.max(s.anchor, s.focus)];
  }

  /** Set the selection from raw offsets, snapped to words (or graphemes when `precise`). */
  select(anchor: number, focus: number, precise: boolean): [number, number] | null {
    const snapped = this.snap(anchor, focus, precise);
    if (!snapped || snapped[0] >= snapped[1]) {
      this.session.set({ selection: null });
      return null;
    }
    const forward = focus >= anchor;
    this.session.set({
      selection: forward
        ? { anchor: snapped[0], focus: snapped[1], precise }
        : { anchor: snapped[1], focus: snapped[0], precise },
      // The selected span stays selected, so its edges can be set to the new selection (E).
      selectedRelation: null,
      notice: null,
    });
    return snapped;
  }

  /** Create a span over [start, end) (already snapped). Returns its id, or null if refused. */
  createSpan(start: number, end: number, label: string): string | null {
    if (!this.config.labels.some((l) => l.name === label)) return this.refuse(`unknown label ${label}`);
    if (start >= end) return null;
    if (!this.seg.isGraphemeBoundary(start) || !this.seg.isGraphemeBoundary(end))
      return this.refuse('a span cannot split a character');
    const all = this.index.overlapping(start, end);
    const overlapping = all.filter((s) => s.suggestion === undefined);
    const same = all.find((s) => s.start === start && s.end === end && s.label === label);
    if (same) {
      // Labelling exactly what a suggestion says accepts it, so it is never there twice.
      if (same.suggestion !== undefined) this.acceptSuggestions([same.id]);
      this.session.set({ selectedSpan: same.id, selection: null });
      return same.id;
    }
    if (!this.config.allowOverlappingSpans && overlapping.length > 0)
      return this.refuse('spans may not overlap in this project');
    const span: SpanRec = {
      type: 'span',
      id: newId('s'),
      label,
      start,
      end,
      text: this.doc.slice(start, end),
      attributes: {},
    };
    this.apply({ ...emptyDiff(), added: [span] });
    this.session.set({ selection: null, selectedSpan: span.id, selectedRelation: null, notice: null });
    return span.id;
  }

  /** Word snapping, or grapheme snapping when `precise`: the one rule for every selection. */
  private snap(anchor: number, focus: number, precise: boolean): [number, number] | null {
    const [a, b] = [Math.min(anchor, focus), Math.max(anchor, focus)];
    return precise ? this.seg.snapGraphemes(a, b) : this.seg.snapWords(a, b);
  }

  /**
   * Label the current selection, or relabel the selected span; with nothing selected, arm the
   * label (the next selection gets it) and say so in the notice, which is announced.
   */
  applyLabel(label: string): void {
    const sel = this.session.get().selection;
    const range = sel && sel.anchor !== sel.focus ? this.snap(sel.anchor, sel.focus, !!sel.precise) : null;
    if (range) {
      this.createSpan(range[0], range[1], label);
      return;
    }
    const span = this.selectedSpan();
    if (span) {
      this.setSpanLabel(span.id, label);
      return;
    }
    const armed = this.session.get().armedLabel === label ? null : label;
    this.session.set({
      armedLabel: armed,
      selection: sel && sel.anchor !== sel.focus ? null : sel,
      notice: armed
        ? `Nothing is selected: ${label} is armed — select text to label it (Esc cancels)`
        : `${label} disarmed`,
    });
  }

  selectedSpan(): SpanRec | undefined {
    const id = this.session.get().selectedSpan;
    return id ? this.index.spans.get(id) : undefined;
  }

  setSpanLabel(id: string, label: string): void {
    const s = this.index.spans.get(id);
    if (!s || !this.config.labels.some((l) => l.name === label)) return;
    // Relabelling a suggestion accepts it with the new label (the "edit" of a pre-annotation).
    this.update(s, { ...s, label, suggestion: undefined });
  }

  /** Move a span's edges; refused if it would become empty or split a character. */
  setSpanRange(id: string, start: number, end: number): boolean {
    const s = this.index.spans.get(id);
    if (!s) return false;
    if (start >= end || start < 0 || end > this.doc.cpLength) return false;
    if (!this.seg.isGraphemeBoundary(start) || !this.seg.isGraphemeBoundary(end)) return false;
    if (
      !this.config.allowOverlappingSpans &&
      this.index.overlapping(start, end).some((o) => o.id !== id && !o.suggestion)
    )
      return !!this.refuse('spans may not overlap in this project');
    this.update(s, { ...s, start, end, text: this.doc.slice(start, end), suggestion: undefined });
    return true;
  }

  /** Move the selected span's edges to the current text selection (mouse editing of a span). */
  setSpanToSelection(): boolean {
    const span = this.selectedSpan();
    const range = this.selectionRange();
    if (!span || !range) return false;
    const ok = this.setSpanRange(span.id, range[0], range[1]);
    if (ok) this.session.set({ selection: null });
    return ok;
  }

  /** Grow or shrink one edge of a span by a word (or a character when `precise`). */
  nudgeSpan(id: string, edge: 'start' | 'end', dir: -1 | 1, precise: boolean): void {
    const s = this.index.spans.get(id);
    if (!s) return;
    const step = (cp: number): number =>
      precise ? this.seg.stepGrapheme(cp, dir) : this.seg.nextStop(cp, dir, edge);
    if (edge === 'start') this.setSpanRange(id, step(s.start), s.end);
    else this.setSpanRange(id, s.start, step(s.end));
  }

  /** Delete spans with their relations, as one undo step. */
  deleteSpans(ids: string[]): void {
    const removed: TextRecord[] = [];
    const seen = new Set<string>();
    for (const id of ids) {
      const s = this.index.spans.get(id);
      if (!s) continue;
      removed.push(s);
      for (const r of this.index.relationsOf(id)) {
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        removed.push(r);
      }
    }
    if (removed.length === 0) return;
    this.apply({ ...emptyDiff(), removed, added: this.dismissalsFor(removed) });
    const cur = this.session.get();
    if (cur.selectedSpan && ids.includes(cur.selectedSpan)) this.session.set({ selectedSpan: null });
  }

  addRelation(from: string, to: string, label: string): string | null {
    if (from === to || !this.index.spans.has(from) || !this.index.spans.has(to)) return null;
    if (!this.config.relations.some((r) => r.name === label)) return this.refuse(`unknown relation ${label}`);
    const dup = [...this.index.relations.values()].find(
      (r) => r.from === from && r.to === to && r.label === label,
    );
    if (dup) return dup.id;
    const rel: RelationRec = { type: 'relation', id: newId('r'), label, from, to };
    const added: TextRecord[] = [rel];
    // A relation to a suggested span accepts that span.
    const updated: [TextRecord, TextRecord][] = [];
    for (const id of [from, to]) {
      const s = this.index.spans.get(id)!;
      if (s.suggestion !== undefined) updated.push([s, { ...s, suggestion: undefined }]);
    }
    this.apply({ added, updated, removed: [] });
    this.session.set({ relationFrom: null, selectedRelation: rel.id });
    return rel.id;
  }

  /** Begin a relation from the selected span; the next span chosen becomes its target. */
  startRelation(label: string): boolean {
    const s = this.selectedSpan();
    if (!s) return !!this.refuse('select a span first, then press the relation key');
    this.session.set({ relationFrom: { spanId: s.id, label }, notice: `${label}: choose the target span` });
    return true;
  }

  /** A span was clicked: completes a pending relation, else selects it (`reveal`: scroll to it). */
  pickSpan(id: string, reveal = false): void {
    if (reveal) this.session.set({ reveal: id });
    const pending = this.session.get().relationFrom;
    if (pending && pending.spanId !== id) {
      this.addRelation(pending.spanId, id, pending.label);
      this.session.set({ notice: null });
      return;
    }
    this.session.set({ selectedSpan: id, selection: null, selectedRelation: null, relationFrom: null });
  }

  deleteRelation(id: string): void {
    const r = this.index.relations.get(id);
    if (r) this.apply({ ...emptyDiff(), removed: [r], added: this.dismissalsFor([r]) });
  }

  /** Removing a record that came from a prediction (suggested or accepted) rejects that prediction. */
  private dismissalsFor(removed: TextRecord[]): TextRecord[] {
    return removed.filter((r) => this.predictionIds.has(r.id)).map((r) => dismissal(r.id));
  }

  classRecord(group: string): ClassRec | undefined {
    for (const c of this.index.classes.values())
      if (c.group === group && c.suggestion === undefined) return c;
    return undefined;
  }

  /** Choose or unchoose a document class (single-choice groups replace, multi toggle). */
  toggleClass(groupName: string, option: string): void {
    const group = this.config.classes.find((g) => g.name === groupName);
    if (!group || !group.options.some((o) => o.name === option)) return;
    const cur = this.classRecord(groupName);
    const labels = cur?.labels ?? [];
    const has = labels.includes(option);
    const next = group.multiple
      ? has
        ? labels.filter((l) => l !== option)
        : [...labels, option]
      : has
        ? []
        : [option];
    if (!cur)
      this.apply({
        ...emptyDiff(),
        added: [{ type: 'doc-class', id: newId('c'), group: groupName, labels: next }],
      });
    else if (next.length === 0)
      this.apply({ ...emptyDiff(), removed: [cur], added: this.dismissalsFor([cur]) });
    else this.update(cur, { ...cur, labels: next });
  }

  /** Suggestions shown at the current score threshold. */
  suggestions(): TextRecord[] {
    return this.allSuggestions().filter((r) => this.shown.has(r));
  }

  /** Every pending suggestion, shown or not. */
  allSuggestions(): TextRecord[] {
    return this.store.all().filter((r) => r.suggestion !== undefined);
  }

  setScoreThreshold(value: number): void {
    const scoreThreshold = clampThreshold(value);
    this.session.set({ scoreThreshold });
    const sel = this.selectedSpan();
    if (sel && !this.shown.has(sel)) this.session.set({ selectedSpan: null });
  }

  /** Accept suggestions (the shown ones when `ids` is omitted), as one undo step. */
  acceptSuggestions(ids?: string[]): void {
    const diff = acceptDiff(this.targets(ids), this.config, this.index, (g) => this.classRecord(g));
    this.apply(diff);
  }

  /** Reject suggestions (the shown ones when `ids` is omitted), as one undo step. */
  rejectSuggestions(ids?: string[]): void {
    this.apply(rejectDiff(this.targets(ids), this.index));
    const sel = this.session.get().selectedSpan;
    if (sel && !this.index.spans.has(sel)) this.session.set({ selectedSpan: null });
  }

  private targets(ids?: string[]): TextRecord[] {
    if (!ids) return this.suggestions();
    return ids.map((id) => this.store.get(id)).filter((r): r is TextRecord => !!r?.suggestion);
  }

  undo(): boolean {
    return this.history.undo();
  }

  redo(): boolean {
    return this.history.redo();
  }

  /** Direction of the block holding `cp` (the task's or project's when set). */
  dirAt(cp: number): 'ltr' | 'rtl' {
    const b = this.doc.blocks[this.doc.blockAt(Math.min(cp, Math.max(0, this.doc.cpLength - 1)))];
    return blockDirection(b?.text ?? '', this.direction);
  }

  /** An arrow key pressed in the document: visual left/right, as a logical move in the focus's block. */
  arrow(key: 'ArrowLeft' | 'ArrowRight', opts: { extend: boolean; precise: boolean }): void {
    const s = this.session.get().selection;
    this.moveCaret(logicalStep(key, this.dirAt(s ? s.focus : 0)), opts);
  }

  /**
   * Move the keyboard caret (and extend the selection with `extend`). An extended selection is
   * snapped as a mouse one is: to whole words without edge spaces, or with `precise` (Alt) to
   * grapheme clusters, so the span a label key makes from it is what the mouse would make.
   */
  moveCaret(dir: -1 | 1, opts: { extend: boolean; precise: boolean }): void {
    const s = this.session.get().selection;
    const from = s ? s.focus : 0;
    const to = opts.precise ? this.seg.stepGrapheme(from, dir) : this.seg.stepWord(from, dir);
    if (!opts.extend || !s) {
      this.session.set({ selection: { anchor: to, focus: to }, selectedSpan: null, notice: null });
      return;
    }
    const snapped = this.snap(s.anchor, to, opts.precise);
    // Only spaces between anchor and focus so far: keep the raw ends, nothing is selected yet.
    const selection = !snapped
      ? { anchor: s.anchor, focus: to }
      : to >= s.anchor
        ? { anchor: snapped[0], focus: snapped[1], precise: opts.precise }
        : { anchor: snapped[1], focus: snapped[0], precise: opts.precise };
    this.session.set({ selection, selectedSpan: null, notice: null });
  }

  private apply(diff: Diff<TextRecord>): void {
    this.store.apply(diff, 'user');
  }

  private update(before: TextRecord, after: TextRecord): void {
    if (after.suggestion === undefined) delete after.suggestion;
    this.apply({ ...emptyDiff(), updated: [[before, after]] });
  }

  private refuse(message: string): null {
    this.session.set({ notice: message });
    return null;
  }
}
