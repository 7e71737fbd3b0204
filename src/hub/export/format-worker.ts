/**
 * The format thread's entry (see format-thread.ts): parses the pages the export sends and runs
 * the format's writer over them (writeRecords, the same code as on the exporting thread), and
 * sends the output back in batches, which the export writes in order. Bundled into plain
 * JavaScript before it starts (src/hub/threads/bundle.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ExportContext, ExportOptions, ExportRecord, ExportSink, SinkChunk } from '../../shared/export';
import { encodePieces } from './pieces';
import type { ExportFilter, ExportTaskRow } from '../storage/exporting';
import { FormatStart, type FromFormatThread, ToFormatThread } from './format-messages';
import type { ExportPages } from './reader';
import { writeRecords } from './write-records';

/** An output batch is sent when it holds this many characters or pieces. */
const BATCH_CHARS = 1 << 18;
const BATCH_PIECES = 1024;

const port = parentPort!;
const start = FormatStart.parse(workerData);
const post = (m: FromFormatThread, transfer?: ArrayBuffer[]): void => port.postMessage(m, transfer);

// Pages of the pass in progress, as they arrive; `wake` resumes whoever waits for the next.
let pass = 0;
const inbox: ToFormatThread[] = [];
let wake: (() => void) | undefined;
let written = 0;
let sent = 0;

port.on('message', (raw: unknown) => {
  const m = ToFormatThread.safeParse(raw);
  const msg: ToFormatThread = m.success ? m.data : { type: 'error', pass, message: 'unreadable message' };
  if (msg.type === 'written') written++;
  else inbox.push(msg);
  wake?.();
});

const next = async (): Promise<void> => {
  await new Promise<void>((r) => (wake = r));
  wake = undefined;
};

const pages: ExportPages = (filter: ExportFilter) => ({
  async *[Symbol.asyncIterator]() {
    const mine = ++pass;
    post({ type: 'pass', pass: mine, filter: filter as Record<string, unknown> });
    for (;;) {
      while (inbox.length === 0) await next();
      const m = inbox.shift()!;
      if (m.type === 'written' || m.pass !== mine) continue;
      if (m.type === 'end') return;
      if (m.type === 'error') throw new Error(m.message);
      post({ type: 'more', pass: mine });
      yield m.rows as unknown as ExportTaskRow[];
    }
  },
});

/**
 * Collects the writer's pieces and images into batches, and sends each batch's text as one
 * buffer of UTF-8 bytes, transferred rather than copied (cloning 130 MB of strings cost the
 * thread more than formatting them, and the exporting thread encoded them again to write).
 * Waits when `ahead` batches are unwritten.
 */
class BatchSink implements ExportSink {
  private files: string[] = [];
  private texts: (string | Uint8Array)[] = [];
  private last: boolean[] = [];
  private images: Record<string, unknown>[] = [];
  private imageAt: number[] = [];
  private chars = 0;

  async write(c: SinkChunk): Promise<void> {
    this.files.push(c.file);
    this.texts.push(c.text);
    this.last.push(c.last === true);
    this.chars += c.text.length;
    if (this.chars >= BATCH_CHARS || this.last.length >= BATCH_PIECES) await this.flush();
  }

  /** Only when the export's sink takes images. */
  readonly image = start.images
    ? async (r: ExportRecord): Promise<void> => {
        // What the sink needs of an image record: its data, name and split, not its results.
        this.images.push({ ...r, results: [] });
        this.imageAt.push(this.last.length);
      }
    : undefined;

  async flush(): Promise<void> {
    if (this.last.length === 0 && this.images.length === 0) return;
    const { bytes, ends } = encodePieces(this.texts);
    post(
      {
        type: 'out',
        files: this.files,
        ends,
        last: this.last,
        bytes,
        images: this.images,
        imageAt: this.imageAt,
      },
      [bytes.buffer],
    );
    sent++;
    this.files = [];
    this.texts = [];
    this.last = [];
    this.images = [];
    this.imageAt = [];
    this.chars = 0;
    while (sent - written > start.ahead) await next();
  }
}

const run = async (): Promise<void> => {
  const sink = new BatchSink();
  let reported = -1;
  const summary = await writeRecords({
    pages,
    options: start.options as unknown as ExportOptions,
    ctx: start.ctx as unknown as ExportContext,
    sink,
    total: start.total,
    onProgress: (p) => {
      if (p.records !== reported) post({ type: 'progress', records: (reported = p.records) });
    },
  });
  await sink.flush();
  post({ type: 'done', ...summary });
};

run().catch((e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
