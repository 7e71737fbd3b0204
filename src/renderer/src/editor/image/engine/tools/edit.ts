import {
  type Handle,
  type Vec,
  RESIZE_HANDLES,
  handlePosition,
  nearestVertex,
  resizeBox,
  rotationTowards,
} from '../../../../../../shared/geometry';
import type { ImageEditorEngine } from '../engine';
import { type Region, translateRegion } from '../records';
import type { ToolPointer } from './types';

/** Screen pixels: how far the rotation knob sits above a box, and the handle pick radius. */
export const ROT_KNOB_PX = 28;
export const HANDLE_PX = 7;

export type HandleHit =
  | { kind: 'box'; handle: Handle }
  | { kind: 'vertex'; index: number }
  | { kind: 'midpoint'; index: number }
  | { kind: 'keypoint'; index: number };

/** Midpoints of a polygon's edges (or a polyline's segments): drag one to insert a vertex. */
export const midpoints = (pts: readonly Vec[], closed: boolean): [number, number][] => {
  const n = closed ? pts.length : pts.length - 1;
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const a = pts[i]!;
    const b = pts[(i + 1) % pts.length]!;
    out.push([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
  }
  return out;
};

/** The handle of the (single, unlocked) selected region under `p`, if any. */
export const handleAt = (engine: ImageEditorEngine, p: Vec): { region: Region; hit: HandleHit } | null => {
  const sel = engine.selected();
  if (sel.length !== 1) return null;
  const region = sel[0]!;
  if (engine.session.get().locked.has(region.id)) return null;
  const tol = engine.pickRadius(HANDLE_PX);
  switch (region.type) {
    case 'bbox': {
      const handles: Handle[] = engine.config.allowRotation
        ? [...RESIZE_HANDLES, 'rot']
        : [...RESIZE_HANDLES];
      const rotOffset = engine.pickRadius(ROT_KNOB_PX);
      for (const h of handles) {
        const hp = handlePosition(region, h, rotOffset);
        if ((hp[0] - p[0]) ** 2 + (hp[1] - p[1]) ** 2 <= tol * tol)
          return { region, hit: { kind: 'box', handle: h } };
      }
      return null;
    }
    case 'polygon':
    case 'polyline': {
      const v = nearestVertex(region.points, p, tol);
      if (v >= 0) return { region, hit: { kind: 'vertex', index: v } };
      const m = nearestVertex(midpoints(region.points, region.type === 'polygon'), p, tol);
      return m >= 0 ? { region, hit: { kind: 'midpoint', index: m } } : null;
    }
    case 'keypoints': {
      const pts = region.points.map((k) => (k.v > 0 ? ([k.x, k.y] as Vec) : ([Infinity, Infinity] as Vec)));
      const k = nearestVertex(pts, p, tol);
      return k >= 0 ? { region, hit: { kind: 'keypoint', index: k } } : null;
    }
  }
};

/** Alt+click on a polygon/polyline vertex deletes it (never below the shape's minimum). */
export const deleteVertex = (engine: ImageEditorEngine, region: Region, index: number): boolean => {
  if (region.type !== 'polygon' && region.type !== 'polyline') return false;
  const min = region.type === 'polygon' ? 3 : 2;
  if (region.points.length <= min) return false;
  engine.update([{ ...region, points: region.points.filter((_, i) => i !== index) }]);
  return true;
};

/**
 * One edit gesture on existing regions (move, resize, rotate, vertex drag): a history mark at
 * the start, every move recomputed from the originals (no drift), commit at the end = one undo
 * step, cancel = rollback.
 */
export class EditGesture {
  private readonly originals: Region[];

  private constructor(
    private readonly engine: ImageEditorEngine,
    private readonly start: Vec,
    private readonly kind: HandleHit | { kind: 'move' },
    regions: Region[],
  ) {
    this.originals = regions;
    engine.history.mark();
  }

  static move(engine: ImageEditorEngine, start: Vec): EditGesture | null {
    const { locked } = engine.session.get();
    const regions = engine.selected().filter((r) => !locked.has(r.id));
    return regions.length ? new EditGesture(engine, start, { kind: 'move' }, regions) : null;
  }

  static handle(engine: ImageEditorEngine, start: Vec, region: Region, hit: HandleHit): EditGesture {
    const g = new EditGesture(engine, start, hit, [region]);
    if (hit.kind === 'midpoint' && (region.type === 'polygon' || region.type === 'polyline')) {
      // Insert the new vertex now; the drag then moves it.
      const points = [...region.points];
      points.splice(hit.index + 1, 0, [start[0], start[1]]);
      const inserted = { ...region, points };
      g.originals[0] = inserted;
      engine.update([inserted]);
    }
    return g;
  }

  move(p: ToolPointer): void {
    const dx = p.world[0] - this.start[0];
    const dy = p.world[1] - this.start[1];
    const k = this.kind;
    const next = this.originals.map((r): Region => {
      if (k.kind === 'move') return translateRegion(r, dx, dy);
      if (k.kind === 'box' && r.type === 'bbox') {
        if (k.handle === 'rot') return { ...r, rotation: rotationTowards(r, p.world, p.shift ? 15 : 0) };
        return { ...r, ...resizeBox(r, k.handle, p.world), rotation: r.rotation };
      }
      if ((k.kind === 'vertex' || k.kind === 'midpoint') && (r.type === 'polygon' || r.type === 'polyline')) {
        const idx = k.kind === 'vertex' ? k.index : k.index + 1;
        return { ...r, points: r.points.map((pt, i) => (i === idx ? [pt[0] + dx, pt[1] + dy] : pt)) };
      }
      if (k.kind === 'keypoint' && r.type === 'keypoints') {
        return {
          ...r,
          points: r.points.map((pt, i) => (i === k.index ? { ...pt, x: pt.x + dx, y: pt.y + dy } : pt)),
        };
      }
      return r;
    });
    this.engine.update(next);
  }

  end(): void {
    this.engine.history.commit();
  }

  cancel(): void {
    this.engine.history.rollback();
  }
}
