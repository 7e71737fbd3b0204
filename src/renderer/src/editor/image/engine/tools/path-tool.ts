import type { Vec } from '../../../../../../shared/geometry';
import { newId } from '../records';
import { BaseTool } from './base';
import { HANDLE_PX } from '../../kinds/types';
import type { ToolDraft, ToolKey, ToolPointer } from './types';

/**
 * Polygon and polyline: idle → drawing (click adds a point) → idle. A polygon closes by clicking
 * its first point, double-click or Enter; a polyline ends by double-click or Enter. Backspace
 * removes the last point, Esc drops the draft. The region is created in one step when finished.
 */
export class PathTool extends BaseTool {
  private points: Vec[] = [];
  private cursor: Vec | null = null;

  constructor(
    engine: ConstructorParameters<typeof BaseTool>[0],
    readonly id: 'polygon' | 'polyline',
  ) {
    super(engine);
  }

  private get min(): number {
    return this.id === 'polygon' ? 3 : 2;
  }

  protected onDown(p: ToolPointer): void {
    if (this.st === 'idle' && p.ctrl) return this.clickSelect(p);
    const pt = this.clampToImage(p.world);
    if (this.st === 'drawing' && this.id === 'polygon' && this.points.length >= 3) {
      const first = this.points[0]!;
      const tol = this.engine.pickRadius(HANDLE_PX);
      if ((first[0] - pt[0]) ** 2 + (first[1] - pt[1]) ** 2 <= tol * tol) {
        this.finish();
        return;
      }
    }
    this.points.push(pt);
    this.st = 'drawing';
  }

  protected onMove(p: ToolPointer): void {
    this.cursor = this.clampToImage(p.world);
  }

  protected onUp(_p: ToolPointer): void {}

  override dblclick(_p: ToolPointer): void {
    if (this.st !== 'drawing') return;
    // The double-click's two presses each added a point at (nearly) the same spot: keep one.
    const tol = this.engine.pickRadius(DUP_PX);
    while (this.points.length >= 2) {
      const a = this.points.at(-1)!;
      const b = this.points.at(-2)!;
      if ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 > tol * tol) break;
      this.points.pop();
    }
    this.finish();
  }

  override key(k: ToolKey): boolean {
    return this.pointDrawingKey(
      k,
      () => this.finish(),
      () => {
        this.points.pop();
        return this.points.length;
      },
    );
  }

  protected onCancel(): boolean {
    const was = this.st;
    this.points = [];
    this.st = 'idle';
    return was !== 'idle';
  }

  override draft(): ToolDraft | null {
    if (this.st !== 'drawing') return null;
    return {
      kind: this.id,
      points: this.points,
      cursor: this.cursor,
      label: this.engine.session.get().label,
    };
  }

  /** Too few points: the draft is dropped rather than stored as an invalid shape. */
  private finish(): void {
    const points = this.points.map((p) => [p[0], p[1]] as [number, number]);
    this.points = [];
    this.st = 'idle';
    if (points.length < this.min) return;
    const region = { type: this.id, id: newId(), ...this.engine.newRegionBase(), points };
    this.engine.add([region]);
    this.engine.select([region.id]);
  }
}

const DUP_PX = 4;
