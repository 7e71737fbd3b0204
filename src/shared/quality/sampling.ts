import { z } from 'zod';
import {
  AQLS,
  type Aql,
  CODE_LETTERS,
  type CodeLetter,
  INSPECTION_LEVELS,
  type InspectionLevel,
  LOT_SIZE_ROWS,
  NORMAL_SINGLE,
  SAMPLE_SIZES,
} from './sampling-tables';

/**
 * ISO 2859-1 single sampling, normal inspection: lot size + inspection level → code letter
 * (Table 1); code letter + AQL → sample size and Ac/Re (Table 2-A), following the arrows to the
 * letter whose sample size is then used; a sample that reaches the lot size means "inspect all".
 */

export const InspectionLevelSchema = z.enum(INSPECTION_LEVELS);
export const AqlSchema = z.literal(AQLS);

export const SamplingPlanRequest = z.object({
  /** Items in the lot (batch). A lot of one is treated with the 2–8 row: it is inspected whole. */
  lotSize: z.number().int().positive(),
  level: InspectionLevelSchema.default('II'),
  aql: AqlSchema.default(2.5),
});
export type SamplingPlanRequest = z.input<typeof SamplingPlanRequest>;

export const SamplingPlan = z.object({
  lotSize: z.number().int().positive(),
  level: InspectionLevelSchema,
  aql: AqlSchema,
  /** Table 1's letter for the lot size and level. */
  codeLetter: z.enum(CODE_LETTERS),
  /** The letter whose plan is used after following Table 2-A's arrows. */
  planLetter: z.enum(CODE_LETTERS),
  /** Sample size of planLetter as printed in the table. */
  tableSampleSize: z.number().int().positive(),
  /** Items to inspect: the table's sample size, or the whole lot when that is smaller. */
  sampleSize: z.number().int().positive(),
  /** The table's sample reaches the lot size: every item is inspected (100 % inspection). */
  inspectAll: z.boolean(),
  /** Accept the lot at defects ≤ ac; reject at defects ≥ re. */
  ac: z.number().int().nonnegative(),
  re: z.number().int().positive(),
});
export type SamplingPlan = z.infer<typeof SamplingPlan>;

/** Table 1: the sample size code letter for a lot size at a general inspection level. */
export const codeLetterFor = (lotSize: number, level: InspectionLevel): CodeLetter => {
  if (!Number.isInteger(lotSize) || lotSize < 1)
    throw new RangeError(`lot size must be a positive integer, got ${lotSize}`);
  const row = LOT_SIZE_ROWS.find((r) => r.max === null || lotSize <= r.max)!;
  return row.letters[level];
};

/** Table 2-A: the sample size of a code letter. */
export const sampleSizeOf = (letter: CodeLetter): number => SAMPLE_SIZES[letter];

/**
 * Table 2-A at (letter, AQL), arrows followed: ↓ "use the first sampling plan below the arrow",
 * ↑ "use the first sampling plan above the arrow". Returns the letter that holds the plan.
 */
export const resolvePlan = (letter: CodeLetter, aql: Aql): { letter: CodeLetter; ac: number; re: number } => {
  const col = AQLS.indexOf(aql);
  if (col < 0) throw new RangeError(`AQL ${aql} is not one of ${AQLS.join(', ')}`);
  let row = CODE_LETTERS.indexOf(letter);
  const first = NORMAL_SINGLE[letter][col]!;
  const step = first === 'down' ? 1 : first === 'up' ? -1 : 0;
  for (;;) {
    const l = CODE_LETTERS[row];
    if (l === undefined) throw new Error(`Table 2-A has no plan for ${letter} at AQL ${aql}`);
    const cell = NORMAL_SINGLE[l][col]!;
    if (typeof cell === 'object') return { letter: l, ac: cell.ac, re: cell.re };
    row += step;
  }
};

/** The whole single sampling plan, normal inspection, for a lot. */
export const samplingPlan = (request: SamplingPlanRequest): SamplingPlan => {
  const { lotSize, level, aql } = SamplingPlanRequest.parse(request);
  const codeLetter = codeLetterFor(lotSize, level);
  const plan = resolvePlan(codeLetter, aql);
  const tableSampleSize = sampleSizeOf(plan.letter);
  const inspectAll = tableSampleSize >= lotSize;
  return {
    lotSize,
    level,
    aql,
    codeLetter,
    planLetter: plan.letter,
    tableSampleSize,
    sampleSize: inspectAll ? lotSize : tableSampleSize,
    inspectAll,
    ac: plan.ac,
    re: plan.re,
  };
};

export const LotVerdict = z.enum(['pending', 'accepted', 'rejected']);
export type LotVerdict = z.infer<typeof LotVerdict>;

/**
 * The lot's verdict after `audited` of the plan's sample items with `defects` among them:
 * rejected as soon as defects reach Re (no later item can undo that), accepted when the whole
 * sample is audited with defects ≤ Ac, pending otherwise.
 */
export const lotVerdict = (
  plan: Pick<SamplingPlan, 'sampleSize' | 'ac' | 're'>,
  audited: number,
  defects: number,
): LotVerdict => {
  if (defects > audited || audited < 0 || defects < 0)
    throw new RangeError('defects must lie within 0..audited');
  if (defects >= plan.re) return 'rejected';
  if (audited >= plan.sampleSize && defects <= plan.ac) return 'accepted';
  return 'pending';
};
