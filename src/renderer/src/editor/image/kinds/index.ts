import type { Bounds, Vec } from '../../../../../shared/geometry';
import type { ImageRecord, Region } from '../engine/records';
import { boxKind } from './box';
import { keypointsKind } from './keypoints';
import { polygonKind, polylineKind } from './path-kinds';
import type { RegionKind } from './types';

/**
 * The region kinds, in toolbar order. A new kind is its module (see `box.ts`), its result type
 * in `shared/model` and the `Region` union (`engine/records.ts`), and one line here.
 */
export const REGION_KINDS = [boxKind, polygonKind, polylineKind, keypointsKind] as const;

export type RegionType = Region['type'];

const byType = new Map<string, RegionKind>(REGION_KINDS.map((k) => [k.type, k as unknown as RegionKind]));

/** The kind of a region; undefined for records that are not regions (image classes, dismissals). */
export const kindOf = (r: ImageRecord | { type: string }): RegionKind | undefined => byType.get(r.type);

/** `kindOf` for a value known to be a region. */
export const regionKind = (r: Region): RegionKind => byType.get(r.type)!;

export const isRegionType = (type: string): type is RegionType => byType.has(type);

/** Bounds of any record (null for records that are not regions): the spatial index's key. */
export const regionBounds = (r: ImageRecord): Bounds | null => kindOf(r)?.bounds(r as Region) ?? null;
export const regionArea = (r: Region): number => regionKind(r).area(r);
/** Precise hit test in world units; `tol` is the pick radius. */
export const regionHit = (r: Region, p: Vec, tol: number): boolean => regionKind(r).hit(r, p, tol);
export const translateRegion = <T extends Region>(r: T, dx: number, dy: number): T =>
  regionKind(r).translate(r, dx, dy) as T;
