import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { matchByScore, minCostAssignment } from './assignment';
import { COCO_PERSON_SIGMAS, matchKeypointInstances, oks } from './keypoints';
import { addCounts, emptyCounts, scoresOf } from './match-counts';
import { type Pt, boxIoURotated, polygonIntersectionArea, polygonIoU } from './polygon-overlap';
import { type Region, matchRegions, regionIoU } from './regions';
import { spanAgreement } from './spans';

const box = (x: number, y: number, w: number, h: number, label = 'car'): Region => ({
  type: 'bbox',
  label,
  x,
  y,
  w,
  h,
});

describe('Hungarian assignment', () => {
  it('finds the optimum where greedy does not (Munkres 1957 style 3×3)', () => {
    // Greedy takes the 1 at (0,0), then the 4, then the 9: 14. The optimum is 3 + 4 + 3 = 10.
    const cost = [
      [1, 2, 3],
      [2, 4, 6],
      [3, 6, 9],
    ];
    expect(minCostAssignment(cost)).toEqual([2, 1, 0]);
  });
  it('rectangular matrices both ways', () => {
    expect(minCostAssignment([[5, 1, 9]])).toEqual([1]);
    expect(minCostAssignment([[5], [1], [9]])).toEqual([-1, 0, -1]);
    expect(minCostAssignment([])).toEqual([]);
  });
  it('gives the same answers after a larger matrix than any before (its buffers are reused)', () => {
    const small = [
      [1, 2, 3],
      [2, 4, 6],
      [3, 6, 9],
    ];
    const before = minCostAssignment(small);
    // 40×40 anti-diagonal optimum: grows the shared buffers past their first size.
    const big = Array.from({ length: 40 }, (_, i) =>
      Array.from({ length: 40 }, (_, j) => (i + j === 39 ? 0 : 5)),
    );
    expect(minCostAssignment(big)).toEqual(Array.from({ length: 40 }, (_, i) => 39 - i));
    expect(minCostAssignment(small)).toEqual(before);
    expect(minCostAssignment([[5], [1], [9]])).toEqual([-1, 0, -1]);
  });
  it('matches brute force on random matrices (property)', () => {
    const perms = (n: number, m: number): number[][] => {
      // All injective maps of n rows into m columns.
      if (n === 0) return [[]];
      const out: number[][] = [];
      for (const p of perms(n - 1, m)) for (let j = 0; j < m; j++) if (!p.includes(j)) out.push([...p, j]);
      return out;
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 16, maxLength: 16 }),
        (n, m, xs) => {
          const cost = Array.from({ length: n }, (_, i) =>
            Array.from({ length: m }, (_, j) => xs[i * 4 + j]!),
          );
          const total = (a: number[]): number => a.reduce((s, j, i) => s + (j >= 0 ? cost[i]![j]! : 0), 0);
          const got = minCostAssignment(cost);
          let best = Infinity;
          if (n <= m) for (const p of perms(n, m)) best = Math.min(best, total(p));
          else {
            const t = Array.from({ length: m }, (_, j) => cost.map((r) => r[j]!));
            for (const p of perms(m, n))
              best = Math.min(
                best,
                p.reduce((s, i, j) => s + t[j]![i]!, 0),
              );
          }
          expect(total(got)).toBe(best);
          expect(new Set(got.filter((j) => j >= 0)).size).toBe(Math.min(n, m));
        },
      ),
    );
  });
  it('matchByScore prefers more pairs to a larger total score, and never goes below the threshold', () => {
    // One pair (0,0) scores 0.95; two pairs (0,1)+(1,0) score 0.7 in total but match more.
    const s = [
      [0.95, 0.35],
      [0.35, 0.0],
    ];
    expect(matchByScore(2, 2, (i, j) => s[i]![j]!, 0.3).pairs).toEqual([
      [0, 1, 0.35],
      [1, 0, 0.35],
    ]);
    expect(matchByScore(2, 2, (i, j) => s[i]![j]!, 0.5).pairs).toEqual([[0, 0, 0.95]]);
  });
});

describe('polygon overlap', () => {
  const square = (x: number, y: number, s: number): Pt[] => [
    [x, y],
    [x + s, y],
    [x + s, y + s],
    [x, y + s],
  ];
  it('two unit squares offset by half: intersection 0.5, IoU 1/3', () => {
    expect(polygonIntersectionArea(square(0, 0, 1), square(0.5, 0, 1))).toBeCloseTo(0.5, 12);
    expect(polygonIoU(square(0, 0, 1), square(0.5, 0, 1))).toBeCloseTo(1 / 3, 12);
  });
  it('a non-convex L against a square, either winding', () => {
    // L: the 2×2 square minus its top-right 1×1 quarter (area 3); square [1,2]² is that quarter.
    const L: Pt[] = [
      [0, 0],
      [2, 0],
      [2, 1],
      [1, 1],
      [1, 2],
      [0, 2],
    ];
    expect(polygonIntersectionArea(L, square(1, 1, 1))).toBeCloseTo(0, 12);
    expect(polygonIntersectionArea(L, square(0.5, 0.5, 1))).toBeCloseTo(0.75, 12);
    expect(polygonIntersectionArea([...L].reverse(), square(0.5, 0.5, 1))).toBeCloseTo(0.75, 12);
    expect(polygonIoU(L, L)).toBeCloseTo(1, 12);
    expect(polygonIoU(L, square(5, 5, 1))).toBe(0);
  });
  it('rotated boxes: a square turned 45° against itself unturned', () => {
    // Square side 2 centred at (1,1) vs the same turned 45°: the overlap is a regular octagon of
    // area 8(√2−1) (side 2 square, cut corners), IoU = A / (8 − A).
    const a = 8 * (Math.SQRT2 - 1);
    expect(
      boxIoURotated({ x: 0, y: 0, w: 2, h: 2, rotation: 0 }, { x: 0, y: 0, w: 2, h: 2, rotation: 45 }),
    ).toBeCloseTo(a / (8 - a), 10);
  });
  it('stays a number in [0, 1] on any input, degenerate and self-crossing polygons included (property)', () => {
    const pt = fc.tuple(
      fc.integer({ min: -20, max: 20 }),
      fc.integer({ min: -20, max: 20 }),
    ) as fc.Arbitrary<Pt>;
    const poly = fc.array(pt, { minLength: 0, maxLength: 8 });
    fc.assert(
      fc.property(poly, poly, (a, b) => {
        const iou = polygonIoU(a, b);
        expect(Number.isFinite(iou)).toBe(true);
        expect(iou).toBeGreaterThanOrEqual(0);
        expect(iou).toBeLessThanOrEqual(1);
        expect(polygonIntersectionArea(a, b)).toBeCloseTo(polygonIntersectionArea(b, a), 6);
      }),
    );
  });
  it('agrees with a fine grid count on random star-shaped polygons (property)', () => {
    const star = fc
      .array(fc.double({ min: 1, max: 10, noNaN: true }), { minLength: 3, maxLength: 9 })
      .map((rs) =>
        rs.map((r, i): Pt => [
          10 + r * Math.cos((2 * Math.PI * i) / rs.length),
          10 + r * Math.sin((2 * Math.PI * i) / rs.length),
        ]),
      );
    const inside = (pts: readonly Pt[], x: number, y: number): boolean => {
      let c = false;
      for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
        const [xi, yi] = pts[i]!;
        const [xj, yj] = pts[j]!;
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
      }
      return c;
    };
    fc.assert(
      fc.property(star, star, fc.double({ min: -5, max: 5, noNaN: true }), (a, b0, dx) => {
        const b = b0.map(([x, y]): Pt => [x + dx, y]);
        const step = 0.1;
        let count = 0;
        for (let x = -5; x < 25; x += step)
          for (let y = 0; y < 20; y += step)
            if (inside(a, x + step / 2, y + step / 2) && inside(b, x + step / 2, y + step / 2)) count++;
        expect(Math.abs(polygonIntersectionArea(a, b) - count * step * step)).toBeLessThan(3);
      }),
      { numRuns: 30 },
    );
  });
});

describe('boxes and polygons matched by IoU', () => {
  it('counts tp/fp/fn, P/R/F1 and the mean IoU of matches (hand computed)', () => {
    const gold = [box(0, 0, 10, 10), box(20, 0, 10, 10), box(40, 0, 10, 10, 'person')];
    const other = [box(0, 0, 10, 5), box(21, 0, 10, 10), box(40, 0, 10, 10, 'car'), box(80, 80, 5, 5)];
    // IoUs: 50/100 = 0.5 (kept at ≥ 0.5); 90/110; the third has the wrong label; the fourth is alone.
    const r = matchRegions(gold, other);
    expect(r.matches.map(([i, j]) => [i, j])).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(r).toMatchObject({ tp: 2, fp: 2, fn: 1 });
    expect(r.precision).toBeCloseTo(0.5, 12);
    expect(r.recall).toBeCloseTo(2 / 3, 12);
    expect(r.f1).toBeCloseTo(4 / 7, 12);
    expect(r.meanScore).toBeCloseTo((0.5 + 90 / 110) / 2, 12);
    expect(matchRegions(gold, other, { sameLabel: false }).tp).toBe(3);
    expect(matchRegions(gold, other, { iouThreshold: 0.6 }).tp).toBe(1);
  });
  it('a polygon matches a box covering the same area', () => {
    const poly: Region = {
      type: 'polygon',
      label: 'car',
      points: [
        [0, 0],
        [10, 0],
        [10, 10],
        [0, 10],
      ],
    };
    expect(matchRegions([poly], [box(0, 0, 10, 10)]).meanScore).toBeCloseTo(1, 12);
  });
  it('null where undefined: nothing on either side', () => {
    expect(matchRegions([], [])).toMatchObject({
      tp: 0,
      precision: null,
      recall: null,
      f1: null,
      meanScore: null,
    });
    expect(matchRegions([box(0, 0, 1, 1)], [])).toMatchObject({ precision: null, recall: 0, f1: 0 });
  });
  it('counts add up over tasks (micro average)', () => {
    const total = addCounts(addCounts(emptyCounts(), { tp: 2, fp: 1, fn: 0, scoreSum: 1.5 }), {
      tp: 1,
      fp: 0,
      fn: 3,
      scoreSum: 0.9,
    });
    expect(scoresOf(total)).toMatchObject({ tp: 3, fp: 1, fn: 3, precision: 0.75, recall: 0.5, f1: 0.6 });
    expect(scoresOf(total).meanScore).toBeCloseTo(0.8, 12);
  });
  it('a rater agrees perfectly with itself (property)', () => {
    const boxes = fc.array(
      fc.record({
        x: fc.integer({ min: 0, max: 100 }),
        y: fc.integer({ min: 0, max: 100 }),
        w: fc.integer({ min: 1, max: 50 }),
        h: fc.integer({ min: 1, max: 50 }),
        label: fc.constantFrom('a', 'b'),
      }),
      { minLength: 1, maxLength: 12 },
    );
    fc.assert(
      fc.property(boxes, (bs) => {
        const rs = bs.map((b) => box(b.x, b.y, b.w, b.h, b.label));
        const r = matchRegions(rs, rs);
        expect(r).toMatchObject({ tp: rs.length, fp: 0, fn: 0, precision: 1, recall: 1, f1: 1 });
        expect(r.meanScore).toBeCloseTo(1, 12);
      }),
    );
  });
  it('skipping pairs whose bounds are apart changes nothing: same as scoring every pair (property)', () => {
    const pt = fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }));
    const region: fc.Arbitrary<Region> = fc.oneof(
      fc.record({
        type: fc.constant('bbox' as const),
        label: fc.constantFrom('a', 'b'),
        x: fc.integer({ min: 0, max: 60 }),
        y: fc.integer({ min: 0, max: 60 }),
        w: fc.integer({ min: 1, max: 30 }),
        h: fc.integer({ min: 1, max: 30 }),
        rotation: fc.constantFrom(0, 0, 30, 90, 200),
      }),
      fc.record({
        type: fc.constant('polygon' as const),
        label: fc.constantFrom('a', 'b'),
        points: fc.array(pt, { minLength: 3, maxLength: 6 }),
      }),
    );
    const regions = fc.array(region, { maxLength: 8 });
    fc.assert(
      fc.property(
        regions,
        regions,
        fc.constantFrom(0, 0.1, 0.5),
        fc.boolean(),
        (ref, other, t, sameLabel) => {
          const everyPair = matchByScore(
            ref.length,
            other.length,
            (i, j) => (sameLabel && ref[i]!.label !== other[j]!.label ? 0 : regionIoU(ref[i]!, other[j]!)),
            t,
          ).pairs;
          expect(matchRegions(ref, other, { iouThreshold: t, sameLabel }).matches).toEqual(everyPair);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('spans', () => {
  // After the SemEval-2013 Task 9.1 scheme (Segura-Bedmar et al. 2013), as in the nervaluate docs:
  // gold "Paris" LOC [0,5), "John Smith" PER [10,20); the other: LOC [0,5) exact,
  // PER [15,20) overlapping, ORG [30,35) spurious.
  const gold = [
    { start: 0, end: 5, label: 'LOC' },
    { start: 10, end: 20, label: 'PER' },
  ];
  const other = [
    { start: 0, end: 5, label: 'LOC' },
    { start: 15, end: 20, label: 'PER' },
    { start: 30, end: 35, label: 'ORG' },
  ];
  it('exact and overlap P/R/F1', () => {
    const r = spanAgreement(gold, other);
    expect(r.exact).toMatchObject({ tp: 1, fp: 2, fn: 1 });
    expect(r.exact.precision).toBeCloseTo(1 / 3, 12);
    expect(r.exact.recall).toBeCloseTo(1 / 2, 12);
    expect(r.exact.f1).toBeCloseTo(0.4, 12);
    expect(r.overlap).toMatchObject({ tp: 2, fp: 1, fn: 0, recall: 1 });
    expect(r.overlap.f1).toBeCloseTo(0.8, 12);
    expect(r.overlap.meanScore).toBeCloseTo((1 + 0.5) / 2, 12);
  });
  it('labels and fields must agree; one span overlaps at most one', () => {
    expect(
      spanAgreement([{ start: 0, end: 5, label: 'A' }], [{ start: 0, end: 5, label: 'B' }]).overlap.tp,
    ).toBe(0);
    expect(
      spanAgreement(
        [{ start: 0, end: 5, label: 'A', field: 'a' }],
        [{ start: 0, end: 5, label: 'A', field: 'b' }],
      ).exact.tp,
    ).toBe(1 - 1);
    const r = spanAgreement(
      [{ start: 0, end: 10, label: 'A' }],
      [
        { start: 0, end: 4, label: 'A' },
        { start: 5, end: 10, label: 'A' },
      ],
    );
    expect(r.overlap).toMatchObject({ tp: 1, fp: 1, fn: 0 });
  });
  it('null when both sides are empty', () => {
    expect(spanAgreement([], []).exact.f1).toBeNull();
  });
  it('agreement with itself is perfect (property)', () => {
    const spans = fc.array(
      fc
        .record({
          start: fc.integer({ min: 0, max: 50 }),
          len: fc.integer({ min: 1, max: 10 }),
          label: fc.constantFrom('A', 'B'),
        })
        .map((s) => ({ start: s.start, end: s.start + s.len, label: s.label })),
      { minLength: 1, maxLength: 15 },
    );
    fc.assert(
      fc.property(spans, (ss) => {
        const r = spanAgreement(ss, ss);
        expect(r.exact.f1).toBe(1);
        expect(r.overlap.f1).toBe(1);
      }),
    );
  });
});

describe('keypoints: OKS (COCO keypoint evaluation)', () => {
  it('exp(−d²/(2 s² k²)) averaged over the reference’s labelled points (hand computed)', () => {
    const ref = [
      { x: 0, y: 0, v: 2 as const },
      { x: 10, y: 0, v: 1 as const },
      { x: 0, y: 10, v: 2 as const },
      { x: 5, y: 5, v: 0 as const },
    ];
    const other = [
      { x: 0, y: 0, v: 2 as const },
      { x: 11, y: 0, v: 2 as const },
      { x: 0, y: 10, v: 0 as const },
      { x: 99, y: 99, v: 2 as const },
    ];
    // area 100, σ 0.05 → k = 0.1, 2 s² k² = 2: terms 1, e^(−1/2), 0 (absent in the other); the
    // fourth point is not labelled in the reference and does not count.
    expect(oks(ref, other, { area: 100 })).toBeCloseTo((1 + Math.exp(-0.5)) / 3, 12);
    // Default area: the reference's labelled points span 10 × 10.
    expect(oks(ref, other)).toBeCloseTo((1 + Math.exp(-0.5)) / 3, 12);
  });
  it("uses COCO's person sigmas when given: nose σ = 0.026", () => {
    const k = 2 * COCO_PERSON_SIGMAS[0]!;
    expect(
      oks([{ x: 0, y: 0, v: 2 }], [{ x: 3, y: 4, v: 2 }], { area: 400, sigmas: COCO_PERSON_SIGMAS }),
    ).toBeCloseTo(Math.exp(-25 / (2 * 400 * k * k)), 12);
  });
  it('null when undefined: no labelled point, or no area', () => {
    expect(oks([{ x: 0, y: 0, v: 0 }], [{ x: 0, y: 0, v: 2 }], { area: 10 })).toBeNull();
    expect(oks([{ x: 0, y: 0, v: 2 }], [{ x: 0, y: 0, v: 2 }])).toBeNull();
  });
  it('instances match one to one by OKS', () => {
    const person = (dx: number) => ({
      label: 'person',
      points: [0, 10, 20].map((x) => ({ x: x + dx, y: x, v: 2 as const })),
    });
    const r = matchKeypointInstances([person(0), person(100)], [person(100.5), person(300)]);
    expect(r).toMatchObject({ tp: 1, fp: 1, fn: 1 });
    expect(r.matches[0]!.slice(0, 2)).toEqual([1, 0]);
  });
});
