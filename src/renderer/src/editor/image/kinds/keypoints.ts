import { type Vec, nearestVertex, pointsBounds } from '../../../../../shared/geometry';
import type { KeypointsRegion } from '../engine/records';
import { KeypointsTool } from '../engine/tools/keypoints';
import { type RegionKind, HANDLE_PX, dot } from './types';

const placed = (r: KeypointsRegion): Vec[] => r.points.filter((p) => p.v > 0).map((p) => [p.x, p.y] as Vec);

/**
 * A skeleton of named points (the config's `skeleton`), each visible, occluded or absent. Every
 * placed point is a handle; Alt+click toggles its occlusion. The inspector lists the points
 * (`view/KeypointList.tsx`).
 */
export const keypointsKind: RegionKind<KeypointsRegion> = {
  type: 'keypoints',
  name: 'Keypoints',
  icon: 'M12 5v7M12 12l-5 7M12 12l5 7M6 9h12',
  tool: {
    name: 'Keypoints',
    key: 'K',
    hint: 'Click to place each point · Alt+click: occluded · N: skip · Enter: finish',
    create: (engine) => new KeypointsTool(engine),
  },

  bounds(r) {
    const pts = placed(r);
    return pts.length ? pointsBounds(pts) : null;
  },
  area(r) {
    const b = keypointsKind.bounds(r);
    return b ? (b.maxX - b.minX) * (b.maxY - b.minY) : 0;
  },
  hit: (r, p, tol) => r.points.some((k) => k.v > 0 && (k.x - p[0]) ** 2 + (k.y - p[1]) ** 2 <= tol * tol * 4),
  translate: (r, dx, dy) => ({
    ...r,
    points: r.points.map((k) => (k.v > 0 ? { ...k, x: k.x + dx, y: k.y + dy } : k)),
  }),

  handleAt(r, p, px) {
    const pts = r.points.map((k) => (k.v > 0 ? ([k.x, k.y] as Vec) : ([Infinity, Infinity] as Vec)));
    const k = nearestVertex(pts, p, px(HANDLE_PX));
    return k >= 0 ? { part: 'keypoint', index: k } : null;
  },
  dragHandle: (r, hit, { dx, dy }) => ({
    ...r,
    points: r.points.map((pt, i) => (i === hit.index ? { ...pt, x: pt.x + dx, y: pt.y + dy } : pt)),
  }),
  altClick(r, hit, engine) {
    const v = r.points[hit.index]!.v === 1 ? 2 : 1;
    engine.setKeypointVisibility(r.id, hit.index, v);
    return true;
  },

  fillable: false,
  path(ctx, r, s) {
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
  },
  drawHandles(ctx, r, s, { half }) {
    for (const k of r.points) {
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
  },
  labelAnchor(r) {
    const b = keypointsKind.bounds(r);
    return b ? [b.minX, b.minY] : [0, 0];
  },

  summary: (r) => `${r.points.filter((k) => k.v > 0).length}/${r.points.length} points`,
};
