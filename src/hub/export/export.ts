import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import {
  ExportCancelled,
  type ExportContext,
  type ExportOptions,
  type ExportSink,
  type ExportProgress,
  type ExportSummary,
  formatMismatch,
  MANIFEST_FILE,
  manifestText,
  versionUnavailable,
} from '../../shared/export';
import { assetPath } from '../assets/store';
import type { HubStorage } from '../storage/types';
import { FolderSink } from './folder-sink';
import { exportThreads, formatThreadFor } from './knobs';
import { formatThreadSource, writeRecordsInThread } from './format-thread';
import { readerPages, type ExportPages } from './reader';
import { storagePages } from './records';
import { type RecordsRun, writeRecords } from './write-records';
import { SQLITE_FILE } from '../storage/open';

export { computeSplit } from './write-records';

/** Something wrong with what was asked (unknown project, unavailable version, format/kind). */
export class ExportRefusal extends Error {
  constructor(
    readonly code: 'INVALID_INPUT' | 'NOT_FOUND',
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ExportRefusal';
  }
}

export interface ExportRun {
  storage: HubStorage;
  dataDir: string;
  projectId: string;
  options: ExportOptions;
  /** A folder to create, or (images: 'zip') the .zip file to create; never overwritten. */
  out: string;
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
  now: number;
}

export interface ExportResult extends ExportSummary {
  path: string;
}

/** The context of a project export after its checks; throws ExportRefusal naming the problem. */
export const exportContext = async (
  storage: HubStorage,
  projectId: string,
  o: ExportOptions,
  now: number,
): Promise<ExportContext> => {
  const project = await storage.getProject(projectId);
  if (!project) throw new ExportRefusal('NOT_FOUND', `no project ${projectId}`, 'project');
  const unavailable = versionUnavailable(o.version);
  if (unavailable) throw new ExportRefusal('INVALID_INPUT', unavailable, 'version');
  const mismatch = formatMismatch(o.format, project);
  if (mismatch) throw new ExportRefusal('INVALID_INPUT', mismatch, 'format');
  return { project, split: o.split !== undefined, now };
};

/**
 * Where a project's export pages come from: the storage's own connection, or on a SQLite hub
 * with the reader thread on (see knobs.ts), a thread with its own connection (reading
 * overlaps parsing and writing).
 */
export const exportPagesOf = (storage: HubStorage, dataDir: string, projectId: string): ExportPages => {
  const file = join(dataDir, SQLITE_FILE);
  return storage.dialect === 'sqlite' && exportThreads().readerThread && existsSync(file)
    ? readerPages(file, projectId)
    : storagePages(storage, projectId);
};

/**
 * Runs a project's export into a sink (a folder, a streamed zip): the split's pass first when
 * one is asked for, then the writer over the records (write-records.ts); the tasks left out
 * are in `skipped`.
 */
export const runProjectExport = async (
  run: Omit<ExportRun, 'out'>,
  ctx: ExportContext,
  sink: ExportSink,
): Promise<ExportSummary> => {
  const records: RecordsRun = {
    pages: exportPagesOf(run.storage, run.dataDir, run.projectId),
    options: run.options,
    ctx,
    sink,
    signal: run.signal,
    total: await run.storage.taskCount(run.projectId),
    onProgress: run.onProgress,
  };
  // Parsing and formatting on a thread of their own when a core is free (knobs.ts).
  const thread = formatThreadFor(exportThreads(), run.options.format) ? formatThreadSource() : null;
  return thread ? writeRecordsInThread(records, thread) : writeRecords(records);
};

const isEmptyDir = async (p: string): Promise<boolean> =>
  (await stat(p)).isDirectory() && (await readdir(p)).length === 0;

/**
 * Writes a project's export into the (empty, temporary) folder `dir`: the dataset files, the
 * images copied or linked (or, for 'zip', only listed), and `outrigger-export.json` saying what
 * was exported. Throws ExportRefusal before writing anything when the request cannot be met.
 */
export const writeExportFolder = async (
  run: Omit<ExportRun, 'out'>,
  dir: string,
): Promise<{ summary: ExportSummary; sink: FolderSink }> => {
  const o = run.options;
  const ctx = await exportContext(run.storage, run.projectId, o, run.now);
  const sink = new FolderSink(
    dir,
    ctx,
    o.images,
    (sha) => assetPath(run.dataDir, sha),
    exportThreads().fileThreads,
  );
  try {
    const summary = await runProjectExport(run, ctx, sink);
    await sink.write({ file: MANIFEST_FILE, text: manifestText(ctx, o, summary), last: true });
    await sink.settle();
    if (run.signal?.aborted) throw new ExportCancelled();
    return { summary, sink };
  } finally {
    await sink.closeAll();
  }
};

/** A fresh hidden folder beside `target` for an export in progress. */
export const partialDir = async (target: string): Promise<string> => {
  await mkdir(dirname(target), { recursive: true });
  const tmp = join(dirname(target), `.${basename(target)}.partial-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp);
  return tmp;
};

/**
 * Exports a project into a new folder (or a .zip with `images: 'zip'`). Everything is written
 * under a hidden temporary name beside the target and renamed into place at the end, so a
 * failed or cancelled export leaves nothing behind but what was there before.
 */
export const exportProject = async (run: ExportRun): Promise<ExportResult> => {
  const o = run.options;
  await exportContext(run.storage, run.projectId, o, run.now);
  let target = resolve(run.out);
  if (o.images === 'zip' && !target.toLowerCase().endsWith('.zip')) target += '.zip';
  const existing = await stat(target).catch(() => undefined);
  if (existing && !(o.images !== 'zip' && (await isEmptyDir(target))))
    throw new ExportRefusal('INVALID_INPUT', `${target} already exists; choose a new output path`, 'out');
  const tmp = await partialDir(target);
  try {
    const { summary, sink } = await writeExportFolder(run, tmp);
    if (o.images === 'zip') {
      await pipeline(zipStream(tmp, sink.zipImages), createWriteStream(`${tmp}.zip`), { signal: run.signal });
      await rename(`${tmp}.zip`, target);
      await rm(tmp, { recursive: true, force: true });
    } else {
      if (existing) await rmdir(target);
      await rename(tmp, target);
    }
    return { ...summary, path: target };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    await rm(`${tmp}.zip`, { force: true });
    throw e;
  }
};

const walk = async (dir: string): Promise<string[]> => {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
};

/**
 * A zip of a folder and the listed images, as a stream (entries are read from disk as the
 * stream is consumed; nothing is held in memory). Images are stored, not deflated again.
 */
export const zipStream = (dir: string, images: readonly [string, string][]): NodeJS.ReadableStream => {
  const zip = new ZipFile();
  void walk(dir).then(
    (files) => {
      for (const p of files) zip.addFile(p, relative(dir, p).split(sep).join('/'));
      for (const [src, rel] of images) zip.addFile(src, rel, { compress: false });
      zip.end();
    },
    (e: unknown) => zip.outputStream.emit('error', e),
  );
  return zip.outputStream;
};
