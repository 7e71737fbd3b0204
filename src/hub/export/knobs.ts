import { availableParallelism, loadavg } from 'node:os';
import { z } from 'zod';
import type { ExportFormat } from '../../shared/export';

/**
 * How a hub export spends threads, from the environment (documented in bench/README.md, so
 * a quiet-machine rerun can compare both ways):
 * - `OUTRIGGER_EXPORT_READER=thread|off` (default off): read a SQLite hub's pages on a thread
 *   of its own. It helps wall time only when a core is free, and costs CPU (every row is
 *   copied between threads) and memory (a second heap, pages in flight): at 100,000 images ×
 *   10 boxes about +0.35 s CPU and +55 MB peak RSS for −1 s wall with a core free; at load 8
 *   COCO took +1.0 s CPU, +16 MB and far longer wall (22.5 s vs 4.0 s), CoNLL +0.9 s, +75 MB.
 * - `OUTRIGGER_EXPORT_FORMAT_THREAD=auto|on|off` (default auto): parse the stored rows and
 *   run the format's writer on a thread of its own (format-thread.ts) while this one reads and
 *   writes. It costs CPU (rows and output copied between threads, a second heap): at 100,000
 *   images × 10 boxes +0.7–1.0 s, +5–70 MB peak RSS, and at load 3.5–4.3 on 2 cores (no core
 *   free) wall was no better (COCO 3.4/4.8 s on vs 4.2/3.7 s off; CoNLL 4.9/4.5 vs 4.0/3.8),
 *   while with a core free it overlaps the reading and writing with the parsing (CoNLL 3.0 s
 *   wall for 4.1 s CPU at load 8 in a lull). Quiet (load 0.8–1.3, 3 rounds each), it won: COCO
 *   2.58 s on vs 3.13 s off, CoNLL 2.52 vs 3.12 s, YOLO 4.3 vs 6.0 s, for +0.3 s CPU. `auto`
 *   uses it when a core looks free: at least two cores and the 1-minute load average below
 *   cores − 0.5 (the export's own process counts in the load once it runs). Since COCO's boxes
 *   are written as bytes and whole files go to the file thread as bytes, `auto` leaves it off
 *   for the formats that write a file per image (YOLO, VOC): there the file thread's kernel work
 *   is most of the export, and a third busy thread on 2 cores slowed it (quiet, 100,000 label
 *   files: 4.2 and 5.5 s with the format thread, 2.8 and 3.9 s without; COCO 2.31 s on, 2.50 s
 *   off).
 * - `OUTRIGGER_EXPORT_FILE_THREADS=N` (0–8, default 1): threads writing many small whole
 *   files (YOLO's labels); 0 writes them from the exporting thread through libuv.
 */
const ExportKnobs = z.object({
  OUTRIGGER_EXPORT_READER: z.enum(['thread', 'off']).default('off'),
  OUTRIGGER_EXPORT_FORMAT_THREAD: z.enum(['auto', 'on', 'off']).default('auto'),
  OUTRIGGER_EXPORT_FILE_THREADS: z.coerce.number().int().min(0).max(8).default(1),
});

export interface ExportThreads {
  readerThread: boolean;
  /** The setting, and what it came to on this machine now. */
  formatThreadMode: 'auto' | 'on' | 'off';
  formatThread: boolean;
  fileThreads: number;
}

/** What `auto` looks at: the cores and the 1-minute load average. */
export interface MachineLoad {
  cores: number;
  load1: number;
}

const machineNow = (): MachineLoad => ({ cores: availableParallelism(), load1: loadavg()[0] ?? 0 });

/** The knobs, or an error naming the variable that is set wrong. */
export const exportThreads = (
  env: Record<string, string | undefined> = process.env,
  machine: () => MachineLoad = machineNow,
): ExportThreads => {
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
    formatThreadMode: r.data.OUTRIGGER_EXPORT_FORMAT_THREAD,
    formatThread: formatThreadNow(r.data.OUTRIGGER_EXPORT_FORMAT_THREAD, machine),
    fileThreads: r.data.OUTRIGGER_EXPORT_FILE_THREADS,
  };
};

/** Formats that write a whole file per image (labels, XML), where `auto` keeps one thread. */
const FILE_PER_IMAGE = new Set<ExportFormat>(['yolo-detect', 'yolo-segment', 'yolo-pose', 'yolo-obb', 'voc']);

/** Whether an export in `format` parses and formats on a thread of its own (see above). */
export const formatThreadFor = (t: ExportThreads, format: ExportFormat): boolean =>
  t.formatThreadMode === 'auto' ? t.formatThread && !FILE_PER_IMAGE.has(format) : t.formatThread;

const formatThreadNow = (mode: 'auto' | 'on' | 'off', machine: () => MachineLoad): boolean => {
  if (mode !== 'auto') return mode === 'on';
  const m = machine();
  return m.cores >= 2 && m.load1 < m.cores - 0.5;
};
