import { type Vec, RESIZE_HANDLES, boxCorners, handlePosition } from '../../../../../shared/geometry';
import { readableOn } from '../../../../../shared/color/contrast';
import type { Skeleton } from '../../../../../shared/model';
import { type Region, regionBounds } from '../engine/records';
import { HANDLE_PX, ROT_KNOB_PX, midpoints } from '../engine/tools/edit';
import type { ToolDraft } from '../engine/tools/types';

/**
 * Canvas drawing of regions, in world coordinates (the caller applies the camera). Regions are
 * batched by colour so thousands of them cost one path and two draw calls per label, not one
 * node each: this is what keeps the view flat in N.
 */
export interface DrawStyle {
  /** Camera scale: line widths and handle sizes are divided by it to stay constant on screen. */
  scale: number;
  colorOf(label: string): string;
  skeleton: Skeleton | undefined;
}

const FILL_ALPHA = '24';
const SEL_FILL_ALPHA = '3a';

/** Add one region's outline to the current path. */
const pathRegion = (ctx: CanvasRenderingContext2D, r: Region, s: DrawStyle): void => {
  switch (r.type) {
    case 'bbox': {
      if (!r.rotation) {
        ctx.rect(r.x, r.y, r.w, r.h);
        return;
      }
      const c = boxCorners(r);
      ctx.moveTo(c[0]![0], c[0]![1]);
      for (let i = 1; i < 4; i++) ctx.lineTo(c[i]![0], c[i]![1]);
      ctx.closePath();
      return;
    }
    case 'polygon':
    case 'polyline': {
      const p = r.points;
      ctx.moveTo(p[0]![0], p[0]![1]);
      for (let i = 1; i < p.length; i++) ctx.lineTo(p[i]![0], p[i]![1]);
      if (r.type === 'polygon') ctx.closePath();
      return;
    }
    case 'keypoints': {
      const p = r.points;
      for (const [a, b] of s.skeleton?.edges ?? []) {
        const pa = p[a];
        const pb = p[b];
        if (!pa || !pb || pa.v === 0 || pb.v === 0) continue;
        ctx.moveTo(pa.x, pa.y);
        ctx.lineTo(pb.x, pb.y);
      }
      const rad = 3.5 / s.scale;
      for (const k of p) {
        if (k.v === 0) continue;
        ctx.moveTo(k.x + rad, k.y);
        ctx.arc(k.x, k.y, rad, 0, Math.PI * 2);
      }
    }
  }
};

const fillable = (r: Region): boolean => r.type === 'bbox' || r.type === 'polygon';

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
      if (r.type === 'bbox' && !r.rotation) {
        ctx.fillRect(r.x, r.y, r.w, r.h);
        ctx.strokeRect(r.x, r.y, r.w, r.h);
        continue;
      }
      ctx.beginPath();
      pathRegion(ctx, r, s);
      if (fillable(r)) ctx.fill();
      ctx.stroke();
    }
  }
  ctx.setLineDash([]);
};

/** Where a region's label tag sits: its top-left (a rotated box's own top-left corner). */
export const labelAnchor = (r: Region): Vec => {
  if (r.type === 'bbox' && r.rotation) return boxCorners(r)[0]!;
  const b = regionBounds(r);
  return b ? [b.minX, b.minY] : [0, 0];
};

/** Label tags at each region's top-left, sized in screen pixels. */
export const drawLabels = (
  ctx: CanvasRenderingContext2D,
  items: readonly { r: Region; at: Vec }[],
  s: DrawStyle,
): void => {
  const fs = 11 / s.scale;
  ctx.font = `600 ${fs}px system-ui, sans-serif`;
  ctx.textBaseline = 'bottom';
  for (const { r, at } of items) {
    const text = r.suggested && r.score !== undefined ? `${r.label} ${Math.round(r.score * 100)}%` : r.label;
    const w = ctx.measureText(text).width + 8 / s.scale;
    const h = fs + 4 / s.scale;
    ctx.fillStyle = s.colorOf(r.label);
    ctx.fillRect(at[0], at[1] - h, w, h);
    // Black or white, whichever reads at ≥ 4.5:1 on the label's colour.
    ctx.fillStyle = readableOn(s.colorOf(r.label));
    ctx.fillText(text, at[0] + 4 / s.scale, at[1] - 2 / s.scale);
  }
};

const square = (ctx: CanvasRenderingContext2D, p: Vec, half: number): void => {
  ctx.rect(p[0] - half, p[1] - half, half * 2, half * 2);
};
const dot = (ctx: CanvasRenderingContext2D, p: Vec, rad: number): void => {
  ctx.moveTo(p[0] + rad, p[1]);
  ctx.arc(p[0], p[1], rad, 0, Math.PI * 2);
};

const handleStyle = (ctx: CanvasRenderingContext2D, s: DrawStyle): void => {
  ctx.fillStyle = '#ffffff';
  ctx.strokeStyle = '#1b1f24';
  ctx.lineWidth = 1.25 / s.scale;
};

/** Selected regions: emphasized, and for a single editable one, its handles. */
export const drawSelection = (
  ctx: CanvasRenderingContext2D,
  regions: readonly Region[],
  s: DrawStyle,
  opts: { handles: boolean; allowRotation: boolean },
): void => {
  for (const r of regions) {
    const color = s.colorOf(r.label);
    ctx.beginPath();
    pathRegion(ctx, r, s);
    if (fillable(r)) {
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
  const half = HANDLE_PX / 1.6 / s.scale;
  handleStyle(ctx, s);
  ctx.beginPath();
  if (r.type === 'bbox') {
    for (const h of RESIZE_HANDLES) square(ctx, handlePosition(r, h), half);
    ctx.fill();
    ctx.stroke();
    if (opts.allowRotation) {
      const top = handlePosition(r, 'n');
      const knob = handlePosition(r, 'rot', ROT_KNOB_PX / s.scale);
      ctx.beginPath();
      ctx.moveTo(top[0], top[1]);
      ctx.lineTo(knob[0], knob[1]);
      ctx.stroke();
      ctx.beginPath();
      dot(ctx, knob, half * 1.1);
      ctx.fill();
      ctx.stroke();
    }
  } else if (r.type === 'polygon' || r.type === 'polyline') {
    for (const p of r.points) dot(ctx, p, half);
    ctx.fill();
    ctx.stroke();
    ctx.beginPath();
    for (const m of midpoints(r.points, r.type === 'polygon')) dot(ctx, m, half * 0.7);
    ctx.globalAlpha = 0.6;
    ctx.fill();
    ctx.stroke();
    ctx.globalAlpha = 1;
  } else {
    drawKeypointHandles(ctx, r.points, s, half);
  }
};

const drawKeypointHandles = (
  ctx: CanvasRenderingContext2D,
  pts: readonly { x: number; y: number; v: number }[],
  s: DrawStyle,
  half: number,
): void => {
  for (const k of pts) {
    if (k.v === 0) continue;
    ctx.beginPath();
    dot(ctx, [k.x, k.y], half * 1.2);
    ctx.fillStyle = k.v === 2 ? '#ffffff' : 'rgba(255,255,255,0.15)';
    ctx.strokeStyle = '#1b1f24';
    ctx.lineWidth = (k.v === 2 ? 1.25 : 2) / s.scale;
    ctx.setLineDash(k.v === 1 ? [2 / s.scale, 2 / s.scale] : []);
    ctx.fill();
    ctx.stroke();
  }
  ctx.setLineDash([]);
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
    ctx.beginPath();
    for (const [a, b] of s.skeleton?.edges ?? []) {
      const pa = pts[a];
      const pb = pts[b];
      if (!pa || !pb || pa.v === 0 || pb.v === 0) continue;
      ctx.moveTo(pa.x, pa.y);
      ctx.lineTo(pb.x, pb.y);
    }
    ctx.strokeStyle = color;
    ctx.lineWidth = 2 / s.scale;
    ctx.stroke();
    drawKeypointHandles(ctx, pts, s, half);
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
