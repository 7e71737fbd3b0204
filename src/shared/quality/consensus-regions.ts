/**
 * Consensus of boxes or polygons from k annotators: regions are clustered by IoU (each cluster
 * holds at most one region per annotator), a cluster is kept when at least m annotators drew it,
 * and its shape is the mean of its members (boxes: centre, size and rotation averaged; polygons:
 * see polygon-average.ts); its label is the members' majority label.
 *
 * Clustering goes annotator by annotator: the next annotator's regions are matched one to one
 * (Hungarian, by IoU ≥ threshold, labels ignored so that a mislabelled region still meets its
 * object) to the clusters' current mean shapes; unmatched regions open new clusters. The order is
 * the submissions' order, so the result is deterministic.
 */

import type { Bounds } from '../geometry';
import { type ScoredPair, admissible, matchEdges } from './assignment';
import { averagePolygon } from './polygon-average';
import type { Pt } from './polygon-overlap';
import { type Region, boundsMeet, regionBounds, regionIoU } from './regions';

export type BoxShape = { type: 'bbox'; x: number; y: number; w: number; h: number; rotation: number };
export type PolygonShape = { type: 'polygon'; points: [number, number][] };

export interface RegionCluster {
  /** [annotator index, region index within that annotator's list]. */
  members: [number, number][];
  /** Distinct annotators who drew it (= members.length). */
  support: number;
  /** Majority label; null on a tie. */
  label: string | null;
  labelVotes: Record<string, number>;
  shape: BoxShape | PolygonShape;
}

const circularMeanDeg = (degs: readonly number[]): number => {
  if (degs.every((d) => d === degs[0])) return degs[0] ?? 0;
  let sx = 0;
  let sy = 0;
  for (const d of degs) {
    sx += Math.cos((d * Math.PI) / 180);
    sy += Math.sin((d * Math.PI) / 180);
  }
  const mean = (Math.atan2(sy, sx) * 180) / Math.PI;
  return Math.abs(mean) < 1e-9 ? 0 : (mean + 360) % 360;
};

export const meanShape = (regions: readonly Region[]): BoxShape | PolygonShape => {
  if (regions.every((r) => r.type === 'bbox')) {
    const n = regions.length;
    let cx = 0;
    let cy = 0;
    let w = 0;
    let h = 0;
    for (const r of regions) {
      cx += (r.x + r.w / 2) / n;
      cy += (r.y + r.h / 2) / n;
      w += r.w / n;
      h += r.h / n;
    }
    return {
      type: 'bbox',
      x: cx - w / 2,
      y: cy - h / 2,
      w,
      h,
      rotation: circularMeanDeg(regions.map((r) => r.rotation ?? 0)),
    };
  }
  const outlines = regions.map((r): readonly Pt[] =>
    r.type === 'polygon'
      ? r.points
      : [
          [r.x, r.y],
          [r.x + r.w, r.y],
          [r.x + r.w, r.y + r.h],
          [r.x, r.y + r.h],
        ],
  );
  return { type: 'polygon', points: averagePolygon(outlines) };
};

// Built field by field: a spread makes a slower object, and this runs for every matched region.
const asRegion = (s: BoxShape | PolygonShape): Region =>
  s.type === 'bbox'
    ? { type: 'bbox', label: '', x: s.x, y: s.y, w: s.w, h: s.h, rotation: s.rotation }
    : { type: 'polygon', label: '', points: s.points };

/** Majority of `votes`; null when the top count is shared. */
export const majority = (
  votes: readonly string[],
): { winner: string | null; counts: Record<string, number> } => {
  // All the same (most clusters): no tally needed.
  const first = votes[0];
  if (first !== undefined && votes.every((v) => v === first))
    // (A computed key makes an own property, "__proto__" too, as Object.fromEntries does.)
    return { winner: first, counts: { [first]: votes.length } };
  // A Map, so a label named like an Object property ("constructor") counts like any other.
  const tally = new Map<string, number>();
  for (const v of votes) tally.set(v, (tally.get(v) ?? 0) + 1);
  // One pass for the top count and whether it is shared (no sort: this runs per cluster).
  let winner: string | null = null;
  let top = 0;
  let tie = false;
  for (const [v, c] of tally) {
    if (c > top) {
      top = c;
      winner = v;
      tie = false;
    } else if (c === top) tie = true;
  }
  return { winner: tie ? null : winner, counts: Object.fromEntries(tally) };
};

export const clusterRegions = (
  submissions: readonly (readonly Region[])[],
  iouThreshold = 0.5,
): RegionCluster[] => {
  // `mean` is what the next annotator is matched against (`bounds` its bounds); `shape` the
  // same mean as returned (kept, so it is computed once per member added, not again at the end).
  const groups: {
    members: [number, number][];
    regions: Region[];
    mean: Region;
    bounds: Bounds;
    shape: BoxShape | PolygonShape | null;
  }[] = [];
  submissions.forEach((regions, a) => {
    const bounds = regions.map(regionBounds);
    const edges: ScoredPair[] = [];
    for (let c = 0; c < groups.length; c++)
      for (let r = 0; r < regions.length; r++) {
        if (!boundsMeet(groups[c]!.bounds, bounds[r]!)) continue;
        const x = regionIoU(groups[c]!.mean, regions[r]!);
        if (admissible(x, iouThreshold)) edges.push([c, r, x]);
      }
    const { pairs } = matchEdges(groups.length, regions.length, edges);
    const taken = new Set<number>();
    for (const [c, r] of pairs) {
      const g = groups[c]!;
      g.members.push([a, r]);
      g.regions.push(regions[r]!);
      g.shape = meanShape(g.regions);
      g.mean = asRegion(g.shape);
      g.bounds = regionBounds(g.mean);
      taken.add(r);
    }
    regions.forEach((region, r) => {
      if (!taken.has(r))
        groups.push({ members: [[a, r]], regions: [region], mean: region, bounds: bounds[r]!, shape: null });
    });
  });
  return groups.map((g) => {
    const { winner, counts } = majority(g.regions.map((r) => r.label));
    return {
      members: g.members,
      support: g.members.length,
      label: winner,
      labelVotes: counts,
      shape: g.shape ?? meanShape(g.regions),
    };
  });
};
