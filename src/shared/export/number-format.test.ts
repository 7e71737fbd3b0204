import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixed, num } from './record';

/** The definitions the fast paths must match byte for byte. */
const numRef = (n: number): string => (Object.is(n, -0) ? '0' : String(n));
const fixedRef = (n: number, digits: number): string => {
  const s = n.toFixed(digits);
  const t = s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
  return t === '-0' ? '0' : t;
};

describe('number formatting fast paths', () => {
  it('num is String(n) for short decimals, integers, edges and any double', () => {
    const short = fc
      .tuple(fc.integer({ min: -5_000_000, max: 5_000_000 }), fc.constantFrom(1, 2, 4, 8, 10, 100, 1000))
      .map(([m, d]) => m / d);
    fc.assert(
      fc.property(fc.oneof(short, fc.double(), fc.double({ min: -1e4, max: 1e4, noNaN: true })), (n) => {
        expect(num(n)).toBe(numRef(n));
      }),
      { numRuns: 20_000 },
    );
    for (const n of [
      0,
      -0,
      0.001,
      0.0005,
      1e-7,
      999.999,
      1e9 - 0.5,
      16424907667031.191,
      1e21,
      -0.25,
      0.1 + 0.2,
      1920.75,
    ])
      expect(num(n)).toBe(numRef(n));
  });

  it('fixed(n, 6) is toFixed(6) trimmed, ties included', () => {
    const ties = fc.integer({ min: 0, max: 999_999 }).map((m) => (m + 0.5) / 1e6);
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), ties), (n) => {
        expect(fixed(n, 6)).toBe(fixedRef(n, 6));
      }),
      { numRuns: 20_000 },
    );
    for (const n of [0, 1, 0.5, 0.0000005, 0.9999995, 0.1234565, 1e-7, 0.999999, 0.1])
      expect(fixed(n, 6)).toBe(fixedRef(n, 6));
    for (let i = 0; i <= 100_000; i++) expect(fixed(i / 100_000, 6)).toBe(fixedRef(i / 100_000, 6));
  });
});
