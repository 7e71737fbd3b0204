import type { Vec } from '../../../../../../shared/geometry';
import type { ImageEditorEngine } from '../engine';
import type { Region } from '../records';
import { regionKind, translateRegion } from '../../kinds';
import type { HandleHit } from '../../kinds/types';
import type { ToolPointer } from './types';

/** The handle of the (single, unlocked) selected region under `p`, if any (its kind decides). */
export const handleAt = (engine: ImageEditorEngine, p: Vec): { region: Region; hit: HandleHit } | null => {
  const sel = engine.selected();
  if (sel.length !== 1) return null;
  const region = sel[0]!;
  if (engine.session.get().locked.has(region.id)) return null;
  const hit = regionKind(region).handleAt(region, p, (n) => engine.pickRadius(n), engine);
  return hit ? { region, hit } : null;
};

/**
 * One edit gesture on existing regions (move, or drag of a handle: resize, rotate, vertex…): a
 * history mark at the start, every move recomputed from the originals (no drift), commit at the
 * end = one undo step, cancel = rollback.
 */
export class EditGesture {
  private readonly originals: Region[];

  private constructor(
    private readonly engine: ImageEditorEngine,
    private readonly start: Vec,
    private readonly hit: HandleHit | null,
    regions: Region[],
  ) {
    this.originals = regions;
    engine.history.mark();
  }

  static move(engine: ImageEditorEngine, start: Vec): EditGesture | null {
    const { locked } = engine.session.get();
    const regions = engine.selected().filter((r) => !locked.has(r.id));
    return regions.length ? new EditGesture(engine, start, null, regions) : null;
  }

  static handle(engine: ImageEditorEngine, start: Vec, region: Region, hit: HandleHit): EditGesture {
    const g = new EditGesture(engine, start, hit, [region]);
    // Pressing may change the region first (a midpoint inserts a vertex the drag then moves).
    const pressed = regionKind(region).pressHandle?.(region, hit, start) ?? region;
    if (pressed !== region) {
      g.originals[0] = pressed;
      engine.update([pressed]);
    }
    return g;
  }

  move(p: ToolPointer): void {
    const dx = p.world[0] - this.start[0];
    const dy = p.world[1] - this.start[1];
    const hit = this.hit;
    const next = this.originals.map((r) =>
      hit ? regionKind(r).dragHandle(r, hit, { dx, dy, p }) : translateRegion(r, dx, dy),
    );
    this.engine.update(next);
  }

  end(): void {
    this.engine.history.commit();
  }

  cancel(): void {
    this.engine.history.rollback();
  }
}
