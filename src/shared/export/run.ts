import { WRITERS } from './formats';
import { mapAsync } from './pipeline';
import type { ExportFormat } from './options';
import { type ExportContext, type ExportRecord, type SinkChunk, type Skipped, SkipCounter } from './record';

/** Where a running export puts its pieces (a folder on disk, a zip): the only I/O. */
export interface ExportSink {
  write(chunk: SinkChunk): Promise<void>;
  /**
   * Called once per image record; a sink has it only when images travel with the dataset (an
   * export without images hands none over: 100,000 records each copied to the format thread's
   * sink and cloned back to be dropped were a tenth of a COCO export).
   */
  readonly image?: (record: ExportRecord) => Promise<void>;
}

/** The part of AbortSignal an export needs (shared code has no DOM or Node types). */
export interface CancelSignal {
  readonly aborted: boolean;
}

export interface ExportProgress {
  records: number;
  /** When the source knows it (the count of tasks to visit), else undefined. */
  total?: number;
}

export interface ExportSummary {
  records: number;
  results: number;
  files: number;
  skipped: Skipped[];
}

export class ExportCancelled extends Error {
  constructor() {
    super('export cancelled');
    this.name = 'ExportCancelled';
  }
}

/**
 * Runs a format's writer over records into a sink: counts what went through, reports progress
 * about every `progressEvery` records, and stops with ExportCancelled as soon as the signal is
 * aborted (the sink's owner then throws its temporary output away).
 */
export const runExport = async (opts: {
  format: ExportFormat;
  records: AsyncIterable<ExportRecord>;
  ctx: ExportContext;
  sink: ExportSink;
  signal?: CancelSignal;
  total?: number;
  onProgress?: (p: ExportProgress) => void;
  progressEvery?: number;
}): Promise<ExportSummary> => {
  const { sink, signal, onProgress } = opts;
  const every = opts.progressEvery ?? 1000;
  const skipped = new SkipCounter();
  let records = 0;
  let results = 0;
  const files = new Set<string>();
  const count = (r: ExportRecord): ExportRecord => {
    if (signal?.aborted) throw new ExportCancelled();
    records++;
    results += r.results.length;
    if (onProgress && records % every === 0) onProgress({ records, total: opts.total });
    return r;
  };
  // A sink that takes images is handed each image record before the writer gets it.
  async function* withImages(): AsyncGenerator<ExportRecord> {
    for await (const r of opts.records) {
      count(r);
      if (sink.image && r.data.kind === 'image') await sink.image(r);
      yield r;
    }
  }
  const counted = sink.image ? withImages() : mapAsync(opts.records, count);
  for await (const chunk of WRITERS[opts.format](counted, opts.ctx, skipped)) {
    if (signal?.aborted) throw new ExportCancelled();
    files.add(chunk.file);
    await sink.write(chunk);
  }
  onProgress?.({ records, total: opts.total });
  return { records, results, files: files.size, skipped: skipped.list() };
};
