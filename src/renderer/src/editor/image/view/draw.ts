import type { Vec } from '../../../../../shared/geometry';
import type { KeypointsRegion, Region } from '../engine/records';
import type { ToolDraft } from '../engine/tools/types';
import { regionKind } from '../kinds';
import { keypointsKind } from '../kinds/keypoints';
import { type DrawStyle, HANDLE_PX, dot, handleStyle } from '../kinds/types';

export type { DrawStyle };

/**
 * Canvas drawing of regions, in world coordinates (the caller applies the camera). Each region
 * is drawn by its kind (`kinds/`); this file batches styles per label and draws the overlay.
 */

const FILL_ALPHA = '24';
const SEL_FILL_ALPHA = '3a';

/**
 * All unselected regions in one pass, styles set once per label. Each region is filled and
 * stroked on its own (fillRect/strokeRect for upright boxes): Skia rasterizes many small shapes
 * far faster than one path of thousands of overlapping subpaths, whose scanlines cross every edge.
 */
export const drawRegions = (
  ctx: CanvasRenderingContext2D,
  regions: readonly Region[],
  s: DrawStyle,
): void => {
  const groups = new Map<string, Region[]>();
  for (const r of regions) {
    const key = (r.suggested ? '~' : '') + r.label;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(r);
  }
  ctx.lineJoin = 'miter';
  for (const [key, list] of groups) {
    const suggested = key.startsWith('~');
    const color = s.colorOf(suggested ? key.slice(1) : key);
    ctx.fillStyle = color + (suggested ? '10' : FILL_ALPHA);
    ctx.strokeStyle = color;
    ctx.lineWidth = (suggested ? 1.25 : 1.5) / s.scale;
    ctx.setLineDash(suggested ? [5 / s.scale, 4 / s.scale] : []);
    for (const r of list) {
      const kind = regionKind(r);
      if (kind.drawFast?.(ctx, r)) continue;
      ctx.beginPath();
      kind.path(ctx, r, s);
      if (kind.fillable) ctx.fill();
      ctx.stroke();
    }
  }
  ctx.setLineDash([]);
};

/** Where a region's label tag sits (its kind decides: a rotated box's own top-left corner). */
export const labelAnchor = (r: Region): Vec => regionKind(r).labelAnchor(r);

/** Selected regions: emphasized, and for a single editable one, its handles. */
export const drawSelection = (
  ctx: CanvasRenderingContext2D,
  regions: readonly Region[],
  s: DrawStyle,
  opts: { handles: boolean; allowRotation: boolean },
): void => {
  for (const r of regions) {
    const color = s.colorOf(r.label);
    const kind = regionKind(r);
    ctx.beginPath();
    kind.path(ctx, r, s);
    if (kind.fillable) {
      ctx.fillStyle = color + SEL_FILL_ALPHA;
      ctx.fill();
    }
    // A dark under-stroke keeps the outline legible on bright and dark images alike.
    ctx.strokeStyle = 'rgba(0,0,0,0.55)';
    ctx.lineWidth = 4 / s.scale;
    ctx.stroke();
    ctx.strokeStyle = color;
    ctx.lineWidth = 2 / s.scale;
    ctx.stroke();
  }
  if (!opts.handles || regions.length !== 1) return;
  const r = regions[0]!;
  regionKind(r).drawHandles(ctx, r, s, {
    half: HANDLE_PX / 1.6 / s.scale,
    allowRotation: opts.allowRotation,
  });
};

/** The in-progress shape of a drawing tool, and the marquee. */
export const drawDraft = (
  ctx: CanvasRenderingContext2D,
  d: ToolDraft,
  s: DrawStyle,
  accent: string,
): void => {
  if (d.kind === 'marquee') {
    const [a, b] = d.points as [Vec, Vec];
    ctx.beginPath();
    ctx.rect(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]));
    ctx.fillStyle = accent + '22';
    ctx.fill();
    ctx.setLineDash([4 / s.scale, 3 / s.scale]);
    ctx.strokeStyle = accent;
    ctx.lineWidth = 1 / s.scale;
    ctx.stroke();
    ctx.setLineDash([]);
    return;
  }
  const color = s.colorOf(d.label);
  const half = HANDLE_PX / 1.6 / s.scale;
  if (d.kind === 'keypoints') {
    const pts = d.points.map((p, i) => ({ x: p[0], y: p[1], v: d.visibility?.[i] ?? 2 }));
    const draft = { points: pts } as KeypointsRegion;
    ctx.beginPath();
    keypointsKind.path(ctx, draft, s);
    ctx.strokeStyle = color;
    ctx.lineWidth = 2 / s.scale;
    ctx.stroke();
    keypointsKind.drawHandles(ctx, draft, s, { half, allowRotation: false });
    return;
  }
  const pts = d.cursor ? [...d.points, d.cursor] : d.points;
  ctx.beginPath();
  pts.forEach((p, i) => (i === 0 ? ctx.moveTo(p[0], p[1]) : ctx.lineTo(p[0], p[1])));
  ctx.strokeStyle = 'rgba(0,0,0,0.5)';
  ctx.lineWidth = 4 / s.scale;
  ctx.stroke();
  ctx.strokeStyle = color;
  ctx.lineWidth = 2 / s.scale;
  ctx.stroke();
  if (d.kind === 'polygon' && d.points.length >= 2 && d.cursor) {
    ctx.beginPath();
    ctx.moveTo(d.cursor[0], d.cursor[1]);
    ctx.lineTo(d.points[0]![0], d.points[0]![1]);
    ctx.setLineDash([4 / s.scale, 4 / s.scale]);
    ctx.lineWidth = 1 / s.scale;
    ctx.stroke();
    ctx.setLineDash([]);
  }
  handleStyle(ctx, s);
  ctx.beginPath();
  for (const p of d.points) dot(ctx, p, half);
  ctx.fill();
  ctx.stroke();
  if (d.kind === 'polygon' && d.points.length >= 3) {
    // The first point grows to show it closes the polygon.
    ctx.beginPath();
    dot(ctx, d.points[0]!, half * 1.6);
    ctx.strokeStyle = color;
    ctx.lineWidth = 2 / s.scale;
    ctx.stroke();
  }
};

/** Crosshair across the visible world rectangle. */
export const drawCrosshair = (
  ctx: CanvasRenderingContext2D,
  at: Vec,
  view: { minX: number; minY: number; maxX: number; maxY: number },
  s: DrawStyle,
): void => {
  ctx.beginPath();
  ctx.moveTo(view.minX, at[1]);
  ctx.lineTo(view.maxX, at[1]);
  ctx.moveTo(at[0], view.minY);
  ctx.lineTo(at[0], view.maxY);
  ctx.lineWidth = 1 / s.scale;
  ctx.strokeStyle = 'rgba(255,255,255,0.75)';
  ctx.setLineDash([6 / s.scale, 4 / s.scale]);
  ctx.stroke();
  ctx.strokeStyle = 'rgba(0,0,0,0.55)';
  ctx.lineDashOffset = 6 / s.scale;
  ctx.stroke();
  ctx.lineDashOffset = 0;
  ctx.setLineDash([]);
};
