import type { Vec } from '../../../../../shared/geometry';
import type { ImageEditorEngine } from './engine';
import type { KeypointsRegion } from './records';

/**
 * Keyboard commands on the keypoints of the selected region: [ and ] pick the active point, O
 * cycles its state visible → occluded → absent → visible (a never-placed point is then placed by
 * the next click on the image: see ImageEditorEngine.setKeypointVisibility).
 */

/** The single selected keypoints region (what the keypoint keys act on). */
export const selectedKeypoints = (engine: ImageEditorEngine): KeypointsRegion | null => {
  const sel = engine.selected();
  return sel.length === 1 && sel[0]!.type === 'keypoints' ? sel[0]! : null;
};

/** The active point's index in the selected region (clamped to its points). */
export const activePoint = (engine: ImageEditorEngine, r: KeypointsRegion): number =>
  Math.min(engine.session.get().activePoint, r.points.length - 1);

/** [ / ]: move the active keypoint; false (key not used) when no keypoints region is selected. */
export const stepKeypoint = (engine: ImageEditorEngine, step: 1 | -1): boolean => {
  const r = selectedKeypoints(engine);
  if (!r) return false;
  const n = r.points.length;
  engine.session.set({ activePoint: (activePoint(engine, r) + step + n) % n, placing: null });
  engine.redrawOverlay();
  return true;
};

/** O: the active keypoint goes visible → occluded → absent → visible. */
export const cycleKeypointVisibility = (engine: ImageEditorEngine): boolean => {
  const r = selectedKeypoints(engine);
  if (!r) return false;
  const i = activePoint(engine, r);
  const next = ({ 2: 1, 1: 0, 0: 2 } as const)[r.points[i]!.v];
  engine.setKeypointVisibility(r.id, i, next);
  return true;
};

/** Place the keypoint armed by setKeypointVisibility at `p`, clamped to the image (one undo step). */
export const placeArmedKeypoint = (engine: ImageEditorEngine, p: Vec): void => {
  const pl = engine.session.get().placing;
  engine.session.set({ placing: null });
  const r = pl ? engine.region(pl.id) : undefined;
  if (!pl || r?.type !== 'keypoints' || !r.points[pl.index]) return;
  const x = Math.min(engine.image.width, Math.max(0, p[0]));
  const y = Math.min(engine.image.height, Math.max(0, p[1]));
  engine.update([{ ...r, points: r.points.map((q, i) => (i === pl.index ? { x, y, v: pl.v } : q)) }], false);
  engine.select([r.id]);
};
