import { parentPort } from 'node:worker_threads';

/**
 * The thread side of a ThreadPool (pool.ts): answers each `{ id, input }` with
 * `{ id, output }`, or `{ id, error }` when `job` throws (the thread stays up for the next).
 */
export const serveJobs = (job: (input: unknown) => unknown): void => {
  const port = parentPort;
  if (!port) throw new Error('serveJobs runs in a worker thread');
  port.on('message', (m: { id: number; input: unknown }) => {
    try {
      port.postMessage({ id: m.id, output: job(m.input) });
    } catch (e) {
      port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
    }
  });
};
