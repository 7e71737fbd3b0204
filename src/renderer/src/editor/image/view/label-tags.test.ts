import { describe, expect, it } from 'vitest';
import type { Region } from '../engine/records';
import { TagSprites, drawLabels } from './label-tags';
import { fakeCanvas, fakeContext } from './test-canvas';

const box = {
  type: 'bbox',
  id: 'b1',
  label: 'car',
  x: 100,
  y: 200,
  w: 50,
  h: 40,
  rotation: 0,
  attributes: {},
};
const style = { scale: 0.5, colorOf: () => '#ffd43b', skeleton: undefined };

const sprites = () => {
  const made: ReturnType<typeof fakeCanvas>[] = [];
  const s = new TagSprites(() => {
    const c = fakeCanvas();
    made.push(c);
    return c;
  });
  return { s, made };
};

describe('label tags', () => {
  it('are copied in device pixels to where the world transform puts the anchor (one glyph size at every zoom)', () => {
    const ctx = fakeContext();
    const { s, made } = sprites();
    // Camera scale 0.5 on a 2× screen, shifted by (10.4, 20.6) device pixels.
    ctx.setTransform(1, 0, 0, 1, 10.4, 20.6);
    drawLabels(ctx, [{ r: box as Region, at: [100, 200] }], style, s);
    // The tag itself: 11 screen px × 2 device px each, on a chip of the label's colour.
    expect(made).toHaveLength(1);
    const tag = made[0]!;
    expect(tag.ctx!.font).toBe('600 22px system-ui, sans-serif');
    expect([tag.width, tag.height]).toEqual([3 * 6 + 16, 30]);
    expect(tag.ctx!.named('fillRect')).toEqual([[0, 0, 34, 30]]);
    expect(tag.ctx!.named('fillText')).toEqual([['car', 8, 30 - 4]]);
    // On the canvas: nothing but the copy, at whole device pixels, its bottom at the anchor.
    expect(ctx.named('fillText')).toEqual([]);
    expect(ctx.named('drawImage')).toEqual([[tag, 110, 221 - 30]]);
    // The world transform is back for whatever is drawn next.
    expect(ctx.getTransform()).toMatchObject({ a: 1, d: 1, e: 10.4, f: 20.6 });
  });

  it('are drawn once per text, colour and size, however many regions carry them', () => {
    const ctx = fakeContext();
    const { s, made } = sprites();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    const items = [0, 1, 2].map((i) => ({
      r: { ...box, id: `b${i}` } as Region,
      at: [i * 50, 100] as const,
    }));
    drawLabels(ctx, items, style, s);
    drawLabels(ctx, items, style, s);
    expect(made).toHaveLength(1);
    expect(ctx.named('drawImage')).toHaveLength(6);
    // Zoomed so that a screen pixel is 1 device pixel: a tag of its own size.
    ctx.setTransform(0.5, 0, 0, 0.5, 0, 0);
    drawLabels(ctx, items.slice(0, 1), style, s);
    expect(made).toHaveLength(2);
    expect(made[1]!.height).toBe(15);
  });

  it('without a canvas to draw tags on, are drawn as text', () => {
    const ctx = fakeContext();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    drawLabels(ctx, [{ r: box as Region, at: [100, 200] }], style, new TagSprites(() => null));
    expect(ctx.named('fillText')).toEqual([['car', 100 + 8, 200 - 4]]);
    expect(ctx.getTransform()).toMatchObject({ a: 1, d: 1, e: 0, f: 0 });
  });

  it('under a transform that is not a plain scale and shift, are sized in world units', () => {
    const ctx = fakeContext();
    ctx.setTransform(0.4, 0.3, -0.3, 0.4, 0, 0);
    drawLabels(ctx, [{ r: box as Region, at: [100, 200] }], style);
    expect(ctx.font).toBe('600 22px system-ui, sans-serif');
    expect(ctx.named('fillText')).toEqual([['car', 100 + 8, 200 - 4]]);
  });
});
