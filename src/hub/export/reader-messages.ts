import { z } from 'zod';

/** What the export's reader thread is started with (workerData). */
export const ReaderStart = z.object({
  file: z.string().min(1),
  /** Pages the reader may have sent ahead of the consumer (bounds memory). */
  ahead: z.number().int().positive(),
  plan: z.object({
    tasksSql: z.string(),
    firstAfter: z.string(),
    tasksTail: z.array(z.unknown()),
    subsSql: z.string(),
    subsTail: z.array(z.unknown()),
    batches: z.array(z.string()).optional(),
  }),
});
export type ReaderStart = z.infer<typeof ReaderStart>;

// Shape only, without copying rows: a page is thousands of them.
const Row = z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null);

/**
 * What the reader sends back: a page's raw task and submission rows (checked for shape here;
 * hubRecords parses each row's JSON with the shared schemas), the end, or an error.
 */
export const ReaderReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('page'), tasks: z.array(Row), subs: z.array(Row) }),
  z.object({ type: z.literal('end') }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type ReaderReply = z.infer<typeof ReaderReply>;
