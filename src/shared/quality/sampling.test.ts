import { describe, expect, it } from 'vitest';
import { codeLetterFor, lotVerdict, resolvePlan, sampleSizeOf, samplingPlan } from './sampling';
import { AQLS, CODE_LETTERS, type CodeLetter, type InspectionLevel } from './sampling-tables';

// Expected values typed in independently of sampling-tables.ts, from ISO 2859-1:1999 Table 1 and
// Table 2-A (identical to ANSI/ASQ Z1.4-2003 Table I and Table II-A, and MIL-STD-105E).

// Table 1, general inspection levels I, II, III: [min, max, I, II, III].
const TABLE_1: [number, number, string][] = [
  [2, 8, 'AAB'],
  [9, 15, 'ABC'],
  [16, 25, 'BCD'],
  [26, 50, 'CDE'],
  [51, 90, 'CEF'],
  [91, 150, 'DFG'],
  [151, 280, 'EGH'],
  [281, 500, 'FHJ'],
  [501, 1200, 'GJK'],
  [1201, 3200, 'HKL'],
  [3201, 10000, 'JLM'],
  [10001, 35000, 'KMN'],
  [35001, 150000, 'LNP'],
  [150001, 500000, 'MPQ'],
  [500001, 10_000_000, 'NQR'],
];

const SIZES = 'A2 B3 C5 D8 E13 F20 G32 H50 J80 K125 L200 M315 N500 P800 Q1250 R2000';

// Table 2-A with arrows followed: per letter, per AQL 0.65 1.0 1.5 2.5 4.0 6.5, the plan letter
// and Ac/Re. An arrow cell shows the letter it leads to.
const TABLE_2A: Record<CodeLetter, string> = {
  A: 'F0/1 E0/1 D0/1 C0/1 B0/1 A0/1',
  B: 'F0/1 E0/1 D0/1 C0/1 B0/1 A0/1',
  C: 'F0/1 E0/1 D0/1 C0/1 B0/1 D1/2',
  D: 'F0/1 E0/1 D0/1 C0/1 E1/2 D1/2',
  E: 'F0/1 E0/1 D0/1 F1/2 E1/2 E2/3',
  F: 'F0/1 E0/1 G1/2 F1/2 F2/3 F3/4',
  G: 'F0/1 H1/2 G1/2 G2/3 G3/4 G5/6',
  H: 'J1/2 H1/2 H2/3 H3/4 H5/6 H7/8',
  J: 'J1/2 J2/3 J3/4 J5/6 J7/8 J10/11',
  K: 'K2/3 K3/4 K5/6 K7/8 K10/11 K14/15',
  L: 'L3/4 L5/6 L7/8 L10/11 L14/15 L21/22',
  M: 'M5/6 M7/8 M10/11 M14/15 M21/22 L21/22',
  N: 'N7/8 N10/11 N14/15 N21/22 M21/22 L21/22',
  P: 'P10/11 P14/15 P21/22 N21/22 M21/22 L21/22',
  Q: 'Q14/15 Q21/22 P21/22 N21/22 M21/22 L21/22',
  R: 'R21/22 Q21/22 P21/22 N21/22 M21/22 L21/22',
};

describe('ISO 2859-1 Table 1: code letters', () => {
  const levels: InspectionLevel[] = ['I', 'II', 'III'];
  for (const [min, max, letters] of TABLE_1)
    for (const [i, level] of levels.entries())
      it(`lots ${min}–${max} at level ${level} → ${letters[i]}`, () => {
        expect(codeLetterFor(min, level)).toBe(letters[i]);
        expect(codeLetterFor(max, level)).toBe(letters[i]);
        expect(codeLetterFor(Math.floor((min + max) / 2), level)).toBe(letters[i]);
      });

  it('a lot of one uses the first row; no lot size below one', () => {
    expect(codeLetterFor(1, 'III')).toBe('B');
    expect(() => codeLetterFor(0, 'II')).toThrow(RangeError);
    expect(() => codeLetterFor(2.5, 'II')).toThrow(RangeError);
  });
});

describe('ISO 2859-1 Table 2-A: sample sizes and Ac/Re, normal inspection', () => {
  it('sample size of every code letter', () => {
    for (const cell of SIZES.split(' '))
      expect(sampleSizeOf(cell[0] as CodeLetter)).toBe(Number(cell.slice(1)));
  });

  for (const letter of CODE_LETTERS)
    for (const [col, aql] of AQLS.entries())
      it(`${letter} at AQL ${aql}`, () => {
        const m = /^([A-R])(\d+)\/(\d+)$/.exec(TABLE_2A[letter].split(' ')[col]!)!;
        expect(resolvePlan(letter, aql)).toEqual({ letter: m[1], ac: Number(m[2]), re: Number(m[3]) });
      });
});

describe('samplingPlan', () => {
  it('lot of 500 at level II, AQL 2.5: H, n=50, Ac 3, Re 4', () => {
    expect(samplingPlan({ lotSize: 500, level: 'II', aql: 2.5 })).toEqual({
      lotSize: 500,
      level: 'II',
      aql: 2.5,
      codeLetter: 'H',
      planLetter: 'H',
      tableSampleSize: 50,
      sampleSize: 50,
      inspectAll: false,
      ac: 3,
      re: 4,
    });
  });

  it('defaults to level II and AQL 2.5', () => {
    expect(samplingPlan({ lotSize: 3000 })).toMatchObject({ codeLetter: 'K', sampleSize: 125, ac: 7, re: 8 });
  });

  it('an arrow moves to another letter and its sample size: 60 items, II, AQL 2.5 → E ↓ F, n=20, 1/2', () => {
    expect(samplingPlan({ lotSize: 60, aql: 2.5 })).toMatchObject({
      codeLetter: 'E',
      planLetter: 'F',
      sampleSize: 20,
      inspectAll: false,
      ac: 1,
      re: 2,
    });
  });

  it('an up arrow: 100,000 items, II, AQL 6.5 → N ↑ L, n=200, 21/22', () => {
    expect(samplingPlan({ lotSize: 100_000, aql: 6.5 })).toMatchObject({
      codeLetter: 'N',
      planLetter: 'L',
      sampleSize: 200,
      ac: 21,
      re: 22,
    });
  });

  it('inspects all when the sample reaches the lot: 10 items, II, AQL 0.65 → B ↓ F (n=20) → all 10', () => {
    expect(samplingPlan({ lotSize: 10, aql: 0.65 })).toMatchObject({
      codeLetter: 'B',
      planLetter: 'F',
      tableSampleSize: 20,
      sampleSize: 10,
      inspectAll: true,
      ac: 0,
      re: 1,
    });
    // Equal sizes count as the whole lot too: 8 items, III, AQL 1.5 → B ↓ D (n=8).
    expect(samplingPlan({ lotSize: 8, level: 'III', aql: 1.5 })).toMatchObject({
      sampleSize: 8,
      inspectAll: true,
    });
    expect(samplingPlan({ lotSize: 9, level: 'III', aql: 1.5 })).toMatchObject({
      sampleSize: 8,
      inspectAll: false,
    });
  });

  it('rejects an AQL or level outside the tables', () => {
    expect(() => samplingPlan({ lotSize: 100, aql: 3 as never })).toThrow();
    expect(() => samplingPlan({ lotSize: 100, level: 'S-1' as never })).toThrow();
    expect(() => samplingPlan({ lotSize: 0 })).toThrow();
  });
});

describe('lotVerdict', () => {
  const plan = { sampleSize: 50, ac: 3, re: 4 };
  it('accepts at defects ≤ Ac once the whole sample is audited', () => {
    expect(lotVerdict(plan, 50, 3)).toBe('accepted');
    expect(lotVerdict(plan, 50, 0)).toBe('accepted');
  });
  it('rejects at defects ≥ Re, even before the sample is done', () => {
    expect(lotVerdict(plan, 50, 4)).toBe('rejected');
    expect(lotVerdict(plan, 10, 4)).toBe('rejected');
  });
  it('is pending while the sample is incomplete and Re is not reached', () => {
    expect(lotVerdict(plan, 49, 3)).toBe('pending');
    expect(lotVerdict(plan, 0, 0)).toBe('pending');
  });
  it('refuses impossible counts', () => {
    expect(() => lotVerdict(plan, 2, 3)).toThrow(RangeError);
  });
});
