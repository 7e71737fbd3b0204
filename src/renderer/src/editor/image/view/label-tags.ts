import { readableOn } from '../../../../../shared/color/contrast';
import type { Vec } from '../../../../../shared/geometry';
import type { Region } from '../engine/records';
import type { DrawStyle } from '../kinds/types';

/**
 * Label tags: a region's label on a chip of its colour at its top-left, sized in screen pixels.
 * Each tag (text, colour, device size) is drawn once on a small canvas of its own, off the page,
 * and copied where it goes. Text drawn on the editor's own canvases set their `font`, and a
 * canvas in the document resolves its font against the page's style: the first tags of a cold
 * open forced a style update there (4–5 ms, in the task that shows the image), and every tag
 * after it was a measure, a fill and a text draw where a copy does.
 */

/** The label tags' font at `px` device pixels. */
const labelFont = (px: number): string => `600 ${px}px system-ui, sans-serif`;
/** Label tag text size, in screen (CSS) pixels. */
const LABEL_PX = 11;
/** Tags kept drawn; past it the oldest go (a project has tens of labels, a zoom a few sizes). */
const MAX_TAGS = 256;

/** What a tag is drawn on: a canvas off the page (an injected one in tests). */
export interface TagCanvas {
  width: number;
  height: number;
  getContext(id: '2d'): CanvasRenderingContext2D | null;
}

const labelText = (r: Region): string =>
  r.suggested && r.score !== undefined ? `${r.label} ${Math.round(r.score * 100)}%` : r.label;

/** Tags drawn once each, by text, colour and device size. */
export class TagSprites {
  private readonly tags = new Map<string, TagCanvas | null>();

  constructor(private readonly make: () => TagCanvas | null) {}

  /** The tag's canvas (null where no canvas can be made: the caller draws the text itself). */
  get(text: string, color: string, k: number): TagCanvas | null {
    const key = `${k}|${color}|${text}`;
    let tag = this.tags.get(key);
    if (tag !== undefined) {
      // Most recently used last: the oldest is the first the cap drops.
      this.tags.delete(key);
      this.tags.set(key, tag);
      return tag;
    }
    tag = this.draw(text, color, k);
    if (this.tags.size >= MAX_TAGS) this.tags.delete(this.tags.keys().next().value!);
    this.tags.set(key, tag);
    return tag;
  }

  private draw(text: string, color: string, k: number): TagCanvas | null {
    const c = this.make();
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return null;
    const fs = LABEL_PX * k;
    ctx.font = labelFont(fs);
    c.width = Math.max(1, Math.ceil(ctx.measureText(text).width + 8 * k));
    c.height = Math.ceil(fs + 4 * k);
    // Sizing the canvas reset its state.
    ctx.font = labelFont(fs);
    ctx.textBaseline = 'bottom';
    ctx.fillStyle = color;
    ctx.fillRect(0, 0, c.width, c.height);
    // Black or white, whichever reads at ≥ 4.5:1 on the label's colour.
    ctx.fillStyle = readableOn(color);
    ctx.fillText(text, 4 * k, c.height - 2 * k);
    return c;
  }
}

const pageCanvas = (): TagCanvas | null =>
  typeof document === 'undefined' ? null : document.createElement('canvas');
const shared = new TagSprites(pageCanvas);

/**
 * Label tags at each region's top-left, sized in screen pixels and placed on whole device pixels
 * (the world transform applied to the anchors, not to the tags: one glyph size at every zoom).
 */
export const drawLabels = (
  ctx: CanvasRenderingContext2D,
  items: readonly { r: Region; at: Vec }[],
  s: DrawStyle,
  sprites: TagSprites = shared,
): void => {
  const m = ctx.getTransform();
  // Device pixels per screen pixel (the canvas's pixel ratio under the camera's scale).
  const k = m.a / s.scale;
  if (m.b !== 0 || m.c !== 0 || !(k > 0)) return drawLabelsInWorld(ctx, items, s);
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  for (const { r, at } of items) {
    const color = s.colorOf(r.label);
    const tag = sprites.get(labelText(r), color, k);
    if (!tag) {
      ctx.restore();
      return drawLabelsInWorld(ctx, items, s);
    }
    const x = Math.round(m.a * at[0] + m.e);
    const y = Math.round(m.d * at[1] + m.f);
    ctx.drawImage(tag as CanvasImageSource, x, y - tag.height);
  }
  ctx.restore();
};

/** The same tags drawn as text under the transform (sized in world units): a rotated view. */
const drawLabelsInWorld = (
  ctx: CanvasRenderingContext2D,
  items: readonly { r: Region; at: Vec }[],
  s: DrawStyle,
): void => {
  const fs = LABEL_PX / s.scale;
  ctx.font = labelFont(fs);
  ctx.textBaseline = 'bottom';
  for (const { r, at } of items) {
    const text = labelText(r);
    const w = ctx.measureText(text).width + 8 / s.scale;
    const h = fs + 4 / s.scale;
    ctx.fillStyle = s.colorOf(r.label);
    ctx.fillRect(at[0], at[1] - h, w, h);
    ctx.fillStyle = readableOn(s.colorOf(r.label));
    ctx.fillText(text, at[0] + 4 / s.scale, at[1] - 2 / s.scale);
  }
};

/**
 * Loads the label font and rasterizes its common glyphs at the tags' device size, so the first
 * image opened does not pay for it (~6–14 ms for 100 tags on this machine); run at an idle moment.
 */
export const warmLabelGlyphs = (): void => {
  const c = document.createElement('canvas');
  c.width = 640;
  c.height = 24;
  const ctx = c.getContext('2d');
  if (!ctx) return;
  ctx.font = labelFont(LABEL_PX * (globalThis.devicePixelRatio || 1));
  ctx.textBaseline = 'bottom';
  ctx.fillText('abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 %-_', 0, 20);
  // Nothing kept: the glyphs stay in the renderer's cache, the canvas goes.
  c.width = c.height = 0;
};
