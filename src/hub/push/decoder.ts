import { availableParallelism } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MutationHead } from '../storage/types';
import { decodeEnvelope, encodeAnnotations, PushDecodeError } from './decode';
import { WorkerReply } from './messages';

/**
 * A decoded push: its heads at once, its annotation texts to follow (already failed-safe: a
 * rejection is observed, so nobody awaiting late gets an unhandled rejection).
 */
export interface DecodedPush {
  clientId: string;
  heads: MutationHead[];
  annotations: Promise<readonly (string | undefined)[]>;
}

export interface PushDecoder {
  /** Rejects with PushDecodeError on bad input (before any head is returned). */
  decode(body: Uint8Array): Promise<DecodedPush>;
  close(): Promise<void>;
}

const settled = <T>(p: Promise<T>): Promise<T> => {
  p.catch(() => undefined);
  return p;
};

/** One thread beside the main one on a small machine, up to four on a big one. */
export const defaultDecodeThreads = (): number => Math.min(4, Math.max(1, availableParallelism() - 1));

/** Decodes on the calling thread (tests, the workbench's embedded demo hub). */
export const inlinePushDecoder = (): PushDecoder => ({
  async decode(body) {
    const { clientId, heads, annotations, source } = decodeEnvelope(body);
    return {
      clientId,
      heads,
      annotations: settled(Promise.resolve().then(() => encodeAnnotations(annotations, source))),
    };
  },
  async close() {},
});

interface Job {
  head: { resolve(v: DecodedPush): void; reject(e: Error): void };
  texts: { resolve(v: (string | undefined)[]): void; reject(e: Error): void };
}

/**
 * Decodes in worker threads, so parsing and checking a 1,000-submission body (about 80 ms of
 * CPU) runs on another core while the main thread applies the previous part of the batch: the
 * heads come back first, storage reads and updates with them, and the annotation texts arrive
 * for the inserts. A worker does one body at a time, whole, so a transaction waiting for its
 * texts never waits behind another request's body. A worker that dies fails its jobs and is
 * replaced.
 */
export const workerPushDecoder = (threads: number): PushDecoder => {
  const jobs = new Map<number, Job>();
  const owner = new Map<number, number>();
  let nextId = 1;
  let closed = false;
  const pool: { worker: Worker; busy: number }[] = [];

  const fail = (slot: number, e: Error): void => {
    for (const [id, w] of owner) {
      if (w !== slot) continue;
      const job = jobs.get(id);
      job?.head.reject(e);
      job?.texts.reject(e);
      jobs.delete(id);
      owner.delete(id);
    }
  };

  const spawn = (slot: number): void => {
    const worker = startWorker();
    pool[slot] = { worker, busy: 0 };
    worker.unref();
    worker.on('message', (raw: unknown) => {
      const parsed = WorkerReply.safeParse(raw);
      if (!parsed.success) {
        // A thread that says something malformed is not trusted with more work.
        void worker.terminate();
        return;
      }
      const msg = parsed.data;
      const job = jobs.get(msg.id);
      if (!job) return;
      if (msg.type === 'head') {
        job.head.resolve({
          clientId: msg.clientId,
          heads: msg.heads,
          annotations: settled(
            new Promise((resolve, reject) => ((job.texts.resolve = resolve), (job.texts.reject = reject))),
          ),
        });
        return;
      }
      jobs.delete(msg.id);
      owner.delete(msg.id);
      const entry = pool[slot];
      if (entry) entry.busy--;
      if (msg.type === 'texts') job.texts.resolve(msg.texts);
      else {
        const e = new PushDecodeError(msg.field, msg.message);
        job.head.reject(e);
        job.texts.reject(e);
      }
    });
    const down = (e: Error): void => {
      fail(slot, e);
      if (!closed) spawn(slot);
    };
    worker.on('error', down);
    worker.on('exit', (code) => {
      if (pool[slot]?.worker === worker) down(new Error(`push decoder thread exited (${code})`));
    });
  };
  for (let i = 0; i < Math.max(1, threads); i++) spawn(i);

  return {
    decode(body) {
      if (closed) return Promise.reject(new Error('push decoder closed'));
      const slot = pool.reduce((best, w, i) => (w.busy < (pool[best]?.busy ?? Infinity) ? i : best), 0);
      const entry = pool[slot]!;
      const id = nextId++;
      return new Promise<DecodedPush>((resolve, reject) => {
        // The texts' settle functions are replaced once the head arrives; until then, a failure
        // is reported through the head.
        jobs.set(id, {
          head: { resolve, reject },
          texts: { resolve: () => undefined, reject: () => undefined },
        });
        owner.set(id, slot);
        entry.busy++;
        entry.worker.postMessage({ id, body });
      });
    },
    async close() {
      closed = true;
      await Promise.all(pool.map(({ worker }) => worker.terminate()));
    },
  };
};

/**
 * The worker entry, beside this module. Everything that loads the hub compiles it to CommonJS
 * (tsx, the test runners, the electron-vite bundle), so `__filename` is this file; `import.meta`
 * would make Playwright's loader treat the module as ESM. Under tsx the .ts entry is loaded
 * through tsx's own import API, which a worker does not inherit from its parent's flags.
 */
const startWorker = (): Worker => {
  const entry = join(dirname(__filename), `worker${extname(__filename) === '.ts' ? '.ts' : '.js'}`);
  if (extname(entry) !== '.ts') return new Worker(entry);
  const href = JSON.stringify(pathToFileURL(entry).href);
  return new Worker(`import('tsx/esm/api').then(({ tsImport }) => tsImport(${href}, ${href}))`, {
    eval: true,
  });
};
