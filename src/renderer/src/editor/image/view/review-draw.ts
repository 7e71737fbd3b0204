import type { Vec } from '../../../../../shared/geometry';
import type { Pin } from '../../../../../shared/review';
import { CHANGE_COLOR, CHANGE_SIGN, PIN_COLOR, type ReviewMarks } from '../../review-marks';
import type { ImageEditorEngine } from '../engine/engine';
import { isRegion, type Region } from '../engine/records';
import { regionKind } from '../kinds';
import type { DrawStyle } from './draw';

/**
 * The review overlay on the canvas, in world coordinates (the caller applies the camera): diff
 * outlines (added / changed from the engine's current region, removed from the older version's
 * geometry, dashed) with a sign tag, and comment pins (a numbered badge and the comment's first
 * words in a callout beside the region or keypoint). A changed region's old geometry is drawn
 * dashed under its new one. Sizes are in screen pixels.
 */
export const drawReviewMarks = (
  ctx: CanvasRenderingContext2D,
  engine: ImageEditorEngine,
  marks: ReviewMarks,
  s: DrawStyle,
): void => {
  if (marks.showDiff && marks.diff) {
    for (const c of marks.diff.changes) {
      const r =
        c.kind === 'removed'
          ? c.before && isRegion(c.before)
            ? c.before
            : undefined
          : (engine.region(c.id) ?? (c.after && isRegion(c.after) ? c.after : undefined));
      if (!r) continue;
      // A moved or reshaped region: where it was, dashed and faint, under where it is.
      if (c.kind === 'changed' && c.fields.includes('geometry') && c.before && isRegion(c.before)) {
        ctx.globalAlpha = 0.65;
        outline(ctx, c.before, s, CHANGE_COLOR.changed, true);
        ctx.globalAlpha = 1;
      }
      outline(ctx, r, s, CHANGE_COLOR[c.kind], c.kind === 'removed');
      tag(ctx, regionKind(r).labelAnchor(r), CHANGE_SIGN[c.kind], CHANGE_COLOR[c.kind], s);
    }
  }
  for (const pin of marks.pins) {
    if (!pin.found || pin.resultId === null) continue;
    const r = engine.region(pin.resultId);
    if (!r) continue;
    const at = pinAnchor(r, pin);
    if (!at) continue;
    const active = marks.activePin === pin.n;
    if (active) outline(ctx, r, s, PIN_COLOR, false);
    callout(ctx, at, pin, s, active);
  }
};

/** Where a pin sits: the keypoint itself, else the region's top-right corner. */
const pinAnchor = (r: Region, pin: Pin): Vec | null => {
  if (pin.keypoint !== null) {
    if (r.type !== 'keypoints') return null;
    const k = r.points[pin.keypoint];
    return k ? [k.x, k.y] : null;
  }
  const b = regionKind(r).bounds(r);
  return b ? [b.maxX, b.minY] : regionKind(r).labelAnchor(r);
};

const outline = (ctx: CanvasRenderingContext2D, r: Region, s: DrawStyle, color: string, dashed: boolean) => {
  const kind = regionKind(r);
  ctx.beginPath();
  kind.path(ctx, r, s);
  ctx.setLineDash(dashed ? [6 / s.scale, 4 / s.scale] : []);
  // A dark under-stroke keeps the mark legible on bright and dark images alike.
  ctx.strokeStyle = 'rgba(0,0,0,0.6)';
  ctx.lineWidth = 5 / s.scale;
  ctx.stroke();
  ctx.strokeStyle = color;
  ctx.lineWidth = 2.5 / s.scale;
  ctx.stroke();
  ctx.setLineDash([]);
};

const FONT = 'system-ui, sans-serif';

/** The change's sign in a square just left of the label tag's corner. */
const tag = (ctx: CanvasRenderingContext2D, at: Vec, text: string, color: string, s: DrawStyle) => {
  const fs = 13 / s.scale;
  ctx.font = `700 ${fs}px ${FONT}`;
  const w = ctx.measureText(text).width + 8 / s.scale;
  const h = fs + 4 / s.scale;
  const x = at[0] - w;
  const y = at[1] - h;
  ctx.fillStyle = color;
  ctx.fillRect(x, y, w, h);
  ctx.fillStyle = '#ffffff';
  ctx.textBaseline = 'bottom';
  ctx.fillText(text, x + 4 / s.scale, at[1] - 1 / s.scale);
};

/** Longest comment text drawn on the canvas; the side panel lists it whole. */
const CALLOUT_CHARS = 48;

const callout = (ctx: CanvasRenderingContext2D, at: Vec, pin: Pin, s: DrawStyle, active: boolean) => {
  const px = 1 / s.scale;
  const r = 10 * px;
  // The numbered badge.
  ctx.beginPath();
  ctx.arc(at[0], at[1], r, 0, Math.PI * 2);
  ctx.fillStyle = PIN_COLOR;
  ctx.fill();
  ctx.lineWidth = 2 * px;
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
  ctx.fillStyle = '#ffffff';
  ctx.font = `700 ${11 * px}px ${FONT}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(String(pin.n), at[0], at[1] + 0.5 * px);
  ctx.textAlign = 'left';
  // The comment beside it.
  const text = pin.text.length > CALLOUT_CHARS ? `${pin.text.slice(0, CALLOUT_CHARS - 1)}…` : pin.text;
  ctx.font = `${active ? 600 : 500} ${12 * px}px ${FONT}`;
  const w = ctx.measureText(text).width + 12 * px;
  const h = 20 * px;
  const x = at[0] + r + 4 * px;
  const y = at[1] - h / 2;
  ctx.fillStyle = active ? PIN_COLOR : 'rgba(17,17,27,0.86)';
  ctx.fillRect(x, y, w, h);
  ctx.strokeStyle = PIN_COLOR;
  ctx.lineWidth = 1.5 * px;
  ctx.strokeRect(x, y, w, h);
  ctx.fillStyle = '#ffffff';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, x + 6 * px, at[1] + 0.5 * px);
};
