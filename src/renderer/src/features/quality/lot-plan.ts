import {
  AQLS,
  type Aql,
  INSPECTION_LEVELS,
  type InspectionLevel,
  samplingPlan,
} from '../../../../shared/quality';
import type { LotBatch } from '../../../../shared/sync';

/**
 * The plan a lot would get, worked out here with the same shared ISO 2859-1 code the hub runs
 * (src/shared/quality), so the lead sees N, the code letter, n and Ac/Re before making it.
 */

export const LEVELS: readonly InspectionLevel[] = INSPECTION_LEVELS;
export const AQL_CHOICES: readonly Aql[] = AQLS;

/** "0.65", "1.0", "2.5": as the standard's tables print them. */
export const aqlText = (aql: number): string => aql.toFixed(aql < 1 ? 2 : 1);

export type PlanPreview =
  | { kind: 'plan'; lotSize: string; codeLetter: string; sampleSize: string; acRe: string; words: string }
  | { kind: 'none'; words: string };

const acceptWords = (ac: number): string =>
  ac === 0 ? 'no defect' : `at most ${ac} defect${ac === 1 ? '' : 's'}`;

export const planPreview = (batch: LotBatch | undefined, level: InspectionLevel, aql: Aql): PlanPreview => {
  if (!batch) return { kind: 'none', words: 'Pick a batch.' };
  if (batch.openLotId !== null)
    return {
      kind: 'none',
      words: `Batch ${batch.batch} has a lot under audit (${batch.openLotId}); it must be accepted or rejected before another lot is made.`,
    };
  if (batch.items === 0)
    return {
      kind: 'none',
      words: `Batch ${batch.batch} has no submitted work yet: there is nothing to audit.`,
    };
  const p = samplingPlan({ lotSize: batch.items, level, aql });
  const letter = p.planLetter === p.codeLetter ? p.codeLetter : `${p.codeLetter} → ${p.planLetter}`;
  const sample = p.inspectAll ? `${p.sampleSize} (all)` : String(p.sampleSize);
  return {
    kind: 'plan',
    lotSize: String(p.lotSize),
    codeLetter: letter,
    sampleSize: sample,
    acRe: `${p.ac} / ${p.re}`,
    words: `${p.inspectAll ? `Every one of the ${p.lotSize} items is audited` : `${p.sampleSize} of the ${p.lotSize} items are drawn for audit`}; the lot is accepted with ${acceptWords(p.ac)} and rejected at ${p.re}.`,
  };
};
