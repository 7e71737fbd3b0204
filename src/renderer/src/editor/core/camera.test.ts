import { describe, expect, it } from 'vitest';
import { actualSize, fitCamera, focusOn, screenToWorld, visibleWorld, worldToScreen, zoomAt } from './camera';

describe('camera', () => {
  it('round-trips screen and world coordinates', () => {
    const c = { x: 30, y: -20, scale: 2.5 };
    const [wx, wy] = screenToWorld(c, 100, 200);
    expect(worldToScreen(c, wx, wy)).toEqual([100, 200]);
  });
  it('zooms about the pointer: the world point under it stays put', () => {
    const c = { x: 10, y: 10, scale: 1 };
    const before = screenToWorld(c, 300, 200);
    const z = zoomAt(c, 2, 300, 200);
    expect(z.scale).toBe(2);
    const after = screenToWorld(z, 300, 200);
    expect(after[0]).toBeCloseTo(before[0]);
    expect(after[1]).toBeCloseTo(before[1]);
  });
  it('fits a 4000×3000 image in 1000×800 with a margin, centred', () => {
    const c = fitCamera({ width: 1000, height: 800 }, { width: 4000, height: 3000 }, 0);
    expect(c.scale).toBe(0.25);
    expect(c.x).toBe(0);
    expect(c.y).toBe(25);
    const v = visibleWorld(c, { width: 1000, height: 800 });
    expect(v.minX).toBe(0);
    expect(v.maxX).toBe(4000);
  });
  it('1:1 sets scale 1 about the viewport centre; focus centres a rectangle', () => {
    expect(actualSize({ x: 0, y: 0, scale: 0.25 }, { width: 800, height: 600 }).scale).toBe(1);
    const f = focusOn({ width: 800, height: 600 }, { minX: 100, minY: 100, maxX: 200, maxY: 200 });
    expect(worldToScreen(f, 150, 150)).toEqual([400, 300]);
  });
});
