import { z } from 'zod';

/**
 * The messages between an export and its format thread (format-thread.ts, format-worker.ts).
 * Rows, records and chunks are checked for shape only: a page is thousands of rows, and both
 * sides are this hub's own code (hubRecords parses each row's JSON with the shared schemas).
 */
const Obj = z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null);

/** What the thread is started with (workerData): what to export, and how far ahead it may write. */
export const FormatStart = z.object({
  options: Obj,
  ctx: Obj,
  total: z.number().int().nonnegative().optional(),
  /** Output batches the thread may have sent before the export acknowledged them. */
  ahead: z.number().int().positive(),
  /** Whether the export's sink takes images (else the thread sends none back). */
  images: z.boolean(),
});
export type FormatStart = z.infer<typeof FormatStart>;

/** Export → thread: a page of a pass over the project's rows, its end, or a reading failure. */
export const ToFormatThread = z.discriminatedUnion('type', [
  z.object({ type: z.literal('page'), pass: z.number().int(), rows: z.array(Obj) }),
  z.object({ type: z.literal('end'), pass: z.number().int() }),
  z.object({ type: z.literal('error'), pass: z.number().int(), message: z.string() }),
  /** An output batch is written: the thread may send another. */
  z.object({ type: z.literal('written') }),
]);
export type ToFormatThread = z.infer<typeof ToFormatThread>;

/**
 * An output batch: piece k is `bytes[ends[k-1] .. ends[k])` (UTF-8) of `files[k]`, with its
 * `last` flag; the bytes travel as one transferred buffer, not copied. `images[j]` goes
 * before piece `imageAt[j]`.
 */
const OutBatch = z
  .object({
    type: z.literal('out'),
    files: z.array(z.string()),
    ends: z.array(z.number().int().nonnegative()),
    last: z.array(z.boolean()),
    bytes: z.instanceof(Uint8Array),
    images: z.array(Obj),
    imageAt: z.array(z.number().int()),
  })
  .refine(
    (m) =>
      m.ends.length === m.files.length &&
      m.last.length === m.files.length &&
      m.ends.every((e, k) => e >= (k ? m.ends[k - 1]! : 0)) &&
      (m.ends.at(-1) ?? 0) <= m.bytes.length,
    { message: 'an output batch whose pieces do not match its bytes' },
  );

/**
 * Thread → export: start a pass over the rows with a filter (the split's pass, then the
 * export's), a page consumed (the reader may send another), a batch of output (OutBatch),
 * progress, the summary, or a failure.
 */
export const FromFormatThread = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pass'), pass: z.number().int(), filter: Obj }),
  z.object({ type: z.literal('more'), pass: z.number().int() }),
  OutBatch,
  z.object({ type: z.literal('progress'), records: z.number().int() }),
  z.object({
    type: z.literal('done'),
    records: z.number().int(),
    results: z.number().int(),
    files: z.number().int(),
    skipped: z.array(z.object({ reason: z.string(), count: z.number().int() })),
  }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type FromFormatThread = z.infer<typeof FromFormatThread>;
