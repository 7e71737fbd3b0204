import { describe, expect, it, vi } from 'vitest';
import { fittedSize } from './decode';
import { drawFitted } from './image-source';

const natural = { width: 4000, height: 3000 };

/** A 2D context that records what is drawn, under a given transform. */
const fakeContext = (m: { a: number; b?: number; c?: number; d: number; e: number; f: number }) => {
  const calls: unknown[][] = [];
  const ctx = {
    getTransform: () => ({ b: 0, c: 0, ...m }),
    save: vi.fn(),
    restore: vi.fn(),
    setTransform: (...a: number[]) => calls.push(['setTransform', ...a]),
    drawImage: (...a: unknown[]) => calls.push(['drawImage', ...a.slice(1)]),
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, calls };
};

describe('the fitted copy of a prepared image', () => {
  it('is sized to the device pixels of the fitted view', () => {
    // (930 - 48) / 3000 = 0.294 limits the scale: 1176 × 882 device pixels, twice that at 2×.
    expect(fittedSize(natural, { viewport: { width: 1250, height: 930 }, dpr: 1 })).toEqual({
      width: 1176,
      height: 882,
    });
    expect(fittedSize(natural, { viewport: { width: 1250, height: 930 }, dpr: 2 })).toEqual({
      width: 2352,
      height: 1764,
    });
    expect(fittedSize(natural, null)).toBeNull();
    expect(fittedSize(natural, { viewport: { width: 0, height: 930 }, dpr: 1 })).toBeNull();
  });

  it('is drawn 1:1 on whole pixels when the camera fits the image', () => {
    const fitted = { width: 1176, height: 882 } as ImageBitmap;
    const { ctx, calls } = fakeContext({ a: 0.294, d: 0.294, e: 37, f: 24 });
    expect(drawFitted(ctx, fitted, natural)).toBe(true);
    expect(calls).toEqual([
      ['setTransform', 1, 0, 0, 1, 0, 0],
      ['drawImage', 37, 24],
    ]);
  });

  it('is not used at any other zoom or under a rotation', () => {
    const fitted = { width: 1176, height: 882 } as ImageBitmap;
    for (const m of [
      { a: 0.3, d: 0.3, e: 0, f: 0 },
      { a: 0.294 * 1.25, d: 0.294 * 1.25, e: 0, f: 0 },
      { a: 0.294, b: 0.01, d: 0.294, e: 0, f: 0 },
    ]) {
      const { ctx, calls } = fakeContext(m);
      expect(drawFitted(ctx, fitted, natural)).toBe(false);
      expect(calls).toEqual([]);
    }
  });
});
