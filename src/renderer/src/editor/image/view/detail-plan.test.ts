import { describe, expect, it } from 'vitest';
import {
  RegionLru,
  needsOverview,
  neededRes,
  overviewLongSide,
  regionToDecode,
  visibleRect,
} from './detail-plan';

const big = { width: 10_000, height: 10_000 };

describe('level of detail for large images', () => {
  it('sizes the overview from the screen, within 2048–4096 px', () => {
    expect(overviewLongSide({ width: 1600, height: 1000 }, 1)).toBe(3200);
    expect(overviewLongSide({ width: 800, height: 600 }, 1)).toBe(2048);
    expect(overviewLongSide({ width: 2560, height: 1440 }, 2)).toBe(4096);
    expect(needsOverview(big)).toBe(true);
    expect(needsOverview({ width: 4000, height: 3000 })).toBe(false); // 12 MP: kept whole
    expect(needsOverview({ width: 12_000, height: 600 })).toBe(true); // a panorama past 8192 px
  });

  it('asks for detail only past the overview, at a power of two no finer than 1:1', () => {
    const ov = 0.32; // 3200 px overview of 10000 px
    expect(neededRes(0.08, 1, ov)).toBe(0); // fit
    expect(neededRes(0.4, 1, ov)).toBe(0); // still sharp enough
    expect(neededRes(0.45, 1, ov)).toBe(0.5);
    expect(neededRes(1, 1, ov)).toBe(1);
    expect(neededRes(8, 1, ov)).toBe(1); // beyond 1:1 the source has no more pixels
    expect(neededRes(0.3, 2, ov)).toBe(1); // a HiDPI screen needs twice the pixels
  });

  it('decodes the visible part with half a view of margin, snapped and clipped to the image', () => {
    const vis = visibleRect({ x: -4000, y: -5000, scale: 1 }, { width: 1600, height: 1000 }, big)!;
    expect(vis).toEqual({ x: 4000, y: 5000, w: 1600, h: 1000 });
    const r = regionToDecode(vis, big);
    expect(r.x).toBeLessThanOrEqual(3200);
    expect(r.y).toBeLessThanOrEqual(4500);
    expect(r.x + r.w).toBeGreaterThanOrEqual(6400);
    expect(r.y + r.h).toBeGreaterThanOrEqual(6500);
    expect(r.x % 256).toBe(0);
    // At the corner the region stops at the image.
    const corner = regionToDecode(
      visibleRect({ x: 0, y: 0, scale: 1 }, { width: 1600, height: 1000 }, big)!,
      big,
    );
    expect(corner.x).toBe(0);
    expect(corner.y).toBe(0);
    expect(visibleRect({ x: 20_000, y: 0, scale: 1 }, { width: 1600, height: 1000 }, big)).toBeNull();
  });

  it('keeps decoded regions under a byte budget, least recently used out first', () => {
    const closed: string[] = [];
    const lru = new RegionLru<string>(100, (b) => closed.push(b));
    const region = (name: string, x: number, res = 1) => ({
      rect: { x, y: 0, w: 100, h: 100 },
      res,
      bitmap: name,
      bytes: 40,
    });
    lru.add(region('a', 0));
    lru.add(region('b', 1000));
    expect(lru.covering({ x: 10, y: 10, w: 50, h: 50 }, 1)?.bitmap).toBe('a'); // a is now the most recent
    expect(lru.covering({ x: 10, y: 10, w: 50, h: 50 }, 2)).toBeNull(); // not fine enough
    lru.add(region('c', 2000));
    expect(closed).toEqual(['b']);
    expect(lru.bytes).toBe(80);
    expect(
      lru
        .within({ x: 0, y: 0, w: 3000, h: 10 })
        .map((r) => r.bitmap)
        .sort(),
    ).toEqual(['a', 'c']);
    // One region over budget on its own is still kept (it is the one on screen).
    lru.add({ ...region('huge', 5000), bytes: 500 });
    expect(lru.size).toBe(1);
    lru.clear();
    expect(closed).toEqual(['b', 'a', 'c', 'huge']);
  });
});
