/**
 * Agreement of boxes and polygons: an optimal one-to-one matching by IoU (the Hungarian
 * algorithm, never greedy), pairs at IoU ≥ threshold (default 0.5, as COCO's AP50), same label
 * unless told otherwise → tp, fp, fn, precision, recall, F1 and mean IoU of the matches.
 */

import { type Bounds, boundsOfPoints, boxBounds, boxCorners } from '../geometry';
import { type ScoredPair, admissible, matchEdges } from './assignment';
import { type MatchScores, countsOfMatching, scoresOf } from './match-counts';
import { type Pt, boxIoURotated, polygonIoU } from './polygon-overlap';

/** The parts of a BBoxResult or PolygonResult that matching reads. */
export type Region =
  | { type: 'bbox'; label: string; x: number; y: number; w: number; h: number; rotation?: number }
  | { type: 'polygon'; label: string; points: readonly Pt[] };

export interface RegionMatchOptions {
  /** Minimum IoU of a match (inclusive). Default 0.5. */
  iouThreshold?: number;
  /** Only regions of the same label match. Default true. */
  sameLabel?: boolean;
}

const outline = (r: Region): readonly Pt[] => (r.type === 'polygon' ? r.points : boxCorners(r));

/** IoU of two regions of any kind (a box against a polygon goes through its corners). */
export const regionIoU = (a: Region, b: Region): number =>
  a.type === 'bbox' && b.type === 'bbox' ? boxIoURotated(a, b) : polygonIoU(outline(a), outline(b));

/** Axis-aligned bounds of a region (a rotated box by its corners). */
export const regionBounds = (r: Region): Bounds =>
  r.type === 'polygon' ? boundsOfPoints(r.points) : boxBounds(r);

/**
 * Whether two regions' bounds meet (touching counts). Regions whose bounds are apart do not
 * overlap: their IoU is 0 and they are never matched, so matching skips computing it.
 */
export const boundsMeet = (a: Bounds, b: Bounds): boolean =>
  a.minX <= b.maxX && b.minX <= a.maxX && a.minY <= b.maxY && b.minY <= a.maxY;

export interface RegionMatch extends MatchScores {
  /** [reference index, other index, IoU] of each matched pair. */
  matches: [number, number, number][];
}

export const matchRegions = (
  reference: readonly Region[],
  other: readonly Region[],
  options: RegionMatchOptions = {},
): RegionMatch => {
  const threshold = options.iouThreshold ?? 0.5;
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError('iouThreshold must lie in [0, 1]');
  const sameLabel = options.sameLabel ?? true;
  const refBounds = reference.map(regionBounds);
  const otherBounds = other.map(regionBounds);
  const edges: ScoredPair[] = [];
  for (let i = 0; i < reference.length; i++)
    for (let j = 0; j < other.length; j++) {
      if (sameLabel && reference[i]!.label !== other[j]!.label) continue;
      if (!boundsMeet(refBounds[i]!, otherBounds[j]!)) continue;
      const x = regionIoU(reference[i]!, other[j]!);
      if (admissible(x, threshold)) edges.push([i, j, x]);
    }
  const { pairs } = matchEdges(reference.length, other.length, edges);
  // Field by field (a spread makes a slower object; this runs for every pair of every task).
  const m = scoresOf(countsOfMatching(reference.length, other.length, pairs));
  return {
    tp: m.tp,
    fp: m.fp,
    fn: m.fn,
    scoreSum: m.scoreSum,
    precision: m.precision,
    recall: m.recall,
    f1: m.f1,
    meanScore: m.meanScore,
    matches: pairs,
  };
};
