import type { Vec } from '../../../../../../shared/geometry';
import type { ImageEditorEngine } from '../engine';
import type { ToolId } from '../session';
import { regionKind } from '../../kinds';
import { EditGesture, handleAt } from './edit';
import type { Tool, ToolDraft, ToolKey, ToolPointer } from './types';

/** Screen pixels a pointer must travel before a press becomes a drag. */
export const DRAG_PX = 3;

/**
 * What every tool shares: pressing a handle of the selected region edits it (resize, rotate,
 * vertex drag; alt+click deletes a vertex or toggles a keypoint's occlusion), whatever the tool.
 * Subclasses implement the rest of their state machine.
 */
export abstract class BaseTool implements Tool {
  abstract readonly id: ToolId;
  protected st = 'idle';
  protected edit: EditGesture | null = null;

  constructor(protected readonly engine: ImageEditorEngine) {}

  state(): string {
    return this.st;
  }

  down(p: ToolPointer): void {
    if (p.button !== 0) return;
    if (this.st === 'idle') {
      const h = handleAt(this.engine, p.world);
      if (h) {
        // Alt+click: the kind's own shortcut (delete a vertex, toggle a keypoint's occlusion).
        if (p.alt && regionKind(h.region).altClick?.(h.region, h.hit, this.engine)) return;
        this.edit = EditGesture.handle(this.engine, p.world, h.region, h.hit);
        this.st = 'editing';
        return;
      }
    }
    this.onDown(p);
  }

  move(p: ToolPointer): void {
    if (this.st === 'editing') this.edit?.move(p);
    else this.onMove(p);
  }

  up(p: ToolPointer): void {
    if (this.st === 'editing') {
      this.edit?.end();
      this.edit = null;
      this.st = 'idle';
    } else this.onUp(p);
  }

  dblclick(_p: ToolPointer): void {}

  key(k: ToolKey): boolean {
    if (k === 'escape') return this.cancel();
    return false;
  }

  /**
   * Keys of the click-to-add-points tools: while drawing, Enter finishes and Backspace drops the
   * last point (back to idle when none is left); Esc cancels whatever is under way.
   */
  protected pointDrawingKey(k: ToolKey, finish: () => void, popPoint: () => number): boolean {
    if (this.st === 'drawing' && k === 'enter') {
      finish();
      return true;
    }
    if (this.st === 'drawing' && k === 'backspace') {
      if (popPoint() === 0) this.st = 'idle';
      return true;
    }
    if (k === 'escape') return this.cancel();
    return false;
  }

  cancel(): boolean {
    if (this.st === 'editing') {
      this.edit?.cancel();
      this.edit = null;
      this.st = 'idle';
      return true;
    }
    return this.onCancel();
  }

  draft(): ToolDraft | null {
    return null;
  }

  /** Click without a drag: pick the region under the pointer (shift toggles it). */
  protected clickSelect(p: ToolPointer): void {
    const hit = this.engine.hitTest(p.world);
    if (hit) this.engine.select([hit.id], p.shift ? 'toggle' : 'replace');
    else if (!p.shift) this.engine.select([]);
  }

  protected far(a: Vec, b: Vec): boolean {
    const t = this.engine.pickRadius(DRAG_PX);
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 > t * t;
  }

  protected clampToImage(p: Vec): [number, number] {
    const { width, height } = this.engine.image;
    return [Math.min(width, Math.max(0, p[0])), Math.min(height, Math.max(0, p[1]))];
  }

  protected abstract onDown(p: ToolPointer): void;
  protected abstract onMove(p: ToolPointer): void;
  protected abstract onUp(p: ToolPointer): void;
  protected abstract onCancel(): boolean;
}
