import type { Readable } from 'node:stream';
import { ExportCancelled, type ExportSummary, MANIFEST_FILE, manifestText } from '../../shared/export';
import { assetPath } from '../assets/store';
import { exportContext, type ExportRun, runProjectExport } from './export';
import { ZipSink } from './zip-sink';

export interface StreamedExport {
  /** The zip's bytes as the export writes them; cut (destroyed with the error) if it fails. */
  output: Readable;
  /** The run's summary once the last entry (the manifest) is in the zip; rejects if it failed. */
  summary: Promise<ExportSummary>;
  /** Resolves once the output has closed and the staged files are gone. */
  removed: Promise<void>;
}

/**
 * A project's export as one zip streamed while it is written (the hub's export route): the
 * checks first (ExportRefusal before any byte), then the zip's first entry within the first
 * page of records. With a split, the split is computed first (a pass over the labels only),
 * so the first byte waits for that pass. What must wait for a file to finish is staged in
 * `stageDir` (see ZipSink); `outrigger-export.json` comes last and carries the counts.
 * Aborting `run.signal` stops the export and cuts the output.
 */
export const streamExport = async (
  run: Omit<ExportRun, 'out'>,
  stageDir: string,
): Promise<StreamedExport> => {
  const o = run.options;
  const ctx = await exportContext(run.storage, run.projectId, o, run.now);
  const sink = new ZipSink(stageDir, ctx, o.images, (sha) => assetPath(run.dataDir, sha));
  const summary = (async (): Promise<ExportSummary> => {
    try {
      const s = await runProjectExport(run, ctx, sink);
      if (run.signal?.aborted) throw new ExportCancelled();
      await sink.finish({ file: MANIFEST_FILE, text: manifestText(ctx, o, s) });
      return s;
    } catch (e) {
      sink.destroy(e instanceof Error ? e : new Error(String(e)));
      throw e;
    }
  })();
  return { output: sink.output, summary, removed: sink.removed };
};
