import {
  type CancelSignal,
  type ExportContext,
  type ExportOptions,
  type ExportProgress,
  type ExportSink,
  type ExportSummary,
  prepareRecords,
  runExport,
  SkipCounter,
  type Split,
  splitOfRecords,
} from '../../shared/export';
import type { ExportPages } from './reader';
import { hubRecords } from './records';

/** The split of every exported task (one pass over the records' labels), or undefined. */
export const computeSplit = (
  pages: ExportPages,
  o: ExportOptions,
): Promise<Map<string, Split> | undefined> =>
  o.split ? splitOfRecords(hubRecords(pages, o), o) : Promise.resolve(undefined);

export interface RecordsRun {
  pages: ExportPages;
  options: ExportOptions;
  ctx: ExportContext;
  sink: ExportSink;
  signal?: CancelSignal;
  /** Tasks to visit, for progress. */
  total?: number;
  onProgress?: (p: ExportProgress) => void;
}

/**
 * A project's records through its format's writer into a sink, on the calling thread: the
 * split's pass first when one is asked for, then the export's; the summary counts the tasks
 * `consensus` left out among the skipped. The format thread (format-worker.ts) runs this same
 * function on its side.
 */
export const writeRecords = async (run: RecordsRun): Promise<ExportSummary> => {
  const o = run.options;
  const splits = await computeSplit(run.pages, o);
  const leftOut = new SkipCounter();
  const summary = await runExport({
    format: o.format,
    records: prepareRecords(hubRecords(run.pages, o, leftOut), o, splits),
    ctx: run.ctx,
    sink: run.sink,
    signal: run.signal,
    total: run.total,
    onProgress: run.onProgress,
  });
  summary.skipped.push(...leftOut.list());
  return summary;
};
