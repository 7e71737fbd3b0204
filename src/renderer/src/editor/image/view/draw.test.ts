import { describe, expect, it } from 'vitest';
import type { Region } from '../engine/records';
import { drawLabels } from './draw';
import { fakeContext } from './test-canvas';

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

describe('label tags', () => {
  it('are drawn in device pixels at the anchor the world transform puts them (one glyph size at every zoom)', () => {
    const ctx = fakeContext();
    // Camera scale 0.5 on a 2× screen, shifted by (10, 20) device pixels.
    ctx.setTransform(1, 0, 0, 1, 10, 20);
    drawLabels(ctx, [{ r: box as Region, at: [100, 200] }], style);
    // 11 screen px × 2 device px each; the text at the anchor's device point, not in world units.
    expect(ctx.font).toBe('600 22px system-ui, sans-serif');
    expect(ctx.named('fillText')).toEqual([['car', 110 + 8, 220 - 4]]);
    expect(ctx.named('fillRect')).toEqual([[110, 220 - 30, 3 * 6 + 16, 30]]);
    // The world transform is back for whatever is drawn next.
    expect(ctx.getTransform()).toMatchObject({ a: 1, d: 1, e: 10, f: 20 });
  });

  it('under a transform that is not a plain scale and shift, are sized in world units', () => {
    const ctx = fakeContext();
    ctx.setTransform(0.4, 0.3, -0.3, 0.4, 0, 0);
    drawLabels(ctx, [{ r: box as Region, at: [100, 200] }], style);
    expect(ctx.font).toBe('600 22px system-ui, sans-serif');
    expect(ctx.named('fillText')).toEqual([['car', 100 + 8, 200 - 4]]);
  });
});
