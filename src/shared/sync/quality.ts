import { z } from 'zod';
import { AqlSchema, InspectionLevelSchema, LotVerdict } from '../quality';
import { BatchName } from './review';

/**
 * Quality control on the hub (issue 12): lots audited by ISO 2859-1 sampling, agreement of
 * overlapping submissions, gold accuracy, consensus — what a lead reads.
 */

export const LotSeed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);

export const CreateLotRequest = z.object({
  batch: BatchName,
  level: InspectionLevelSchema.default('II'),
  aql: AqlSchema.default(2.5),
  /** The draw's seed; the hub picks one when absent (and records it either way). */
  seed: LotSeed.optional(),
});
export type CreateLotRequest = z.input<typeof CreateLotRequest>;

/** How the sample is drawn, so anyone can redraw it from the lot's members and seed. */
export const LOT_DRAW_ALGORITHM =
  'sha256-rank/1: each member ranked by sha256("<seed>:<taskId>:<authorId>") as hex, ascending; the first n are the sample';
/** What counts as a defect, shown with every lot. */
export const LOT_DEFECT_RULE =
  'a sampled item is a defect when its review rejected it, or fixed it with an annotation that differs from the submitted one';

export const Lot = z.object({
  id: z.string(),
  projectId: z.string(),
  batch: z.string(),
  /** N: the submitted items of the batch when the lot was made. */
  lotSize: z.number().int().positive(),
  level: InspectionLevelSchema,
  aql: AqlSchema,
  codeLetter: z.string(),
  planLetter: z.string(),
  /** n. */
  sampleSize: z.number().int().positive(),
  inspectAll: z.boolean(),
  ac: z.number().int().nonnegative(),
  re: z.number().int().positive(),
  seed: LotSeed,
  algorithm: z.string(),
  defectRule: z.string(),
  /** Sampled items with a verdict. */
  audited: z.number().int().nonnegative(),
  defects: z.number().int().nonnegative(),
  verdict: LotVerdict,
  /** A rejected lot's other items were put up for full review. */
  reworkItems: z.number().int().nonnegative(),
  createdBy: z.string(),
  createdAt: z.number().int(),
  decidedAt: z.number().int().nullable(),
});
export type Lot = z.infer<typeof Lot>;

const Ratio = z.number().min(0).max(1).nullable();

export const LabelAgreement = z.object({
  label: z.string(),
  tp: z.number().int().nonnegative(),
  fp: z.number().int().nonnegative(),
  fn: z.number().int().nonnegative(),
  f1: Ratio,
});

export const PairAgreement = z.object({
  a: z.string(),
  aName: z.string(),
  b: z.string(),
  bName: z.string(),
  /** Tasks both submitted. */
  tasks: z.number().int().nonnegative(),
  /** Mean per-task agreement score (see annotationAgreement). */
  score: Ratio,
});

export const AnnotatorQuality = z.object({
  userId: z.string(),
  name: z.string(),
  /** Against the accepted version (an accepted submission or a reviewer's fix) of tasks that have one. */
  vsAccepted: z.object({ tasks: z.number().int().nonnegative(), score: Ratio }),
  /** Gold tasks submitted, mean score against the answers, and how many scored ≥ the pass mark. */
  gold: z.object({ tasks: z.number().int().nonnegative(), score: Ratio, passed: z.number().int() }),
});

/** A batch a lead can make a lot of: its lot size now, and the lot under audit if any. */
export const LotBatch = z.object({
  batch: z.string(),
  /** N if a lot were made now: the standing submissions of the batch's ordinary (not gold) tasks. */
  items: z.number().int().nonnegative(),
  /** The batch's lot still under audit (a batch has one open lot at a time); null when none. */
  openLotId: z.string().nullable(),
});
export type LotBatch = z.infer<typeof LotBatch>;

export const QualityReport = z.object({
  projectId: z.string(),
  overlap: z.number().int().positive(),
  goldRate: z.number().min(0).max(1),
  goldPassMark: z.number(),
  lots: z.array(Lot),
  /** Every batch of the project, for making lots (an older hub sends none). */
  batches: z.array(LotBatch).default([]),
  agreement: z.object({
    /** Tasks with two or more submissions. */
    tasks: z.number().int().nonnegative(),
    /** Mean over tasks of the mean pairwise score. */
    score: Ratio,
    /** Krippendorff's alpha (nominal) over single-choice class groups; null when undefined. */
    classAlpha: z.number().nullable(),
    perLabel: z.array(LabelAgreement),
    pairs: z.array(PairAgreement),
  }),
  annotators: z.array(AnnotatorQuality),
  consensus: z.object({
    tasks: z.number().int().nonnegative(),
    agreed: z.number().int().nonnegative(),
    needsReview: z.number().int().nonnegative(),
    /** Up to 100 of the tasks a reviewer should look at. */
    reviewTaskIds: z.array(z.string()),
  }),
  generatedAt: z.number().int(),
});
export type QualityReport = z.infer<typeof QualityReport>;
