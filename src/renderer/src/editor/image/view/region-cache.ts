import type { Bounds } from '../../../../../shared/geometry';
import { visibleWorld } from '../../core/camera';
import type { ImageEditorEngine } from '../engine/engine';
import type { Region } from '../engine/records';
import { type DrawStyle, drawRegions, labelAnchor } from './draw';
import { drawLabels } from './label-tags';

/** Above this many regions on screen, label tags are skipped: unreadable anyway, and costly. */
export const MAX_LABELS = 300;
/** How far beyond the viewport (in viewports) the cache is drawn, so panning reuses it. */
const MARGIN = 0.5;
/** A zoom is "settled" when the scale has not changed for this long; then the cache is redrawn sharp. */
const SETTLE_MS = 140;

/**
 * The unselected regions, rasterized once into an offscreen bitmap covering the viewport plus a
 * margin (clipped to the image). Panning and zooming then cost one bitmap blit per frame whatever
 * N is; the bitmap is redrawn when the document or visibility changes, when the view leaves it,
 * or when a zoom settles (while zooming it is shown scaled, as map viewers do).
 */
/** Draw style for an engine's label config (colours by label, the skeleton). */
export const makeStyle = (engine: ImageEditorEngine): DrawStyle => {
  const colors = new Map(engine.config.labels.map((l) => [l.name, l.color]));
  return { scale: 1, colorOf: (label) => colors.get(label) ?? '#868e96', skeleton: engine.config.skeleton };
};

export class RegionCache {
  private own: HTMLCanvasElement | null = null;
  private world: Bounds | null = null;
  private scale = 0;
  private dirty = true;
  /** Areas to redraw in place (small edits, selection changes) instead of the whole bitmap. */
  private rects: Bounds[] = [];
  /** Regions in view at the last full render: with few, label tags are (or would be) drawn. */
  private inViewCount = 0;
  private pr = 1;
  /** The part of the bitmap in use, from its top left (the bitmap only grows: see `render`). */
  private used = { width: 0, height: 0 };
  private lastScaleChange = 0;
  /** The camera scale at the previous draw: a zoom is in progress while it keeps changing. */
  private seenScale = 0;
  private settleTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly style: DrawStyle;
  private requestDraw: () => void = () => undefined;

  constructor(private readonly engine: ImageEditorEngine) {
    this.style = makeStyle(engine);
  }

  /** Draw into this bitmap from now on (the kept stage's, reused across tasks). */
  useCanvas(canvas: HTMLCanvasElement): void {
    this.own = canvas;
    this.world = null;
    this.invalidate();
  }

  private get canvas(): HTMLCanvasElement {
    return (this.own ??= document.createElement('canvas'));
  }

  /** The view's way to schedule a redraw of the layer (after a zoom settles). */
  onRequestDraw(fn: () => void): void {
    this.requestDraw = fn;
  }

  invalidate(): void {
    this.dirty = true;
    this.rects = [];
  }

  /** Regions at these bounds changed: patch just those areas on the next draw. */
  invalidateAreas(areas: Iterable<Bounds>): void {
    if (this.dirty) return;
    // Label tags overhang their regions: with labels on and few regions in view, redraw it all
    // (cheap then); patching pays off when there are many.
    if (this.engine.session.get().showLabels && this.inViewCount <= MAX_LABELS) return this.invalidate();
    for (const a of areas) this.rects.push(a);
    if (this.rects.length > 64) this.invalidate();
  }

  /** Called from the regions layer's sceneFunc, whose context is in world coordinates. */
  draw(ctx: CanvasRenderingContext2D): void {
    const s = this.engine.session.get();
    const { width, height } = this.engine.image;
    const view = visibleWorld(s.camera, s.viewport);
    const need: Bounds = {
      minX: Math.max(0, view.minX),
      minY: Math.max(0, view.minY),
      maxX: Math.min(width, view.maxX),
      maxY: Math.min(height, view.maxY),
    };
    if (need.maxX <= need.minX || need.maxY <= need.minY) return;
    const now = performance.now();
    if (s.camera.scale !== this.seenScale) {
      this.seenScale = s.camera.scale;
      this.lastScaleChange = now;
      if (this.world) this.scheduleSettle();
    }
    const zooming = now - this.lastScaleChange < SETTLE_MS;
    const covered =
      !!this.world &&
      this.world.minX <= need.minX &&
      this.world.minY <= need.minY &&
      this.world.maxX >= need.maxX &&
      this.world.maxY >= need.maxY;
    // The first draw of a task with few regions in view goes straight onto the layer: the bitmap
    // (a fresh backing store to allocate, then a blit of it: 5–20 ms of a cold open) is drawn
    // at the next idle moment (`prime`), before the first pan needs it.
    if (!this.world && this.dirty && this.drawDirect(ctx, view, need)) return;
    if (this.dirty || !covered || (this.scale !== s.camera.scale && !zooming)) this.render(view);
    else if (this.rects.length) this.patch();
    const w = this.world!;
    ctx.imageSmoothingEnabled = this.scale !== s.camera.scale;
    const { width: uw, height: uh } = this.used;
    ctx.drawImage(this.canvas, 0, 0, uw, uh, w.minX, w.minY, w.maxX - w.minX, w.maxY - w.minY);
  }

  /** Draws the regions in view onto `ctx` (world coordinates) when they are few; false if not. */
  private drawDirect(ctx: CanvasRenderingContext2D, view: Bounds, need: Bounds): boolean {
    const s = this.engine.session.get();
    const list = this.engine.regionsIn(view).filter((r) => !s.selected.has(r.id));
    if (list.length > MAX_LABELS) return false;
    this.style.scale = s.camera.scale;
    ctx.save();
    // Clipped to the image, as the bitmap is.
    ctx.beginPath();
    ctx.rect(need.minX, need.minY, need.maxX - need.minX, need.maxY - need.minY);
    ctx.clip();
    drawRegions(ctx, list, this.style);
    if (s.showLabels)
      drawLabels(
        ctx,
        list.map((r) => ({ r, at: labelAnchor(r) })),
        this.style,
      );
    ctx.restore();
    this.inViewCount = list.length;
    return true;
  }

  /**
   * Draws the bitmap now if it is due (nothing is drawn on screen): after a first draw that went
   * straight onto the layer, so the first pan or zoom blits it instead of drawing it.
   */
  prime(): void {
    if (!this.dirty) return;
    const s = this.engine.session.get();
    if (s.viewport.width === 0 || s.viewport.height === 0) return;
    this.seenScale = s.camera.scale;
    this.render(visibleWorld(s.camera, s.viewport));
  }

  private scheduleSettle(): void {
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      this.settleTimer = null;
      this.requestDraw();
    }, SETTLE_MS + 10);
  }

  /** Clear and redraw only the invalidated areas: an edit costs what it touches, not N. */
  private patch(): void {
    const w = this.world!;
    const s = this.engine.session.get();
    const ctx = this.canvas.getContext('2d')!;
    const k = this.scale * this.pr;
    ctx.setTransform(k, 0, 0, k, -w.minX * k, -w.minY * k);
    this.style.scale = this.scale;
    const pad = 4 / this.scale;
    for (const a of this.rects) {
      const r = {
        minX: Math.max(w.minX, a.minX - pad),
        minY: Math.max(w.minY, a.minY - pad),
        maxX: Math.min(w.maxX, a.maxX + pad),
        maxY: Math.min(w.maxY, a.maxY + pad),
      };
      if (r.maxX <= r.minX || r.maxY <= r.minY) continue;
      ctx.save();
      ctx.beginPath();
      ctx.rect(r.minX, r.minY, r.maxX - r.minX, r.maxY - r.minY);
      ctx.clip();
      ctx.clearRect(r.minX, r.minY, r.maxX - r.minX, r.maxY - r.minY);
      drawRegions(
        ctx,
        this.engine.regionsIn(r).filter((x) => !s.selected.has(x.id)),
        this.style,
      );
      ctx.restore();
    }
    this.rects = [];
  }

  private render(view: Bounds): void {
    const s = this.engine.session.get();
    const { scale, x: cx, y: cy } = s.camera;
    const { width, height } = this.engine.image;
    // When the whole image is small on screen, cache all of it: zooming out and panning then never
    // leave the bitmap. Otherwise half a viewport of margin around the view.
    const whole = width * height * scale * scale <= 2 * s.viewport.width * s.viewport.height;
    const mx = whole ? width : (view.maxX - view.minX) * MARGIN;
    const my = whole ? height : (view.maxY - view.minY) * MARGIN;
    // Snap the cache origin to a whole screen pixel, so blitting it after whole-pixel pans is exact.
    const sx0 = Math.floor(cx + Math.max(0, view.minX - mx) * scale);
    const sy0 = Math.floor(cy + Math.max(0, view.minY - my) * scale);
    const sx1 = Math.ceil(cx + Math.min(width, view.maxX + mx) * scale);
    const sy1 = Math.ceil(cy + Math.min(height, view.maxY + my) * scale);
    const world = {
      minX: (sx0 - cx) / scale,
      minY: (sy0 - cy) / scale,
      maxX: (sx1 - cx) / scale,
      maxY: (sy1 - cy) / scale,
    };
    const pr = window.devicePixelRatio || 1;
    this.pr = pr;
    const c = this.canvas;
    const pw = Math.max(1, Math.round((sx1 - sx0) * pr));
    const ph = Math.max(1, Math.round((sy1 - sy0) * pr));
    // Drawn in the top left of a bitmap at least this big: resizing reallocates its backing store
    // (20 ms for a 1250×930 bitmap on a cold open here), and the kept stage's bitmap is allocated
    // ahead at the stage's size (`warmStage`), which a fitted image never exceeds.
    if (c.width < pw || c.height < ph) {
      c.width = Math.max(c.width, pw);
      c.height = Math.max(c.height, ph);
    }
    this.used = { width: pw, height: ph };
    const ctx = c.getContext('2d')!;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, pw, ph);
    ctx.setTransform(scale * pr, 0, 0, scale * pr, -world.minX * scale * pr, -world.minY * scale * pr);
    const list: Region[] = [];
    for (const r of this.engine.regionsIn(world)) if (!s.selected.has(r.id)) list.push(r);
    this.style.scale = scale;
    drawRegions(ctx, list, this.style);
    const inView =
      list.length <= MAX_LABELS ? list : this.engine.regionsIn(view).filter((r) => !s.selected.has(r.id));
    this.inViewCount = inView.length;
    if (s.showLabels) {
      if (inView.length <= MAX_LABELS) {
        drawLabels(
          ctx,
          inView.map((r) => ({ r, at: labelAnchor(r) })),
          this.style,
        );
      }
    }
    this.world = world;
    this.scale = scale;
    this.dirty = false;
    this.rects = [];
  }
}
