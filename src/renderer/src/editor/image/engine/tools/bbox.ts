import { type Vec, boxFromPoints } from '../../../../../../shared/geometry';
import { type BoxRegion, newId } from '../records';
import { BaseTool } from './base';
import type { ToolPointer } from './types';

/** idle → pointing → drawing (the box is a record from the first drag move: one gesture) → idle. */
export class BBoxTool extends BaseTool {
  readonly id = 'bbox' as const;
  private start: Vec = [0, 0];
  private drawing: BoxRegion | null = null;

  protected onDown(p: ToolPointer): void {
    if (p.ctrl) return this.clickSelect(p);
    this.start = this.clampToImage(p.world);
    this.st = 'pointing';
  }

  protected onMove(p: ToolPointer): void {
    if (this.st === 'pointing' && this.far(this.start, p.world)) {
      this.engine.history.mark();
      this.drawing = {
        type: 'bbox',
        id: newId(),
        ...this.engine.newRegionBase(),
        x: 0,
        y: 0,
        w: 0,
        h: 0,
        rotation: 0,
      };
      this.engine.add([this.drawing]);
      this.st = 'drawing';
    }
    if (this.st === 'drawing' && this.drawing) {
      const b = boxFromPoints(this.start, this.clampToImage(p.world));
      const cur = this.engine.region(this.drawing.id);
      if (cur?.type === 'bbox') this.engine.update([{ ...cur, ...b }]);
    }
  }

  protected onUp(p: ToolPointer): void {
    if (this.st === 'pointing') this.clickSelect(p);
    if (this.st === 'drawing' && this.drawing) {
      const cur = this.engine.region(this.drawing.id);
      const min = this.engine.pickRadius(2);
      if (cur?.type === 'bbox' && cur.w >= min && cur.h >= min) {
        this.engine.history.commit();
        this.engine.select([cur.id]);
      } else this.engine.history.rollback();
    }
    this.drawing = null;
    this.st = 'idle';
  }

  protected onCancel(): boolean {
    const was = this.st;
    if (was === 'drawing') this.engine.history.rollback();
    this.drawing = null;
    this.st = 'idle';
    return was !== 'idle';
  }
}
