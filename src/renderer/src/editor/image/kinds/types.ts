import type { Bounds, Handle, Vec } from '../../../../../shared/geometry';
import type { Skeleton } from '../../../../../shared/model';
import type { ImageEditorEngine } from '../engine/engine';
import type { Region } from '../engine/records';
import type { Tool, ToolPointer } from '../engine/tools/types';

/** Screen pixels: how far the rotation knob sits above a box, and the handle pick radius. */
export const ROT_KNOB_PX = 28;
export const HANDLE_PX = 7;

/** A handle of a selected region under the pointer: which part, and which one of them. */
export interface HandleHit {
  /** The kind's own name for the part: 'resize', 'vertex', 'midpoint', 'keypoint'… */
  part: string;
  index: number;
  /** For box handles: which one ('n', 'se', 'rot'…). */
  handle?: Handle;
}

/** How regions are drawn (world coordinates; the caller applies the camera). */
export interface DrawStyle {
  /** Camera scale: line widths and handle sizes are divided by it to stay constant on screen. */
  scale: number;
  colorOf(label: string): string;
  skeleton: Skeleton | undefined;
}

/** A drawing tool a kind brings: its button, key and status-line hint. */
export interface ToolSpec {
  name: string;
  /** Its key, a letter (the image key table binds it). */
  key: string;
  hint: string;
  create(engine: ImageEditorEngine): Tool;
}

/**
 * Everything the editor knows about one kind of region (tldraw's ShapeUtil): geometry, hit test,
 * handles and how dragging them edits the region, drawing, the inspector's summary, and the tool
 * that draws it. Registered in `kinds/index.ts`; nothing else switches on a region's type.
 */
export interface RegionKind<R extends Region = Region> {
  type: R['type'];
  /** Shown in the inspector and the region list. */
  name: string;
  /** SVG path of its icon (24×24), for the tool button and the region list. */
  icon: string;
  tool: ToolSpec | null;

  bounds(r: R): Bounds | null;
  area(r: R): number;
  /** Precise hit test in world units; `tol` is the pick radius. */
  hit(r: R, p: Vec, tol: number): boolean;
  translate(r: R, dx: number, dy: number): R;

  /** The handle of this (selected, unlocked) region under `p`; `px(n)` is n screen pixels in world units. */
  handleAt(r: R, p: Vec, px: (n: number) => number, engine: ImageEditorEngine): HandleHit | null;
  /** Pressing a handle may change the region first (an edge midpoint inserts a vertex). */
  pressHandle?(r: R, hit: HandleHit, at: Vec): R;
  /** The region while a handle is dragged, from the region at the press (no drift). */
  dragHandle(r: R, hit: HandleHit, drag: { dx: number; dy: number; p: ToolPointer }): R;
  /** Alt+click on a handle (delete a vertex, toggle a keypoint's occlusion); true if it acted. */
  altClick?(r: R, hit: HandleHit, engine: ImageEditorEngine): boolean;

  /** Fill the shape (boxes, polygons) or only stroke it (lines, skeletons). */
  fillable: boolean;
  /** Add the outline to the current path. */
  path(ctx: CanvasRenderingContext2D, r: R, s: DrawStyle): void;
  /** Draw fill and stroke in one fast call when possible (upright boxes: fillRect); false if not. */
  drawFast?(ctx: CanvasRenderingContext2D, r: R): boolean;
  /** The selected region's handles. */
  drawHandles(
    ctx: CanvasRenderingContext2D,
    r: R,
    s: DrawStyle,
    opts: { half: number; allowRotation: boolean },
  ): void;
  /** Where the label tag sits. */
  labelAnchor(r: R): Vec;

  /** The inspector's geometry line ("10, 20 · 30×40"). */
  summary(r: R): string;

  /**
   * Drawing without a pointer (keyboard-only work): a new region of about `size` world units
   * centred at `at`, and resizing it by (dw, dh). Kinds without them are drawn by pointer only.
   */
  keyboard?: {
    create(
      base: { id: string; label: string; attributes: Record<string, string | boolean> },
      at: Vec,
      size: number,
    ): R;
    resize(r: R, dw: number, dh: number): R;
  };
}

/** Canvas helpers kinds share for their handles. */
export const square = (ctx: CanvasRenderingContext2D, p: Vec, half: number): void => {
  ctx.rect(p[0] - half, p[1] - half, half * 2, half * 2);
};
export const dot = (ctx: CanvasRenderingContext2D, p: Vec, rad: number): void => {
  ctx.moveTo(p[0] + rad, p[1]);
  ctx.arc(p[0], p[1], rad, 0, Math.PI * 2);
};
export const handleStyle = (ctx: CanvasRenderingContext2D, s: DrawStyle): void => {
  ctx.fillStyle = '#ffffff';
  ctx.strokeStyle = '#1b1f24';
  ctx.lineWidth = 1.25 / s.scale;
};
