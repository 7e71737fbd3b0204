import {
  type Handle,
  RESIZE_HANDLES,
  boxArea,
  boxBounds,
  boxContains,
  boxCorners,
  handlePosition,
  resizeBox,
  rotationTowards,
} from '../../../../../shared/geometry';
import type { BoxRegion } from '../engine/records';
import { BBoxTool } from '../engine/tools/bbox';
import { type RegionKind, HANDLE_PX, ROT_KNOB_PX, dot, handleStyle, square } from './types';

/** Boxes (optionally rotated): 8 resize handles and a rotation knob when the config allows it. */
export const boxKind: RegionKind<BoxRegion> = {
  type: 'bbox',
  name: 'Box',
  icon: 'M4 6h16v12H4z',
  tool: {
    name: 'Box',
    key: 'B',
    hint: 'Drag to draw a box · drag handles to resize',
    create: (engine) => new BBoxTool(engine),
  },

  bounds: boxBounds,
  area: boxArea,
  hit: (r, p, tol) => boxContains(r, p, tol),
  translate: (r, dx, dy) => ({ ...r, x: r.x + dx, y: r.y + dy }),

  handleAt(r, p, px, engine) {
    const handles: Handle[] = engine.config.allowRotation ? [...RESIZE_HANDLES, 'rot'] : [...RESIZE_HANDLES];
    const tol = px(HANDLE_PX);
    const rotOffset = px(ROT_KNOB_PX);
    for (const h of handles) {
      const hp = handlePosition(r, h, rotOffset);
      if ((hp[0] - p[0]) ** 2 + (hp[1] - p[1]) ** 2 <= tol * tol)
        return { part: 'resize', index: 0, handle: h };
    }
    return null;
  },
  dragHandle(r, hit, { p }) {
    if (!hit.handle) return r;
    if (hit.handle === 'rot') return { ...r, rotation: rotationTowards(r, p.world, p.shift ? 15 : 0) };
    return { ...r, ...resizeBox(r, hit.handle, p.world), rotation: r.rotation };
  },

  fillable: true,
  path(ctx, r) {
    if (!r.rotation) {
      ctx.rect(r.x, r.y, r.w, r.h);
      return;
    }
    const c = boxCorners(r);
    ctx.moveTo(c[0]![0], c[0]![1]);
    for (let i = 1; i < 4; i++) ctx.lineTo(c[i]![0], c[i]![1]);
    ctx.closePath();
  },
  drawFast(ctx, r) {
    if (r.rotation) return false;
    ctx.fillRect(r.x, r.y, r.w, r.h);
    ctx.strokeRect(r.x, r.y, r.w, r.h);
    return true;
  },
  drawHandles(ctx, r, s, { half, allowRotation }) {
    handleStyle(ctx, s);
    ctx.beginPath();
    for (const h of RESIZE_HANDLES) square(ctx, handlePosition(r, h), half);
    ctx.fill();
    ctx.stroke();
    if (!allowRotation) return;
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
  },
  labelAnchor(r) {
    if (r.rotation) return boxCorners(r)[0]!;
    const b = boxBounds(r);
    return [b.minX, b.minY];
  },

  keyboard: {
    create: (base, at, size) => ({
      ...base,
      type: 'bbox',
      x: at[0] - size / 2,
      y: at[1] - size / 2,
      w: size,
      h: size,
      rotation: 0,
    }),
    resize: (r, dw, dh) => ({ ...r, w: Math.max(1, r.w + dw), h: Math.max(1, r.h + dh) }),
  },

  summary: (r) =>
    `${Math.round(r.x)}, ${Math.round(r.y)} · ${Math.round(r.w)}×${Math.round(r.h)}${r.rotation ? ` · ${Math.round(r.rotation)}°` : ''}`,
};
