import { z } from 'zod';

/**
 * How a hub export spends threads, from the environment (documented in bench/README.md, so
 * a quiet-machine rerun can compare both ways):
 * - `OUTRIGGER_EXPORT_READER=thread|off` (default off): read a SQLite hub's pages on a thread
 *   of its own. It helps wall time only when a core is free, and costs CPU (every row is
 *   copied between threads) and memory (a second heap, pages in flight): at 100,000 images ×
 *   10 boxes about +0.35 s CPU and +55 MB peak RSS for −1 s wall with a core free; at load 8
 *   COCO took +1.0 s CPU, +16 MB and far longer wall (22.5 s vs 4.0 s), CoNLL +0.9 s, +75 MB.
 * - `OUTRIGGER_EXPORT_FORMAT_THREAD=on|off` (default on): parse the stored rows and run the
 *   format's writer on a thread of its own (format-thread.ts) while this one reads and writes.
 * - `OUTRIGGER_EXPORT_FILE_THREADS=N` (0–8, default 1): threads writing many small whole
 *   files (YOLO's labels); 0 writes them from the exporting thread through libuv.
 */
const ExportKnobs = z.object({
  OUTRIGGER_EXPORT_READER: z.enum(['thread', 'off']).default('off'),
  OUTRIGGER_EXPORT_FORMAT_THREAD: z.enum(['on', 'off']).default('on'),
  OUTRIGGER_EXPORT_FILE_THREADS: z.coerce.number().int().min(0).max(8).default(1),
});

export interface ExportThreads {
  readerThread: boolean;
  formatThread: boolean;
  fileThreads: number;
}

/** The knobs, or an error naming the variable that is set wrong. */
export const exportThreads = (env: Record<string, string | undefined> = process.env): ExportThreads => {
  const r = ExportKnobs.safeParse({
    OUTRIGGER_EXPORT_READER: env.OUTRIGGER_EXPORT_READER || undefined,
    OUTRIGGER_EXPORT_FORMAT_THREAD: env.OUTRIGGER_EXPORT_FORMAT_THREAD || undefined,
    OUTRIGGER_EXPORT_FILE_THREADS: env.OUTRIGGER_EXPORT_FILE_THREADS || undefined,
  });
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${String(issue?.path[0])}: ${issue?.message ?? 'invalid'}`);
  }
  return {
    readerThread: r.data.OUTRIGGER_EXPORT_READER === 'thread',
    formatThread: r.data.OUTRIGGER_EXPORT_FORMAT_THREAD === 'on',
    fileThreads: r.data.OUTRIGGER_EXPORT_FILE_THREADS,
  };
};
