/**
 * ISO 2859-1 (= ANSI/ASQ Z1.4, = MIL-STD-105E) tables as data: Table 1 (sample size code
 * letters, general inspection levels) and Table 2-A (single sampling plans, normal inspection),
 * for the AQL columns this project offers. Checked cell by cell against the standard's tables;
 * the tests in sampling.test.ts list every cell.
 */

export const CODE_LETTERS = [
  'A',
  'B',
  'C',
  'D',
  'E',
  'F',
  'G',
  'H',
  'J',
  'K',
  'L',
  'M',
  'N',
  'P',
  'Q',
  'R',
] as const;
export type CodeLetter = (typeof CODE_LETTERS)[number];

export const INSPECTION_LEVELS = ['I', 'II', 'III'] as const;
export type InspectionLevel = (typeof INSPECTION_LEVELS)[number];

/** AQL in percent nonconforming; only the columns the project offers. */
export const AQLS = [0.65, 1.0, 1.5, 2.5, 4.0, 6.5] as const;
export type Aql = (typeof AQLS)[number];

/** Table 1: lot size ranges (inclusive upper bounds; the last is open) → letter per level. */
export const LOT_SIZE_ROWS: readonly {
  min: number;
  max: number | null;
  letters: Record<InspectionLevel, CodeLetter>;
}[] = [
  { min: 2, max: 8, letters: { I: 'A', II: 'A', III: 'B' } },
  { min: 9, max: 15, letters: { I: 'A', II: 'B', III: 'C' } },
  { min: 16, max: 25, letters: { I: 'B', II: 'C', III: 'D' } },
  { min: 26, max: 50, letters: { I: 'C', II: 'D', III: 'E' } },
  { min: 51, max: 90, letters: { I: 'C', II: 'E', III: 'F' } },
  { min: 91, max: 150, letters: { I: 'D', II: 'F', III: 'G' } },
  { min: 151, max: 280, letters: { I: 'E', II: 'G', III: 'H' } },
  { min: 281, max: 500, letters: { I: 'F', II: 'H', III: 'J' } },
  { min: 501, max: 1200, letters: { I: 'G', II: 'J', III: 'K' } },
  { min: 1201, max: 3200, letters: { I: 'H', II: 'K', III: 'L' } },
  { min: 3201, max: 10000, letters: { I: 'J', II: 'L', III: 'M' } },
  { min: 10001, max: 35000, letters: { I: 'K', II: 'M', III: 'N' } },
  { min: 35001, max: 150000, letters: { I: 'L', II: 'N', III: 'P' } },
  { min: 150001, max: 500000, letters: { I: 'M', II: 'P', III: 'Q' } },
  { min: 500001, max: null, letters: { I: 'N', II: 'Q', III: 'R' } },
];

/** Table 2-A, first column: sample size per code letter. */
export const SAMPLE_SIZES: Record<CodeLetter, number> = {
  A: 2,
  B: 3,
  C: 5,
  D: 8,
  E: 13,
  F: 20,
  G: 32,
  H: 50,
  J: 80,
  K: 125,
  L: 200,
  M: 315,
  N: 500,
  P: 800,
  Q: 1250,
  R: 2000,
};

/** A cell of Table 2-A: a plan, or an arrow to the first plan below (`down`) or above (`up`). */
export type PlanCell = { ac: number; re: number } | 'down' | 'up';

const p = (ac: number, re: number): PlanCell => ({ ac, re });
const D: PlanCell = 'down';
const U: PlanCell = 'up';

/**
 * Table 2-A, normal inspection, single sampling: rows A..R, columns AQL 0.65, 1.0, 1.5, 2.5,
 * 4.0, 6.5 (in the order of AQLS). Transcribed as the printed table reads; the same pattern runs
 * along every diagonal (0/1, ↑, ↓, 1/2, 2/3, 3/4, 5/6, 7/8, 10/11, 14/15, 21/22, ↑).
 */
export const NORMAL_SINGLE: Record<CodeLetter, readonly PlanCell[]> = {
  //   0.65       1.0        1.5        2.5        4.0        6.5
  A: [D, D, D, D, D, p(0, 1)],
  B: [D, D, D, D, p(0, 1), U],
  C: [D, D, D, p(0, 1), U, D],
  D: [D, D, p(0, 1), U, D, p(1, 2)],
  E: [D, p(0, 1), U, D, p(1, 2), p(2, 3)],
  F: [p(0, 1), U, D, p(1, 2), p(2, 3), p(3, 4)],
  G: [U, D, p(1, 2), p(2, 3), p(3, 4), p(5, 6)],
  H: [D, p(1, 2), p(2, 3), p(3, 4), p(5, 6), p(7, 8)],
  J: [p(1, 2), p(2, 3), p(3, 4), p(5, 6), p(7, 8), p(10, 11)],
  K: [p(2, 3), p(3, 4), p(5, 6), p(7, 8), p(10, 11), p(14, 15)],
  L: [p(3, 4), p(5, 6), p(7, 8), p(10, 11), p(14, 15), p(21, 22)],
  M: [p(5, 6), p(7, 8), p(10, 11), p(14, 15), p(21, 22), U],
  N: [p(7, 8), p(10, 11), p(14, 15), p(21, 22), U, U],
  P: [p(10, 11), p(14, 15), p(21, 22), U, U, U],
  Q: [p(14, 15), p(21, 22), U, U, U, U],
  R: [p(21, 22), U, U, U, U, U],
};
