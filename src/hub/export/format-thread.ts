import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ExportCancelled, type ExportRecord, type ExportSummary } from '../../shared/export';
import type { ExportFilter } from '../storage/exporting';
import { threadSource } from '../threads/bundle';
import { FromFormatThread, type FormatStart, type ToFormatThread } from './format-messages';
import { pieceAt } from './pieces';
import type { RecordsRun } from './write-records';

/** Pages sent to the thread and not yet taken, per pass (bounds memory: a page is 250 tasks). */
const PAGES_AHEAD = 4;
/** Output batches (256 Ki characters each) the thread may send before they are written. */
const OUT_AHEAD = 16;

/** The format thread's code, or null when the hub runs from a bundle (see threads/bundle.ts). */
export const formatThreadSource = (): string | null => threadSource(join(__dirname, 'format-worker.ts'));

/**
 * writeRecords (write-records.ts) with the parsing and formatting on a thread of its own
 * (format-worker.ts): this thread reads the pages (from the storage or the reader thread) and
 * sends them over, and writes the output batches the thread sends back, in order. Parsing a
 * million stored results and formatting them is most of an export's CPU; here it runs beside
 * the reading and writing when a core is free. Same records, same writer, same bytes.
 */
export const writeRecordsInThread = (run: RecordsRun, source: string): Promise<ExportSummary> =>
  new Promise<ExportSummary>((resolve, reject) => {
    const start: FormatStart = {
      options: run.options as unknown as Record<string, unknown>,
      ctx: run.ctx as unknown as Record<string, unknown>,
      total: run.total,
      ahead: OUT_AHEAD,
      images: run.sink.image !== undefined,
    };
    const worker = new Worker(source, { eval: true, workerData: start });
    let finished = false;
    // Output batches are written one after another, in the order they came.
    let writing = Promise.resolve();
    // Per pass: pages the thread may still be sent before it takes one, and who waits for that.
    const credit = new Map<number, number>();
    const waiting = new Map<number, () => void>();

    const finish = (e: unknown, summary?: ExportSummary): void => {
      if (finished) return;
      finished = true;
      for (const w of waiting.values()) w();
      void worker.terminate();
      if (summary && e === undefined) resolve(summary);
      else reject(e instanceof Error ? e : new Error(String(e)));
    };
    const send = (m: ToFormatThread): void => {
      if (!finished) worker.postMessage(m);
    };
    const cancelled = (): boolean => {
      if (run.signal?.aborted) finish(new ExportCancelled());
      return finished;
    };

    const pump = async (pass: number, filter: ExportFilter): Promise<void> => {
      credit.set(pass, PAGES_AHEAD);
      try {
        for await (const rows of run.pages(filter)) {
          if (cancelled()) return;
          while ((credit.get(pass) ?? 0) <= 0 && !finished)
            await new Promise<void>((r) => waiting.set(pass, r));
          if (finished) return;
          credit.set(pass, (credit.get(pass) ?? 0) - 1);
          send({ type: 'page', pass, rows: rows as unknown as Record<string, unknown>[] });
        }
        send({ type: 'end', pass });
      } catch (e) {
        send({ type: 'error', pass, message: e instanceof Error ? e.message : String(e) });
      }
    };

    const write = async (m: Extract<FromFormatThread, { type: 'out' }>): Promise<void> => {
      let image = 0;
      for (let k = 0; k < m.last.length; k++) {
        if (cancelled()) return;
        while (image < m.images.length && m.imageAt[image] === k)
          await run.sink.image?.(m.images[image++] as unknown as ExportRecord);
        const c = { file: m.files[k]!, text: pieceAt(m, k) };
        await run.sink.write(m.last[k] ? { ...c, last: true } : c);
      }
      while (image < m.images.length) await run.sink.image?.(m.images[image++] as unknown as ExportRecord);
      send({ type: 'written' });
    };

    worker.on('message', (raw: unknown) => {
      if (cancelled()) return;
      const r = FromFormatThread.safeParse(raw);
      if (!r.success) return finish(new Error('unreadable message from the export format thread'));
      const m = r.data;
      if (m.type === 'pass') void pump(m.pass, m.filter as ExportFilter);
      else if (m.type === 'more') {
        credit.set(m.pass, (credit.get(m.pass) ?? 0) + 1);
        waiting.get(m.pass)?.();
        waiting.delete(m.pass);
      } else if (m.type === 'out') writing = writing.then(() => (finished ? undefined : write(m)));
      else if (m.type === 'progress') run.onProgress?.({ records: m.records, total: run.total });
      else if (m.type === 'error') finish(new Error(m.message));
      else {
        const { type: _, ...summary } = m;
        writing.then(() => finish(undefined, summary), finish);
      }
      writing = writing.catch((e: unknown) => finish(e));
    });
    worker.on('error', (e: unknown) => finish(e));
    worker.on('exit', (code) => finish(new Error(`the export format thread stopped (exit code ${code})`)));
  });
