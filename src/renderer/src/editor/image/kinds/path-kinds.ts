import {
  type Vec,
  nearestSegment,
  nearestVertex,
  pointsBounds,
  polygonArea,
  polygonContains,
} from '../../../../../shared/geometry';
import type { PolygonRegion, PolylineRegion } from '../engine/records';
import { PathTool } from '../engine/tools/path-tool';
import { type RegionKind, HANDLE_PX, dot, handleStyle } from './types';

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

type PathRegion = PolygonRegion | PolylineRegion;

/**
 * Polygons and polylines share everything but closing: vertices and edge midpoints as handles
 * (dragging a midpoint inserts a vertex), Alt+click deletes a vertex down to the minimum.
 */
const pathKind = <R extends PathRegion>(
  type: R['type'],
  spec: { name: string; icon: string; key: string; hint: string },
): RegionKind<R> => {
  const closed = type === 'polygon';
  const min = closed ? 3 : 2;
  return {
    type,
    name: spec.name,
    icon: spec.icon,
    tool: {
      name: spec.name,
      key: spec.key,
      hint: spec.hint,
      create: (engine) => new PathTool(engine, type),
    },

    bounds: (r) => pointsBounds(r.points),
    area(r) {
      if (closed) return polygonArea(r.points);
      const b = pointsBounds(r.points);
      return (b.maxX - b.minX) * (b.maxY - b.minY);
    },
    hit: (r, p, tol) =>
      closed
        ? polygonContains(r.points, p) || nearestSegment(r.points, p, tol, true) >= 0
        : nearestSegment(r.points, p, tol, false) >= 0,
    translate: (r, dx, dy) => ({ ...r, points: r.points.map(([x, y]) => [x + dx, y + dy] as Vec) }),

    handleAt(r, p, px) {
      const tol = px(HANDLE_PX);
      const v = nearestVertex(r.points, p, tol);
      if (v >= 0) return { part: 'vertex', index: v };
      const m = nearestVertex(midpoints(r.points, closed), p, tol);
      return m >= 0 ? { part: 'midpoint', index: m } : null;
    },
    pressHandle(r, hit, at) {
      if (hit.part !== 'midpoint') return r;
      const points = [...r.points];
      points.splice(hit.index + 1, 0, [at[0], at[1]]);
      return { ...r, points };
    },
    dragHandle(r, hit, { dx, dy }) {
      const idx = hit.part === 'vertex' ? hit.index : hit.index + 1;
      return { ...r, points: r.points.map((pt, i) => (i === idx ? ([pt[0] + dx, pt[1] + dy] as Vec) : pt)) };
    },
    altClick(r, hit, engine) {
      if (hit.part !== 'vertex' || r.points.length <= min) return false;
      engine.update([{ ...r, points: r.points.filter((_, i) => i !== hit.index) }]);
      return true;
    },

    fillable: closed,
    path(ctx, r) {
      const p = r.points;
      ctx.moveTo(p[0]![0], p[0]![1]);
      for (let i = 1; i < p.length; i++) ctx.lineTo(p[i]![0], p[i]![1]);
      if (closed) ctx.closePath();
    },
    drawHandles(ctx, r, s, { half }) {
      handleStyle(ctx, s);
      ctx.beginPath();
      for (const p of r.points) dot(ctx, p, half);
      ctx.fill();
      ctx.stroke();
      ctx.beginPath();
      for (const m of midpoints(r.points, closed)) dot(ctx, m, half * 0.7);
      ctx.globalAlpha = 0.6;
      ctx.fill();
      ctx.stroke();
      ctx.globalAlpha = 1;
    },
    labelAnchor(r) {
      const b = pointsBounds(r.points);
      return [b.minX, b.minY];
    },

    summary: (r) => `${r.points.length} points`,
  };
};

export const polygonKind = pathKind<PolygonRegion>('polygon', {
  name: 'Polygon',
  icon: 'M12 3l8 6-3 11H7L4 9z',
  key: 'P',
  hint: 'Click to add points · click the first point, Enter or double-click to close',
});

export const polylineKind = pathKind<PolylineRegion>('polyline', {
  name: 'Polyline',
  icon: 'M3 18l6-9 5 5 7-10',
  key: 'L',
  hint: 'Click to add points · Enter or double-click to finish',
});
