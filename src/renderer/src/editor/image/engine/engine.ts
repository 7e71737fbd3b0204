import type { Annotation, AnnotationResult, LabelConfig, Prediction } from '../../../../../shared/model';
import type { Bounds, Vec } from '../../../../../shared/geometry';
import { RecordStore } from '../../core/store';
import { History } from '../../core/history';
import { SessionState } from '../../core/session';
import { SpatialIndex } from '../../core/spatial-index';
import {
  type Camera,
  type Size,
  actualSize,
  fitCamera,
  focusOn,
  panBy,
  visibleWorld,
  zoomAt,
} from '../../core/camera';
import {
  type DismissalRecord,
  type ImageRecord,
  type Region,
  annotationToRecords,
  dismissal,
  classRecordId,
  cloneRegions,
  defaultAttributes,
  isRegion,
  labelByName,
  predictionsToRecords,
  recordsToAnnotation,
} from './records';
import { REGION_KINDS, regionArea, regionBounds, regionHit, translateRegion } from '../kinds';
import { type ImageSession, type ToolId, initialSession, toggleIn } from './session';
import type { Tool, ToolKey, ToolPointer } from './tools/types';
import { createTools } from './tools';
import { placeArmedKeypoint } from './keypoint-commands';

export interface EngineOptions {
  config: LabelConfig;
  image: Size;
  initial: Annotation;
  predictions?: readonly Prediction[];
  onChange?: (a: Annotation) => void;
  /**
   * Where Ctrl+C puts regions (replaced in place). The host passes one that outlives the task,
   * so regions can be pasted into the next task; by default the engine's own.
   */
  clipboard?: AnnotationResult[];
  /** The label to start with (the one last used in this project); the config's first otherwise. */
  label?: string | null;
}

/** Idle gaps longer than this are not counted as labeling time. */

/**
 * The image editor without a view: document (record store + history + spatial index), session
 * state, tools and every command the UI offers. The React/Konva view only renders it and forwards
 * input, so everything here is testable in Node.
 */
export class ImageEditorEngine {
  readonly store = new RecordStore<ImageRecord>();
  readonly history: History<ImageRecord>;
  readonly session: SessionState<ImageSession>;
  readonly index = new SpatialIndex<ImageRecord>(regionBounds);
  readonly config: LabelConfig;
  readonly image: Size;
  /** Listeners for the overlay (drafts, cursor): redrawn far more often than the document. */
  private readonly overlayListeners = new Set<() => void>();
  private readonly tools: Partial<Record<ToolId, Tool>>;
  private readonly passthrough: AnnotationResult[];
  private onChange: ((a: Annotation) => void) | undefined;
  private readonly clipboard: AnnotationResult[];
  /** Carried through unchanged: the core records active time (src/shared/metrics). */
  private readonly activeMs: number;
  private emitQueued = false;
  /** The press that placed an armed keypoint: its release is not the tool's. */
  private swallowUp = false;
  cursor: Vec | null = null;

  constructor(opts: EngineOptions) {
    this.config = opts.config;
    this.image = opts.image;
    this.onChange = opts.onChange;
    this.clipboard = opts.clipboard ?? [];
    this.activeMs = opts.initial.activeMs;
    const firstTool = REGION_KINDS.find((k) => k.tool && opts.config.tools.includes(k.type))?.type;
    const label =
      opts.label && labelByName(opts.config, opts.label) ? opts.label : opts.config.labels[0]?.name;
    this.session = new SessionState(initialSession(firstTool ?? 'select', label ?? ''));
    this.history = new History(this.store);
    const doc = annotationToRecords(opts.initial);
    this.passthrough = doc.passthrough;
    this.store.listen((diff, source) => {
      if (source === 'load') this.index.reset(this.store.all());
      else this.index.apply(diff);
      if (diff.removed.length) {
        const { selected, hovered } = this.session.get();
        const gone = diff.removed.map((r) => r.id);
        if (gone.some((id) => selected.has(id)))
          this.session.set({ selected: toggleIn(selected, gone, false) });
        if (hovered && gone.includes(hovered)) this.session.set({ hovered: null });
      }
      if (source !== 'load' && !this.history.inGesture) this.scheduleEmit();
    });
    this.history.onChange(() => this.scheduleEmit());
    const existing = new Set(doc.records.map((r) => r.id));
    this.store.load([
      ...doc.records,
      ...predictionsToRecords(opts.predictions ?? [], existing, doc.dismissed),
    ]);
    this.tools = createTools(this);
  }

  // ---- document ---------------------------------------------------------------------------

  annotation(): Annotation {
    return recordsToAnnotation(this.store.all(), this.passthrough, this.activeMs);
  }

  region(id: string): Region | undefined {
    const r = this.store.get(id);
    return r && isRegion(r) ? r : undefined;
  }

  regions(): Region[] {
    return this.store.all().filter(isRegion);
  }

  newRegionBase(): { label: string; attributes: Record<string, string | boolean> } {
    const label = this.session.get().label;
    return { label, attributes: defaultAttributes(labelByName(this.config, label)) };
  }

  add(regions: Region[]): void {
    this.store.apply({ added: regions, updated: [], removed: [] });
  }

  /** Replace regions by id; editing a suggestion's geometry accepts it. */
  update(regions: Region[], acceptSuggestions = true): void {
    const updated: [ImageRecord, ImageRecord][] = [];
    for (const after of regions) {
      const before = this.store.get(after.id);
      if (!before) continue;
      const next = acceptSuggestions && after.suggested ? { ...after, suggested: undefined } : after;
      updated.push([before, next]);
    }
    this.store.apply({ added: [], updated, removed: [] });
  }

  /** Remove records; a suggestion removed is rejected: its dismissal is recorded in the same diff. */
  remove(ids: Iterable<string>): void {
    const removed = [...ids].map((id) => this.store.get(id)).filter((r): r is ImageRecord => !!r);
    const added = new Map<string, DismissalRecord>();
    for (const r of removed) {
      if (!isRegion(r) || r.suggested?.of === undefined) continue;
      const d = dismissal(r.suggested.of);
      if (!this.store.has(d.id)) added.set(d.id, d);
    }
    this.store.apply({ added: [...added.values()], updated: [], removed });
  }

  /** Run several changes as one undo step. */
  batch(fn: () => void): void {
    const outer = this.history.inGesture;
    this.history.mark();
    try {
      fn();
    } finally {
      if (!outer) this.history.commit();
    }
  }

  // ---- selection & visibility ------------------------------------------------------------

  selected(): Region[] {
    return [...this.session.get().selected].map((id) => this.region(id)).filter((r): r is Region => !!r);
  }

  select(ids: Iterable<string>, mode: 'replace' | 'add' | 'toggle' = 'replace'): void {
    const cur = this.session.get().selected;
    const next = mode === 'replace' ? new Set(ids) : toggleIn(cur, ids, mode === 'add' ? true : undefined);
    const same = next.size === cur.size && [...next].every((id) => cur.has(id));
    this.session.set(same ? { selected: next } : { selected: next, activePoint: 0, placing: null });
  }

  isVisible(r: Region): boolean {
    const s = this.session.get();
    return !s.hidden.has(r.id) && (!r.suggested || (r.score ?? 1) >= s.scoreThreshold);
  }

  /** World units per screen pixel times the pick radius in pixels. */
  pickRadius(px = 6): number {
    return px / this.session.get().camera.scale;
  }

  /** The smallest visible, unlocked region under `p` (small regions inside big ones stay pickable). */
  hitTest(p: Vec): Region | null {
    const tol = this.pickRadius();
    const { locked } = this.session.get();
    let best: Region | null = null;
    let bestArea = Infinity;
    for (const id of this.index.at(p[0], p[1], tol)) {
      const r = this.region(id);
      if (!r || locked.has(id) || !this.isVisible(r) || !regionHit(r, p, tol)) continue;
      const a = regionArea(r);
      if (a < bestArea) {
        best = r;
        bestArea = a;
      }
    }
    return best;
  }

  /** Visible regions intersecting a world rectangle (marquee, culling). */
  regionsIn(b: Bounds): Region[] {
    const out: Region[] = [];
    for (const id of this.index.search(b)) {
      const r = this.region(id);
      if (r && this.isVisible(r)) out.push(r);
    }
    return out;
  }

  setHidden(ids: Iterable<string>, on?: boolean): void {
    this.session.set((s) => ({ hidden: toggleIn(s.hidden, ids, on) }));
  }

  setLocked(ids: Iterable<string>, on?: boolean): void {
    this.session.set((s) => ({ locked: toggleIn(s.locked, ids, on) }));
  }

  // ---- commands -----------------------------------------------------------------------------

  deleteSelected(): boolean {
    const ids = [...this.session.get().selected].filter((id) => !this.session.get().locked.has(id));
    if (!ids.length) return false;
    this.remove(ids);
    return true;
  }

  duplicateSelected(): void {
    const copies = cloneRegions(this.selected(), 10, 10);
    if (!copies.length) return;
    this.add(copies);
    this.select(copies.map((r) => r.id));
  }

  copy(): number {
    const copied = this.selected().map((r) => structuredClone(r));
    this.clipboard.splice(0, this.clipboard.length, ...copied);
    return copied.length;
  }

  paste(): number {
    const clipboard = this.clipboard.filter(isRegion);
    if (!clipboard.length) return 0;
    // Pasting over the originals would hide them: offset when they are still here.
    const offset = clipboard.some((r) => this.store.has(r.id)) ? 10 : 0;
    const copies = cloneRegions(clipboard, offset, offset);
    this.add(copies);
    this.select(copies.map((r) => r.id));
    return copies.length;
  }

  /** "Copy regions from the previous task": one undo step. */
  copyFrom(previous: Annotation): number {
    const regions = previous.results.filter(isRegion);
    const copies = cloneRegions(regions);
    if (copies.length) this.add(copies);
    return copies.length;
  }

  /** Pick the label for new regions; with a selection, relabel it too (one undo step). */
  setLabel(name: string): void {
    if (!labelByName(this.config, name)) return;
    this.session.set({ label: name });
    const sel = this.selected();
    if (!sel.length) return;
    const defaults = defaultAttributes(labelByName(this.config, name));
    this.update(sel.map((r) => ({ ...r, label: name, attributes: { ...defaults, ...r.attributes } })));
  }

  setAttribute(id: string, name: string, value: string | boolean): void {
    const r = this.region(id);
    if (r) this.update([{ ...r, attributes: { ...r.attributes, [name]: value } }], false);
  }

  /**
   * Set a keypoint visible (2), occluded (1) or absent (0). An absent point keeps its position, so
   * showing it again puts it back; one never placed (skipped while drawing: 0,0) has no position,
   * so the next click on the image places it ('placing'; Esc cancels).
   */
  setKeypointVisibility(id: string, index: number, v: 0 | 1 | 2): 'done' | 'placing' | 'none' {
    const r = this.region(id);
    const k = r?.type === 'keypoints' ? r.points[index] : undefined;
    if (r?.type !== 'keypoints' || !k) return 'none';
    this.session.set({ activePoint: index, placing: null });
    if (v > 0 && k.v === 0 && k.x === 0 && k.y === 0) {
      this.session.set({ placing: { id, index, v: v as 1 | 2 } });
      this.redrawOverlay();
      return 'placing';
    }
    if (k.v !== v)
      this.update([{ ...r, points: r.points.map((q, i) => (i === index ? { ...q, v } : q)) }], false);
    return 'done';
  }

  toggleClass(group: string, option: string): void {
    const g = this.config.classes.find((c) => c.name === group);
    if (!g?.options.some((o) => o.name === option)) return;
    const id = classRecordId(group);
    const cur = this.store.get(id);
    const labels = cur?.type === 'image-class' ? cur.labels : [];
    const next = labels.includes(option)
      ? labels.filter((l) => l !== option)
      : g.multiple
        ? [...labels, option]
        : [option];
    const rec: ImageRecord = { type: 'image-class', id, group, labels: next };
    if (!cur) this.store.apply({ added: [rec], updated: [], removed: [] });
    else if (next.length === 0) this.store.apply({ added: [], updated: [], removed: [cur] });
    else this.store.apply({ added: [], updated: [[cur, rec]], removed: [] });
  }

  classLabels(group: string): string[] {
    const r = this.store.get(classRecordId(group));
    return r?.type === 'image-class' ? r.labels : [];
  }

  /** Suggestions shown at the current threshold. */
  suggestions(): Region[] {
    return this.regions().filter((r) => r.suggested && this.isVisible(r));
  }

  acceptSuggestions(ids?: string[]): number {
    const list = (ids ? ids.map((id) => this.region(id)) : this.suggestions()).filter(
      (r): r is Region => !!r?.suggested,
    );
    if (list.length) this.update(list.map((r) => ({ ...r, suggested: undefined })));
    return list.length;
  }

  rejectSuggestions(ids?: string[]): number {
    const list = (ids ? ids.map((id) => this.region(id)) : this.suggestions()).filter(
      (r): r is Region => !!r?.suggested,
    );
    if (list.length) this.remove(list.map((r) => r.id));
    return list.length;
  }

  nudge(dx: number, dy: number): boolean {
    const { locked } = this.session.get();
    const sel = this.selected().filter((r) => !locked.has(r.id));
    if (!sel.length) return false;
    this.update(sel.map((r) => translateRegion(r, dx, dy)));
    return true;
  }

  undo(): boolean {
    this.tool.cancel();
    return this.history.undo();
  }

  redo(): boolean {
    this.tool.cancel();
    return this.history.redo();
  }

  // ---- camera -------------------------------------------------------------------------------

  setViewport(size: Size, refit = false): void {
    this.session.set({ viewport: size });
    if (refit) this.fit();
  }
  setCamera(camera: Camera): void {
    this.session.set({ camera });
  }
  /** The whole image centred, on whole screen pixels (a prepared image's fitted copy lands 1:1). */
  fit(): void {
    const c = fitCamera(this.session.get().viewport, this.image);
    this.setCamera({ ...c, x: Math.round(c.x), y: Math.round(c.y) });
  }
  /** 1:1 around the view's centre, on whole screen pixels so source pixels land on screen pixels. */
  actualSize(): void {
    const s = this.session.get();
    const c = actualSize(s.camera, s.viewport);
    this.setCamera({ scale: 1, x: Math.round(c.x), y: Math.round(c.y) });
  }
  zoomBy(factor: number, at?: Vec): void {
    const s = this.session.get();
    const [sx, sy] = at ?? [s.viewport.width / 2, s.viewport.height / 2];
    this.setCamera(zoomAt(s.camera, factor, sx, sy));
  }
  panBy(dx: number, dy: number): void {
    this.setCamera(panBy(this.session.get().camera, dx, dy));
  }
  focus(id: string): void {
    const b = this.index.boundsOfId(id);
    if (b) this.setCamera(focusOn(this.session.get().viewport, b));
  }
  /** Pan (never zoom) so a region off screen comes to the centre; nothing when it is in view. */
  reveal(id: string): void {
    const b = this.index.boundsOfId(id);
    const { camera, viewport } = this.session.get();
    if (!b) return;
    const v = visibleWorld(camera, viewport);
    if (b.minX >= v.minX && b.maxX <= v.maxX && b.minY >= v.minY && b.maxY <= v.maxY) return;
    const cx = ((b.minX + b.maxX) / 2) * camera.scale + camera.x;
    const cy = ((b.minY + b.maxY) / 2) * camera.scale + camera.y;
    this.panBy(viewport.width / 2 - cx, viewport.height / 2 - cy);
  }

  // ---- tools & input ------------------------------------------------------------------------

  get tool(): Tool {
    return this.tools[this.session.get().tool] ?? this.tools.select!;
  }

  setTool(id: ToolId): void {
    if (id !== 'select' && (!this.config.tools.includes(id) || !this.tools[id])) return;
    this.tool.cancel();
    // A drawing tool starts a new region: a label hotkey then means "for the next one", and must
    // not relabel whatever happened to be selected.
    this.session.set(id === 'select' ? { tool: id } : { tool: id, selected: new Set() });
    this.redrawOverlay();
  }

  pointerDown(p: ToolPointer): void {
    if (this.session.get().placing && p.button === 0) {
      placeArmedKeypoint(this, p.world);
      this.swallowUp = true;
    } else this.tool.down(p);
    this.redrawOverlay();
  }
  pointerMove(p: ToolPointer): void {
    this.cursor = p.world;
    this.tool.move(p);
    this.redrawOverlay();
  }
  pointerUp(p: ToolPointer): void {
    if (this.swallowUp) this.swallowUp = false;
    else this.tool.up(p);
    this.redrawOverlay();
  }
  dblclick(p: ToolPointer): void {
    this.tool.dblclick(p);
    this.redrawOverlay();
  }
  /** Returns true when a tool consumed the key. */
  toolKey(k: ToolKey): boolean {
    if (k === 'escape' && this.session.get().placing) {
      this.session.set({ placing: null });
      this.redrawOverlay();
      return true;
    }
    const used = this.tool.key(k);
    this.redrawOverlay();
    return used;
  }

  /** The host's change callback may be replaced (a new closure each render). */
  setOnChange(fn: ((a: Annotation) => void) | undefined): void {
    this.onChange = fn;
  }

  pointerLeave(): void {
    this.cursor = null;
    this.session.set({ hovered: null });
    this.redrawOverlay();
  }

  onOverlay(l: () => void): () => void {
    this.overlayListeners.add(l);
    return () => this.overlayListeners.delete(l);
  }
  redrawOverlay(): void {
    for (const l of this.overlayListeners) l();
  }

  dispose(): void {
    this.history.dispose();
    this.overlayListeners.clear();
  }

  private scheduleEmit(): void {
    if (!this.onChange || this.emitQueued) return;
    this.emitQueued = true;
    queueMicrotask(() => {
      this.emitQueued = false;
      if (!this.history.inGesture) this.onChange?.(this.annotation());
    });
  }
}
