import { Worker } from 'node:worker_threads';

/**
 * A pool of worker threads running one job function: a job goes to the thread with the fewest
 * jobs waiting, and `orderedMap` hands the results back in the order the inputs came, with a
 * bounded number in flight — so the calling thread reads the next input and writes the last
 * output while the threads compute. The thread side is `serveJobs` (serve.ts); its code is a
 * plain-JavaScript source (bundle.ts) run with `eval`, so no TypeScript loader starts per thread.
 * A job that throws rejects its own promise; a thread that stops rejects all of its jobs.
 */
export class ThreadPool<I, O> {
  private readonly workers: { worker: Worker; jobs: Set<number> }[] = [];
  private readonly pending = new Map<number, { resolve(v: O): void; reject(e: Error): void }>();
  private nextId = 1;
  private closed = false;

  /** `parse` checks each reply's output (a thread's message is input from outside). */
  constructor(
    source: string,
    threads: number,
    private readonly parse: (raw: unknown) => O,
  ) {
    for (let i = 0; i < Math.max(1, threads); i++) this.workers.push(this.start(source));
  }

  private start(source: string): { worker: Worker; jobs: Set<number> } {
    const worker = new Worker(source, { eval: true });
    const slot = { worker, jobs: new Set<number>() };
    worker.unref();
    worker.on('message', (raw: unknown) => {
      const m = raw as { id?: unknown; output?: unknown; error?: unknown } | null;
      const id = typeof m?.id === 'number' ? m.id : -1;
      const job = this.pending.get(id);
      if (!job) return;
      this.pending.delete(id);
      slot.jobs.delete(id);
      if (m && 'error' in m) job.reject(new Error(`a worker thread's job failed: ${String(m.error)}`));
      else
        try {
          job.resolve(this.parse(m?.output));
        } catch (e) {
          job.reject(e instanceof Error ? e : new Error(String(e)));
        }
    });
    const down = (e: Error): void => {
      for (const id of slot.jobs) {
        this.pending.get(id)?.reject(e);
        this.pending.delete(id);
      }
      slot.jobs.clear();
    };
    worker.on('error', down);
    worker.on('exit', (code) => down(new Error(`a worker thread stopped (exit code ${code})`)));
    return slot;
  }

  /** Jobs sent and not yet answered, on all threads. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Runs one job on the least busy thread. */
  run(input: I): Promise<O> {
    if (this.closed) return Promise.reject(new Error('the thread pool is closed'));
    const slot = this.workers.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
    const id = this.nextId++;
    return new Promise<O>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      slot.jobs.add(id);
      slot.worker.postMessage({ id, input });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }
}

/**
 * `run` over the inputs, results yielded in input order, at most `ahead` jobs in flight (the
 * next input is pulled — e.g. read from the database — while those run). A job's failure is
 * thrown where its result would be yielded.
 */
export async function* orderedMap<I, O>(
  inputs: AsyncIterable<I> | Iterable<I>,
  run: (input: I) => Promise<O>,
  ahead: number,
): AsyncGenerator<O> {
  const inFlight: Promise<O>[] = [];
  const settle = (p: Promise<O>): Promise<O> => {
    // Observed at once, so a job failing while earlier ones are awaited is not "unhandled".
    p.catch(() => undefined);
    return p;
  };
  for await (const input of inputs) {
    inFlight.push(settle(run(input)));
    if (inFlight.length >= Math.max(1, ahead)) yield await inFlight.shift()!;
  }
  while (inFlight.length > 0) yield await inFlight.shift()!;
}
