import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  boxBounds,
  boxContains,
  boxCorners,
  boxFromPoints,
  boxIoU,
  dist,
  handlePosition,
  nearestSegment,
  nearestVertex,
  polygonArea,
  polygonContains,
  resizeBox,
  rotateAbout,
  rotationTowards,
  segmentDist2,
} from './index';

describe('box', () => {
  it('normalizes a box dragged in any direction', () => {
    expect(boxFromPoints([10, 20], [4, 2])).toEqual({ x: 4, y: 2, w: 6, h: 18, rotation: 0 });
  });

  it('contains points inside, honouring rotation', () => {
    const b = { x: 0, y: 0, w: 100, h: 10, rotation: 90 };
    // Rotated 90° about (50,5): it now spans x 45..55, y -45..55.
    expect(boxContains(b, [50, 40])).toBe(true);
    expect(boxContains(b, [90, 5])).toBe(false);
    expect(boxContains({ x: 0, y: 0, w: 10, h: 10 }, [11, 5], 1.5)).toBe(true);
    const bb = boxBounds(b);
    expect(bb.minX).toBeCloseTo(45);
    expect(bb.maxY).toBeCloseTo(55);
  });

  it('computes IoU', () => {
    expect(boxIoU({ x: 0, y: 0, w: 10, h: 10 }, { x: 0, y: 0, w: 10, h: 10 })).toBe(1);
    expect(boxIoU({ x: 0, y: 0, w: 10, h: 10 }, { x: 5, y: 0, w: 10, h: 10 })).toBeCloseTo(50 / 150);
    expect(boxIoU({ x: 0, y: 0, w: 10, h: 10 }, { x: 20, y: 20, w: 1, h: 1 })).toBe(0);
  });

  it('resizing keeps the opposite corner fixed, at any rotation', () => {
    fc.assert(
      fc.property(
        fc.record({
          x: fc.double({ min: -500, max: 500, noNaN: true }),
          y: fc.double({ min: -500, max: 500, noNaN: true }),
          w: fc.double({ min: 1, max: 500, noNaN: true }),
          h: fc.double({ min: 1, max: 500, noNaN: true }),
          rotation: fc.double({ min: 0, max: 359, noNaN: true }),
        }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        (b, k) => {
          const before = boxCorners(b);
          // Drag SE outward along the diagonal so the box does not flip.
          const se = handlePosition(b, 'se');
          const nw = before[0]!;
          const target: [number, number] = [nw[0] + (se[0] - nw[0]) * k, nw[1] + (se[1] - nw[1]) * k];
          const after = resizeBox(b, 'se', target);
          const nwAfter = boxCorners(after)[0]!;
          expect(dist(nwAfter, nw)).toBeLessThan(1e-6);
          expect(after.w).toBeCloseTo(b.w * k, 6);
          expect(after.h).toBeCloseTo(b.h * k, 6);
        },
      ),
    );
  });

  it('resize through the opposite edge flips to a positive size', () => {
    const r = resizeBox({ x: 10, y: 10, w: 10, h: 10 }, 'e', [0, 15]);
    expect(r).toEqual({ x: 0, y: 10, w: 10, h: 10, rotation: 0 });
  });

  it('rotation handle points the top at the cursor, with snapping', () => {
    const b = { x: 0, y: 0, w: 10, h: 10 };
    expect(rotationTowards(b, [5, -100])).toBeCloseTo(0);
    expect(rotationTowards(b, [100, 5])).toBeCloseTo(90);
    expect(rotationTowards(b, [100, 9], 15)).toBe(90);
  });

  it('rotates points about a centre', () => {
    const p = rotateAbout([1, 0], [0, 0], 90);
    expect(p[0]).toBeCloseTo(0);
    expect(p[1]).toBeCloseTo(1);
  });
});

describe('polygon', () => {
  const square: [number, number][] = [
    [0, 0],
    [10, 0],
    [10, 10],
    [0, 10],
  ];
  it('point in polygon, including a concave one', () => {
    expect(polygonContains(square, [5, 5])).toBe(true);
    expect(polygonContains(square, [15, 5])).toBe(false);
    const u: [number, number][] = [
      [0, 0],
      [30, 0],
      [30, 30],
      [20, 30],
      [20, 10],
      [10, 10],
      [10, 30],
      [0, 30],
    ];
    expect(polygonContains(u, [15, 20])).toBe(false);
    expect(polygonContains(u, [5, 20])).toBe(true);
  });
  it('area by shoelace', () => {
    expect(polygonArea(square)).toBe(100);
  });
  it('nearest vertex and segment within tolerance', () => {
    expect(nearestVertex(square, [9, 9.5], 2)).toBe(2);
    expect(nearestVertex(square, [5, 5], 2)).toBe(-1);
    expect(nearestSegment(square, [5, 0.5], 1, true)).toBe(0);
    expect(nearestSegment(square, [0.5, 5], 1, true)).toBe(3);
    expect(nearestSegment(square, [0.5, 5], 1, false)).toBe(-1);
    expect(segmentDist2([5, 5], [0, 0], [10, 0])).toBe(25);
  });
});
