import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { encodePieces } from './pieces';

/**
 * The file thread: plain JavaScript (under tsx a TypeScript entry would load the compiler
 * again) that writes each batch of whole files it is sent — `paths`, and their texts as one
 * transferred buffer of UTF-8 bytes cut at `ends` (see pieces.ts) — with synchronous writes,
 * and answers each batch once it is on disk.
 */
const FILE_THREAD = `
const { parentPort } = require('node:worker_threads');
const { writeFileSync } = require('node:fs');
parentPort.on('message', ({ paths, ends, bytes }) => {
  try {
    for (let i = 0, from = 0; i < paths.length; from = ends[i++])
      writeFileSync(paths[i], bytes.subarray(from, ends[i]));
    parentPort.postMessage({ type: 'done' });
  } catch (e) {
    parentPort.postMessage({ type: 'error', message: String((e && e.message) || e) });
  }
});
`;

const FileThreadReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('done') }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);

/** A batch is sent when it holds this many files or characters, whichever comes first. */
const BATCH_FILES = 512;
const BATCH_CHARS = 1 << 18;
/** Batches sent and not yet written, per thread, before `add` waits (bounds memory). */
const AHEAD = 2;

/**
 * Many small whole files (a YOLO label per image: 100,000 in a big export) written on threads
 * of their own. Creating a file is kernel work (tens of µs on ext4, far more on a busy disk);
 * on the exporting thread each one also cost a file handle and three promises. Here the
 * exporting thread only batches paths and texts, and the threads' kernel work runs beside it
 * when a core is free. `settle()` waits for every batch and throws the first failure.
 */
export class FileThreads {
  private readonly workers: Worker[] = [];
  private next = 0;
  private paths: string[] = [];
  private texts: (string | Uint8Array)[] = [];
  private chars = 0;
  private inFlight = 0;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly threads: number) {}

  private fail(message: string): void {
    this.failure ??= new Error(`writing the export's files: ${message}`);
    this.wake?.();
  }

  private start(): Worker {
    const w = new Worker(FILE_THREAD, { eval: true });
    w.on('message', (raw: unknown) => {
      const m = FileThreadReply.safeParse(raw);
      if (!m.success) this.fail('unreadable message from a file thread');
      else if (m.data.type === 'error') this.fail(m.data.message);
      this.inFlight--;
      this.wake?.();
    });
    w.on('error', (e: unknown) => this.fail(e instanceof Error ? e.message : String(e)));
    w.on('exit', (code) => {
      if (this.workers.includes(w)) this.fail(`a file thread stopped (exit code ${code})`);
    });
    return w;
  }

  private send(): void {
    if (this.paths.length === 0) return;
    if (this.workers.length < this.threads) this.workers.push(this.start());
    const w = this.workers[this.next++ % this.workers.length]!;
    const { bytes, ends } = encodePieces(this.texts);
    w.postMessage({ paths: this.paths, ends, bytes }, [bytes.buffer]);
    this.inFlight++;
    this.paths = [];
    this.texts = [];
    this.chars = 0;
  }

  private async drainTo(limit: number): Promise<void> {
    while (this.inFlight > limit && this.failure === undefined)
      await new Promise<void>((r) => (this.wake = r));
    this.wake = undefined;
    if (this.failure) throw this.failure;
  }

  /** Queues a whole file (its folder must exist); waits when enough batches are in flight. */
  async add(path: string, text: string | Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    this.paths.push(path);
    this.texts.push(text);
    this.chars += text.length;
    if (this.paths.length >= BATCH_FILES || this.chars >= BATCH_CHARS) {
      this.send();
      await this.drainTo(AHEAD * this.threads);
    }
  }

  /** Sends what is queued and waits until every file is written; throws the first failure. */
  async settle(): Promise<void> {
    this.send();
    await this.drainTo(0);
  }

  /** Lets batches in flight land (so none lands after the folder is removed), then stops. */
  async close(): Promise<void> {
    this.paths = [];
    this.texts = [];
    await this.drainTo(0).catch(() => undefined);
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
