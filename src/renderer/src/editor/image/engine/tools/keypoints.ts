import type { Vec } from '../../../../../../shared/geometry';
import { newId } from '../records';
import { BaseTool } from './base';
import type { ToolDraft, ToolKey, ToolPointer } from './types';

/**
 * Keypoints follow the label config's skeleton: each click places the next point (visible;
 * alt/shift+click: occluded), N skips a point (unlabeled), Enter ends early, Backspace steps back.
 * Without a skeleton every click is a one-point region.
 */
export class KeypointsTool extends BaseTool {
  readonly id = 'keypoints' as const;
  private points: Vec[] = [];
  private vis: (0 | 1 | 2)[] = [];
  private cursor: Vec | null = null;

  private get count(): number {
    return this.engine.config.skeleton?.points.length ?? 1;
  }

  protected onDown(p: ToolPointer): void {
    if (this.st === 'idle' && p.ctrl) return this.clickSelect(p);
    this.points.push(this.clampToImage(p.world));
    this.vis.push(p.alt || p.shift ? 1 : 2);
    this.st = 'drawing';
    if (this.points.length >= this.count) this.finish();
  }

  protected onMove(p: ToolPointer): void {
    this.cursor = this.clampToImage(p.world);
  }

  protected onUp(_p: ToolPointer): void {}

  override key(k: ToolKey): boolean {
    if (k === 'skip-point' && this.count > 1) {
      this.points.push([0, 0]);
      this.vis.push(0);
      this.st = 'drawing';
      if (this.points.length >= this.count) this.finish();
      return true;
    }
    return this.pointDrawingKey(
      k,
      () => this.finish(),
      () => {
        this.points.pop();
        this.vis.pop();
        return this.points.length;
      },
    );
  }

  protected onCancel(): boolean {
    const was = this.st;
    this.points = [];
    this.vis = [];
    this.st = 'idle';
    return was !== 'idle';
  }

  override draft(): ToolDraft | null {
    if (this.st !== 'drawing') return null;
    return {
      kind: 'keypoints',
      points: this.points,
      visibility: this.vis,
      cursor: this.cursor,
      label: this.engine.session.get().label,
    };
  }

  /** Names the next point to place, for the status line. */
  nextPointName(): string | null {
    const sk = this.engine.config.skeleton;
    return sk ? (sk.points[this.points.length]?.name ?? null) : null;
  }

  private finish(): void {
    const pts = this.points.map((p, i) => ({ x: p[0], y: p[1], v: this.vis[i]! }));
    while (pts.length < this.count) pts.push({ x: 0, y: 0, v: 0 });
    this.points = [];
    this.vis = [];
    this.st = 'idle';
    if (!pts.some((k) => k.v > 0)) return;
    const region = { type: 'keypoints' as const, id: newId(), ...this.engine.newRegionBase(), points: pts };
    this.engine.add([region]);
    this.engine.select([region.id]);
  }
}
