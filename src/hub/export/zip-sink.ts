import { closeSync, createReadStream, mkdirSync, openSync, writeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { ExportContext, ExportRecord, ExportSink, ImagesMode, SinkChunk } from '../../shared/export';
import { imagePath } from '../../shared/export';

/** Entries handed to the zip but not yet read by it: bounds memory and open files when the reader is slow. */
const ENTRIES_IN_FLIGHT = 16;

interface Entry {
  name: string;
  /** Images are stored: they are compressed already. */
  compress: boolean;
  open: () => Readable;
}

/**
 * Writes an export's pieces straight into a zip that is read as it grows (the hub's streamed
 * export route). A zip holds one entry's bytes after another, so at most one file can be
 * streamed at a time:
 * - the first long file (pieces, `last` at the end) is streamed into the zip as the writer
 *   produces it (the "live" entry), unless whole files came before it;
 * - a long file begun while another is live (COCO's or CoNLL's per-split files) or after whole
 *   files (VOC's image lists, after its XML files) is staged in a temporary file under
 *   `stageDir` and added whole when its last piece is written;
 * - whole files (YOLO's labels, VOC's XML, data.yaml) and images go straight in when nothing is
 *   live, else wait (whole files staged on disk, images as their store path) until it ends.
 * Everything goes through the zip's own backpressure: a slow reader stops the writer (the live
 * entry's buffer fills, or ENTRIES_IN_FLIGHT entries wait), so memory stays bounded.
 * `destroy()` stops every wait and cuts the output; `stageDir` is removed once the output closes
 * (read to its end, or cut).
 */
export class ZipSink implements ExportSink {
  private readonly zip = new ZipFile();
  private live: { file: string; stream: PassThrough } | undefined;
  private readonly staged = new Map<string, { path: string; fd: number }>();
  private readonly waiting: Entry[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly sources = new Set<Readable>();
  private readonly seenImages = new Set<string>();
  private stagedFiles = 0;
  private wholeFiles = false;
  private stageReady = false;
  private failure: Error | undefined;
  private readonly broken: Promise<never>;
  private breakWith: (e: Error) => void = () => undefined;

  constructor(
    private readonly stageDir: string,
    private readonly ctx: ExportContext,
    private readonly images: ImagesMode,
    private readonly assetFile: (sha256: string) => string,
  ) {
    this.broken = new Promise<never>((_, reject) => {
      this.breakWith = reject;
    });
    this.broken.catch(() => undefined);
    this.zip.on('error', (e: Error) => this.destroy(e));
    if (images === 'zip') this.image = (r) => this.takeImage(r);
    this.removed = new Promise((resolve) =>
      this.output.once('close', () => {
        // Closed before its end was read: the reader went away (or the export failed).
        if (!this.output.readableEnded)
          this.destroy(new Error('the zip was closed before it was read to its end'));
        void rm(this.stageDir, { recursive: true, force: true }).then(resolve, resolve);
      }),
    );
  }

  /** Resolves once the zip's output has closed and the staged files are removed. */
  readonly removed: Promise<void>;

  /** The zip's bytes, as they are produced. */
  get output(): Readable {
    return this.zip.outputStream as Readable;
  }

  /** Waits for `p`, or throws as soon as the sink is destroyed. */
  private until<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.broken]);
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  async write(c: SinkChunk): Promise<void> {
    this.check();
    const text = typeof c.text === 'string' ? Buffer.from(c.text, 'utf8') : c.text;
    if (this.live?.file === c.file) {
      if (!this.live.stream.write(text))
        await this.until(new Promise((r) => this.live!.stream.once('drain', r)));
      if (c.last) await this.endLive();
      return;
    }
    const staged = this.staged.get(c.file);
    if (staged) {
      writeSync(staged.fd, text);
      if (c.last) {
        closeSync(staged.fd);
        this.staged.delete(c.file);
        await this.add(this.stagedEntry(c.file, staged.path));
      }
      return;
    }
    if (c.last) {
      // A whole file: into the zip now, or onto disk until the live entry ends.
      this.wholeFiles = true;
      if (this.live) {
        const path = this.stagePath();
        const fd = openSync(path, 'w', 0o600);
        try {
          writeSync(fd, text);
        } finally {
          closeSync(fd);
        }
        this.waiting.push(this.stagedEntry(c.file, path));
      } else await this.add({ name: c.file, compress: true, open: () => Readable.from([text]) });
      return;
    }
    // A long file beside many whole ones (VOC's image lists beside its XML files) is staged, so
    // the whole files need not wait for it.
    if (!this.live && !this.wholeFiles) {
      const stream = new PassThrough();
      await this.add({ name: c.file, compress: true, open: () => stream });
      this.live = { file: c.file, stream };
      stream.write(text);
      return;
    }
    const path = this.stagePath();
    const fd = openSync(path, 'w', 0o600);
    this.staged.set(c.file, { path, fd });
    writeSync(fd, text);
  }

  readonly image?: (r: ExportRecord) => Promise<void>;

  private async takeImage(r: ExportRecord): Promise<void> {
    this.check();
    if (r.data.kind !== 'image') return;
    const name = imagePath(r, this.ctx);
    if (this.seenImages.has(name)) return;
    this.seenImages.add(name);
    const src = this.assetFile(r.data.image.sha256);
    await this.add({ name, compress: false, open: () => createReadStream(src) });
  }

  /** Ends the zip with `lastFile` (the manifest) after everything else; the output then ends. */
  async finish(lastFile: { file: string; text: string }): Promise<void> {
    this.check();
    if (this.live || this.staged.size)
      throw new Error(`export file ${this.live?.file ?? [...this.staged.keys()][0]} was never finished`);
    await this.flushWaiting();
    await this.add({
      name: lastFile.file,
      compress: true,
      open: () => Readable.from([Buffer.from(lastFile.text)]),
    });
    this.zip.end();
  }

  /** Stops the zip: its output errors (the response is cut), every wait throws, files are closed. */
  destroy(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    this.breakWith(e);
    for (const s of this.sources) s.destroy();
    this.live?.stream.destroy();
    for (const { fd } of this.staged.values()) closeSync(fd);
    this.staged.clear();
    this.output.destroy(e);
  }

  private stagePath(): string {
    if (!this.stageReady) {
      mkdirSync(this.stageDir, { recursive: true, mode: 0o700 });
      this.stageReady = true;
    }
    return join(this.stageDir, `${++this.stagedFiles}`);
  }

  private stagedEntry(name: string, path: string): Entry {
    return { name, compress: true, open: () => createReadStream(path) };
  }

  private async endLive(): Promise<void> {
    const live = this.live!;
    this.live = undefined;
    live.stream.end();
    await this.flushWaiting();
  }

  private async flushWaiting(): Promise<void> {
    while (this.waiting.length && !this.live) await this.add(this.waiting.shift()!);
  }

  /** Hands an entry to the zip (or queues it behind the live entry), at most ENTRIES_IN_FLIGHT unread. */
  private async add(e: Entry): Promise<void> {
    if (this.live) {
      this.waiting.push(e);
      return;
    }
    while (this.inFlight.size >= ENTRIES_IN_FLIGHT) await this.until(Promise.race(this.inFlight));
    this.check();
    let read!: () => void;
    const done = new Promise<void>((r) => (read = r));
    this.inFlight.add(done);
    void done.then(() => this.inFlight.delete(done));
    this.zip.addReadStreamLazy(e.name, { compress: e.compress }, (cb) => {
      const s = e.open();
      this.sources.add(s);
      // yazl listens for errors only on the streams it opens itself: a missing image must fail the export, not the process.
      s.once('error', (err: Error) => this.destroy(err));
      s.once('close', () => {
        this.sources.delete(s);
        read();
      });
      s.once('end', read);
      cb(null, s);
    });
  }
}
