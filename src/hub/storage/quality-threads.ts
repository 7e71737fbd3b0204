import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ThreadPool } from '../threads/pool';
import { threadSource } from '../threads/bundle';
import { PackedRows, type TaskJob, type TaskRow, packJobs, taskRowOf, unpackRows } from './quality-task';

/**
 * Threads for a report's per-task rows (quality-thread.ts is their entry), started per report
 * and closed after it. The report's thread works too: a chunk that finds every thread with two
 * waiting is computed where it was read (so with one thread on two cores both cores compute,
 * and the report's reads and writes take their share of its core). `OUTRIGGER_QUALITY_THREADS=N`
 * (0–8; default the cores − 2, up to 4: none on 2 cores): 0 computes on the report's own thread alone. Null when
 * no thread is to be used, or none can run this code (a bundled build without the TypeScript
 * entry).
 */
const Knob = z.coerce.number().int().min(0).max(8);

export interface QualityThreads {
  run(jobs: TaskJob[]): Promise<TaskRow[]>;
  /** Chunks in flight: two a thread (each has the next queued while it works), one more here. */
  ahead: number;
  close(): Promise<void>;
}

export const qualityThreads = (
  env: Record<string, string | undefined> = process.env,
): QualityThreads | null => {
  const set = env.OUTRIGGER_QUALITY_THREADS;
  const knob = Knob.safeParse(set || undefined);
  if (set && !knob.success)
    throw new Error(`OUTRIGGER_QUALITY_THREADS: ${knob.error.issues[0]?.message ?? 'invalid'}`);
  // Default: two cores are already full with the report's thread, its database and V8's GC
  // threads (on 2 cores, quiet: 1.46 s wall / 1.85 s CPU without a thread, 1.50-1.63 s /
  // 2.5-2.6 s with one), so threads start from four cores up.
  const n = knob.success ? knob.data : Math.max(0, Math.min(4, availableParallelism() - 2));
  if (n === 0) return null;
  const source = threadSource(join(dirname(__filename), 'quality-thread.ts'));
  if (source === null) return null;
  const pool = new ThreadPool(source, n, (raw) => unpackRows(PackedRows.parse(raw)));
  return {
    run: (jobs) => (pool.waiting < 2 * n ? pool.run(packJobs(jobs)) : Promise.resolve(jobs.map(taskRowOf))),
    ahead: 2 * n + 1,
    close: () => pool.close(),
  };
};
