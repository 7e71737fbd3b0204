import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cohenKappa, fleissKappa, fleissKappaFromLabels } from './kappa';
import { krippendorffAlpha } from './krippendorff';

describe("Cohen's kappa", () => {
  it('Wikipedia "Cohen\'s kappa", worked example: 50 proposals, 20/5/10/15 → po 0.7, pe 0.5, κ 0.4', () => {
    const a = [
      ...Array(20).fill('yes'),
      ...Array(5).fill('yes'),
      ...Array(10).fill('no'),
      ...Array(15).fill('no'),
    ];
    const b = [
      ...Array(20).fill('yes'),
      ...Array(5).fill('no'),
      ...Array(10).fill('yes'),
      ...Array(15).fill('no'),
    ];
    const r = cohenKappa(a, b);
    expect(r.items).toBe(50);
    expect(r.observed).toBeCloseTo(0.7, 12);
    expect(r.expected).toBeCloseTo(0.5, 12);
    expect(r.kappa).toBeCloseTo(0.4, 12);
  });

  // Hand-computed with Cohen (1968)'s κw = 1 − Σ w·o / Σ w·e. Matrix (A rows × B cols):
  // [2 1 0; 1 1 1; 0 1 3], margins A 3,3,4 and B 3,3,4, n = 10.
  const A = [1, 1, 2, 2, 3, 3, 1, 2, 3, 3];
  const B = [1, 2, 2, 3, 3, 3, 1, 1, 3, 2];
  it('unweighted: po 0.6, pe 0.34, κ 0.26/0.66', () => {
    const r = cohenKappa(A, B);
    expect(r.observed).toBeCloseTo(0.6, 12);
    expect(r.expected).toBeCloseTo(0.34, 12);
    expect(r.kappa).toBeCloseTo(0.26 / 0.66, 12);
  });
  it('linear weights: Σw·o = 2×0.5·... = 0.2, Σw·e = 45/100 → κ = 1 − 0.2/0.45', () => {
    expect(cohenKappa(A, B, { weights: 'linear' }).kappa).toBeCloseTo(1 - 0.2 / 0.45, 12);
  });
  it('quadratic weights: Σw·o = 0.1, Σw·e = 34.5/100 → κ = 1 − 0.1/0.345', () => {
    expect(cohenKappa(A, B, { weights: 'quadratic' }).kappa).toBeCloseTo(1 - 0.1 / 0.345, 12);
  });
  it('the category order given is the one weights use', () => {
    const a = ['low', 'low', 'mid', 'high', 'high'];
    const b = ['low', 'mid', 'mid', 'high', 'mid'];
    const ordered = cohenKappa(a, b, { weights: 'linear', categories: ['low', 'mid', 'high'] });
    const numeric = cohenKappa([0, 0, 1, 2, 2], [0, 1, 1, 2, 1], { weights: 'linear' });
    expect(ordered.kappa).toBeCloseTo(numeric.kappa!, 12);
    expect(() => cohenKappa(['x'], ['y'], { categories: ['x'] })).toThrow(RangeError);
  });
  it('null when undefined: one category only, or no items rated by both', () => {
    expect(cohenKappa(['a', 'a'], ['a', 'a']).kappa).toBeNull();
    expect(cohenKappa(['a', 'a'], ['a', 'a']).observed).toBe(1);
    expect(cohenKappa([null, 'a'], ['b', null])).toEqual({
      kappa: null,
      observed: null,
      expected: null,
      items: 0,
    });
    expect(cohenKappa([], []).kappa).toBeNull();
  });
  it('skips items one rater left out', () => {
    expect(cohenKappa(['a', 'b', null], ['a', 'b', 'a']).items).toBe(2);
    expect(cohenKappa(['a', 'b', null], ['a', 'b', 'a']).kappa).toBe(1);
  });
  it('negative below chance: systematic disagreement', () => {
    expect(cohenKappa(['a', 'b', 'a', 'b'], ['b', 'a', 'b', 'a']).kappa).toBeCloseTo(-1, 12);
  });
  it('refuses raters of different item counts', () => {
    expect(() => cohenKappa(['a'], ['a', 'b'])).toThrow(RangeError);
  });
});

describe("Fleiss' kappa", () => {
  // Wikipedia "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories.
  const wiki = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
  ];
  it('Wikipedia worked example: P̄ 0.378, P̄e 0.213, κ 0.210', () => {
    const r = fleissKappa(wiki);
    expect(r.items).toBe(10);
    expect(r.observed).toBeCloseTo(0.378, 3);
    expect(r.expected).toBeCloseTo(0.2128, 4);
    expect(r.kappa).toBeCloseTo(0.21, 3);
  });
  it('from labels gives the same as from counts', () => {
    const labels = wiki.map((row) => row.flatMap((c, j) => Array<number>(c).fill(j)));
    expect(fleissKappaFromLabels(labels).kappa).toBeCloseTo(fleissKappa(wiki).kappa!, 12);
  });
  it('null with one category or no item of two ratings', () => {
    expect(fleissKappa([[3], [3]]).kappa).toBeNull();
    expect(
      fleissKappa([
        [1, 0],
        [0, 1],
      ]).kappa,
    ).toBeNull();
    expect(fleissKappa([]).items).toBe(0);
  });
  it('equals Cohen-style perfect agreement: every item unanimous, two categories → 1', () => {
    expect(
      fleissKappa([
        [3, 0],
        [0, 3],
        [3, 0],
      ]).kappa,
    ).toBe(1);
  });
});

describe("Krippendorff's alpha", () => {
  // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", Annenberg School for
  // Communication Departmental Paper 43, worked examples A, B and C.
  it('example A: binary data, two observers, no missing values → α = 0.095', () => {
    const r = krippendorffAlpha([
      [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
      [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
    ]);
    expect(r.alpha).toBeCloseTo(0.095, 3);
  });
  it('example B: nominal data, two observers, no missing values → α = 0.692', () => {
    const r = krippendorffAlpha([
      ['a', 'a', 'b', 'b', 'd', 'c', 'c', 'c', 'e', 'd', 'd', 'a'],
      ['b', 'a', 'b', 'b', 'b', 'c', 'c', 'c', 'e', 'd', 'd', 'd'],
    ]);
    expect(r.alpha).toBeCloseTo(0.692, 3);
  });
  // Example C: four observers, twelve units, missing values.
  const C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
    [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
  ];
  it('example C, nominal → 0.743 (n·= 40: unit 12 has one value and drops out)', () => {
    const r = krippendorffAlpha(C, 'nominal');
    expect(r.pairable).toBeCloseTo(40, 12);
    expect(r.units).toBe(11);
    expect(r.alpha).toBeCloseTo(0.743, 3);
  });
  it('example C, ordinal → 0.815', () => expect(krippendorffAlpha(C, 'ordinal').alpha).toBeCloseTo(0.815, 3));
  it('example C, interval → 0.849', () =>
    expect(krippendorffAlpha(C, 'interval').alpha).toBeCloseTo(0.849, 3));
  it('example C, ratio → 0.797', () => expect(krippendorffAlpha(C, 'ratio').alpha).toBeCloseTo(0.797, 3));

  it('ordinal on labels follows the given order', () => {
    const names = ['', 'one', 'two', 'three', 'four', 'five'];
    const labelled = C.map((r) => r.map((v) => (v == null ? null : names[v]!)));
    expect(krippendorffAlpha(labelled, 'ordinal', { order: names.slice(1) }).alpha).toBeCloseTo(0.815, 3);
    expect(() => krippendorffAlpha(labelled, 'ordinal')).toThrow(RangeError);
    expect(() => krippendorffAlpha(labelled, 'interval')).toThrow(RangeError);
  });
  it('null when undefined: a single value throughout, or nothing pairable', () => {
    expect(
      krippendorffAlpha([
        [1, 1],
        [1, 1],
      ]).alpha,
    ).toBeNull();
    expect(
      krippendorffAlpha([
        [1, null],
        [null, 2],
      ]),
    ).toMatchObject({ alpha: null, pairable: 0 });
    expect(krippendorffAlpha([]).alpha).toBeNull();
  });
});

describe('agreement of a rater with itself is perfect (property)', () => {
  const labels = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 60 });
  const distinct = (xs: readonly string[]): number => new Set(xs).size;
  it("Cohen's kappa (all weightings) is 1, or null with one category", () => {
    fc.assert(
      fc.property(
        labels,
        fc.constantFrom('none', 'linear', 'quadratic') as fc.Arbitrary<'none' | 'linear' | 'quadratic'>,
        (xs, weights) => {
          const k = cohenKappa(xs, xs, { weights }).kappa;
          if (distinct(xs) < 2) expect(k).toBeNull();
          else expect(k).toBeCloseTo(1, 12);
        },
      ),
    );
  });
  it("Fleiss' kappa and Krippendorff's alpha (every metric) are 1, or null with one category", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 2, max: 5 }),
        (xs, raters) => {
          const data = Array.from({ length: raters }, () => xs);
          const f = fleissKappaFromLabels(xs.map((x) => Array<number>(raters).fill(x))).kappa;
          for (const metric of ['nominal', 'ordinal', 'interval', 'ratio'] as const) {
            const a = krippendorffAlpha(data, metric).alpha;
            if (new Set(xs).size < 2) expect(a).toBeNull();
            else expect(a).toBeCloseTo(1, 12);
          }
          if (new Set(xs).size < 2) expect(f).toBeNull();
          else expect(f).toBeCloseTo(1, 12);
        },
      ),
    );
  });
});
