import { z } from 'zod';
import type { ProjectKind } from '../model';

export const ExportFormat = z.enum([
  'coco',
  'yolo-detect',
  'yolo-segment',
  'yolo-pose',
  'yolo-obb',
  'voc',
  'label-studio',
  'csv',
  'jsonl',
  'conll',
  'spacy',
  'text-jsonl',
  'preference-pairs',
  'rankings',
]);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** Which task kinds each format can carry. */
export const FORMAT_KINDS: Record<ExportFormat, readonly ProjectKind[]> = {
  coco: ['image'],
  'yolo-detect': ['image'],
  'yolo-segment': ['image'],
  'yolo-pose': ['image'],
  'yolo-obb': ['image'],
  voc: ['image'],
  'label-studio': ['image', 'text'],
  csv: ['image', 'text', 'comparison'],
  jsonl: ['image', 'text', 'comparison'],
  conll: ['text'],
  spacy: ['text'],
  'text-jsonl': ['text'],
  'preference-pairs': ['comparison'],
  rankings: ['comparison'],
};

/**
 * Which version of each task to export. `latest`: the latest submission per task (superseded
 * versions left out; a flagged conflict, if it is the latest, is exported and marked `conflict`).
 * `submitted`: every submission that is not superseded (all annotators of an overlapping
 * project). `reviewed`: the latest submission per task that a reviewer accepted or fixed, a
 * fixed one as the reviewer left it (the usual "only reviewed" set; tasks never reviewed are
 * left out). `accepted`: the latest submission per task a reviewer accepted unchanged.
 * `consensus`: one version per task merged from its standing submissions by the shared
 * consensus rules (src/shared/quality/consensus.ts, default options); a task whose consensus
 * needs a reviewer (too few submissions, ties, low agreement) is left out and counted in the
 * export's summary. Asking a source for a version it does not keep is an error, never a silent
 * fallback.
 */
export const ExportVersion = z.enum(['latest', 'submitted', 'accepted', 'reviewed', 'consensus']);
export type ExportVersion = z.infer<typeof ExportVersion>;
/** What the hub keeps: submissions and (hub migration 8) review items and verdicts. */
export const HUB_VERSIONS: readonly ExportVersion[] = [
  'latest',
  'submitted',
  'accepted',
  'reviewed',
  'consensus',
];
/** What a workbench's own queue keeps: the person's submissions, no review states. */
export const LOCAL_VERSIONS: readonly ExportVersion[] = ['latest', 'submitted'];

export const versionUnavailable = (
  v: ExportVersion,
  available: readonly ExportVersion[] = HUB_VERSIONS,
): string | undefined =>
  available.includes(v)
    ? undefined
    : `version "${v}" is not available here: it needs the hub's ${v === 'consensus' ? 'submissions of every annotator' : 'review states'}, which this workspace does not keep (use ${available.map((a) => `"${a}"`).join(' or ')})`;

export const ImagesMode = z.enum(['none', 'copy', 'link', 'zip']);
export type ImagesMode = z.infer<typeof ImagesMode>;

const ratio = z.number().min(0).max(1);

/** What to export: one zod schema for the CLI, the hub route and the workbench screen. */
export const ExportOptions = z
  .object({
    format: ExportFormat,
    version: ExportVersion.default('latest'),
    /** Task batches (hub); absent or empty: every batch. */
    batches: z.array(z.string().min(1).max(200)).max(1000).optional(),
    /** Annotator names; absent or empty: everyone. */
    annotators: z.array(z.string().min(1).max(200)).max(1000).optional(),
    /** Submissions received at or after / before these times (ms since the epoch). */
    from: z.number().int().nonnegative().optional(),
    to: z.number().int().nonnegative().optional(),
    /** Only results with these labels (region/span labels and chosen classes); tasks stay. */
    labels: z.array(z.string().min(1).max(200)).max(10_000).optional(),
    /** train/val/test shares summing to 1; absent: no split. */
    split: z
      .tuple([ratio, ratio, ratio])
      .refine((r) => Math.abs(r[0] + r[1] + r[2] - 1) < 1e-6, { message: 'split shares must sum to 1' })
      .optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    images: ImagesMode.default('none'),
  })
  .refine((o) => o.from === undefined || o.to === undefined || o.from <= o.to, {
    message: '"from" must not be after "to"',
    path: ['to'],
  });
export type ExportOptions = z.infer<typeof ExportOptions>;
export type ExportOptionsInput = z.input<typeof ExportOptions>;

const PreviewCounts = z.object({
  records: z.number().int(),
  labels: z.record(z.string(), z.number().int()),
});

/** Counts per split and per label of what an export with some options would write (see addToPreview). */
export const ExportPreviewCounts = z.object({
  records: z.number().int(),
  results: z.number().int(),
  perSplit: z.object({ all: PreviewCounts, train: PreviewCounts, val: PreviewCounts, test: PreviewCounts }),
});
