import type { Vec } from '../../../../../../shared/geometry';
import { boundsOfPoints } from '../../../../../../shared/geometry';
import { BaseTool } from './base';
import { EditGesture } from './edit';
import type { ToolDraft, ToolPointer } from './types';

/** idle → pointing (on a region) → moving; idle → marquee (on empty space) → idle. */
export class SelectTool extends BaseTool {
  readonly id = 'select' as const;
  private start: Vec = [0, 0];
  private cursor: Vec = [0, 0];
  private additive = false;
  private pressed: string | null = null;

  protected onDown(p: ToolPointer): void {
    this.start = p.world;
    this.cursor = p.world;
    const hit = this.engine.hitTest(p.world);
    if (hit) {
      if (p.shift) {
        this.engine.select([hit.id], 'toggle');
        return;
      }
      if (!this.engine.session.get().selected.has(hit.id)) this.engine.select([hit.id]);
      this.pressed = hit.id;
      this.st = 'pointing';
      return;
    }
    this.additive = p.shift;
    if (!p.shift) this.engine.select([]);
    this.st = 'marquee';
  }

  protected onMove(p: ToolPointer): void {
    this.cursor = p.world;
    if (this.st === 'pointing' && this.far(this.start, p.world)) {
      this.edit = EditGesture.move(this.engine, this.start);
      this.st = this.edit ? 'moving' : 'idle';
    }
    if (this.st === 'moving') this.edit?.move(p);
  }

  protected onUp(_p: ToolPointer): void {
    if (this.st === 'moving') this.edit?.end();
    // A click (no drag) on a member of a multi-selection narrows the selection to it.
    if (this.st === 'pointing' && this.pressed) this.engine.select([this.pressed]);
    this.pressed = null;
    if (this.st === 'marquee' && this.far(this.start, this.cursor)) {
      const ids = this.engine.regionsIn(boundsOfPoints([this.start, this.cursor])).map((r) => r.id);
      const { locked } = this.engine.session.get();
      this.engine.select(
        ids.filter((id) => !locked.has(id)),
        this.additive ? 'add' : 'replace',
      );
    }
    this.edit = null;
    this.st = 'idle';
  }

  protected onCancel(): boolean {
    const was = this.st;
    if (was === 'moving') this.edit?.cancel();
    this.edit = null;
    this.st = 'idle';
    return was !== 'idle';
  }

  override draft(): ToolDraft | null {
    return this.st === 'marquee'
      ? { kind: 'marquee', points: [this.start, this.cursor], cursor: null, label: '' }
      : null;
  }
}
