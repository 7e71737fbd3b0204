import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  AppError,
  type ExportJob,
  type ExportPreviewResult,
  type ExportSources,
} from '../../../shared/contract';
import {
  ExportCancelled,
  FORMAT_KINDS,
  LOCAL_VERSIONS,
  addToPreview,
  emptyPreview,
  formatMismatch,
  prepareRecords,
  runExport,
  splitOfRecords,
  versionUnavailable,
  type ExportContext,
  type ExportFormat,
  type ExportOptions,
} from '../../../shared/export';
import type { Clock } from '../../../shared/clock';
import type { Project } from '../../../shared/model';
import type { Db } from '../db/open';
import { localRecordCount, localRecords, submittedSummary } from './local-records';
import { WorkspaceSink } from './sink';

export interface ExportServiceDeps {
  /** The workspace's database (one per workspace; the service holds no other state of it). */
  db: Db;
  projects(): Promise<Project[]>;
  /** Where exports go unless the request names another folder. */
  defaultDir: string;
  assetPath(sha256: string): string | null;
  /** Whose work this workspace holds: the hub user's name, else "local". */
  annotator(): string;
  emit(job: ExportJob): void;
  clock: Clock;
  /** The shell's "show in folder" (Electron); absent in web mode, where the path is shown. */
  reveal?: (fullPath: string) => Promise<void>;
}

interface Running {
  job: ExportJob;
  ctl: AbortController;
  done: Promise<ExportJob>;
}

const labelNames = (p: Project): string[] => {
  const c = p.labelConfig;
  const names = [...c.labels.map((l) => l.name)];
  for (const g of c.classes) for (const ch of g.options) names.push(ch.name);
  return [...new Set(names)];
};

const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\..*/, '');

/**
 * Dataset exports of the workspace's own work (for leads and for local-only work): what can be
 * exported, a preview of the counts, and exports run in the background with progress events and
 * cancel. Each export is written under a hidden temporary name beside its target and renamed at
 * the end, so a failed or cancelled export leaves nothing behind.
 */
export class ExportService {
  private readonly jobs = new Map<string, Running>();

  constructor(private readonly d: ExportServiceDeps) {}

  async sources(): Promise<ExportSources> {
    const summary = submittedSummary(this.d.db);
    const projects = (await this.d.projects()).map((p) => {
      const s = summary.get(p.id);
      return {
        id: p.id,
        name: p.name,
        kind: p.kind,
        submitted: s?.submitted ?? 0,
        labels: labelNames(p),
        formats: (Object.keys(FORMAT_KINDS) as ExportFormat[]).filter((f) =>
          FORMAT_KINDS[f].includes(p.kind),
        ),
        firstAt: s?.firstAt ?? null,
        lastAt: s?.lastAt ?? null,
      };
    });
    return { projects, versions: [...LOCAL_VERSIONS], defaultDir: this.d.defaultDir };
  }

  private async context(projectId: string, o: ExportOptions): Promise<ExportContext> {
    const project = (await this.d.projects()).find((p) => p.id === projectId);
    if (!project) throw new AppError('NOT_FOUND', `no project ${projectId} in this workspace`, 'projectId');
    const unavailable = versionUnavailable(o.version, LOCAL_VERSIONS);
    if (unavailable) throw new AppError('INVALID_INPUT', unavailable, 'options.version');
    const mismatch = formatMismatch(o.format, project);
    if (mismatch) throw new AppError('INVALID_INPUT', mismatch, 'options.format');
    if (o.batches?.length)
      throw new AppError(
        'INVALID_INPUT',
        'batches are kept on the hub, not in this workspace: export from the hub to pick batches',
        'options.batches',
      );
    return { project, split: o.split !== undefined, now: this.d.clock() };
  }

  private records(projectId: string, o: ExportOptions) {
    return localRecords(this.d.db, projectId, o, this.d.annotator());
  }

  /** Counts per split and per label of what `start` would write with the same request. */
  async preview(req: { projectId: string; options: ExportOptions }): Promise<ExportPreviewResult> {
    const o = req.options;
    await this.context(req.projectId, o);
    const splits = await splitOfRecords(this.records(req.projectId, o), o);
    const p = emptyPreview();
    for await (const r of prepareRecords(this.records(req.projectId, o), o, splits)) addToPreview(p, r);
    return p;
  }

  async start(req: {
    projectId: string;
    options: ExportOptions;
    outDir?: string | undefined;
  }): Promise<ExportJob> {
    const o = req.options;
    const ctx = await this.context(req.projectId, o);
    const dir = path.resolve(req.outDir ?? this.d.defaultDir);
    const name = `${req.projectId.replace(/[^\p{L}\p{N}._-]+/gu, '_')}-${o.format}-${stamp(ctx.now)}`;
    const target = path.join(dir, o.images === 'zip' ? `${name}.zip` : name);
    if (await stat(target).catch(() => undefined))
      throw new AppError('CONFLICT', `${target} already exists; try again in a second`, 'outDir');
    await mkdir(dir, { recursive: true });
    // The temporary folder is made at once, so a target chosen by two starts in one second clashes here.
    const tmp = path.join(dir, `.${name}.partial-${randomBytes(4).toString('hex')}`);
    const total = localRecordCount(this.d.db, req.projectId, o, this.d.annotator());
    const job: ExportJob = {
      exportId: randomUUID(),
      state: 'running',
      records: 0,
      total,
      path: null,
      message: null,
      skipped: [],
    };
    const ctl = new AbortController();
    const running: Running = { job, ctl, done: Promise.resolve(job) };
    this.jobs.set(job.exportId, running);
    running.done = this.run(running, ctx, o, tmp, target);
    this.d.emit({ ...job });
    return { ...job };
  }

  private async run(
    running: Running,
    ctx: ExportContext,
    o: ExportOptions,
    tmp: string,
    target: string,
  ): Promise<ExportJob> {
    const { job, ctl } = running;
    const projectId = ctx.project.id;
    const zip = o.images === 'zip';
    const folder = zip ? path.join(tmp, 'dataset') : tmp;
    const sink = new WorkspaceSink(folder, ctx, o.images, (sha) => this.d.assetPath(sha));
    try {
      await mkdir(folder, { recursive: true, mode: 0o700 });
      const splits = await splitOfRecords(this.records(projectId, o), o);
      if (ctl.signal.aborted) throw new ExportCancelled();
      const summary = await runExport({
        format: o.format,
        records: prepareRecords(this.records(projectId, o), o, splits),
        ctx,
        sink,
        signal: ctl.signal,
        total: job.total ?? undefined,
        progressEvery: 200,
        onProgress: (p) => {
          job.records = p.records;
          this.d.emit({ ...job });
        },
      });
      await sink.write({
        file: 'outrigger-export.json',
        text: `${JSON.stringify(
          {
            project: { id: ctx.project.id, name: ctx.project.name },
            exportedAt: new Date(ctx.now).toISOString(),
            options: o,
            ...summary,
          },
          null,
          2,
        )}\n`,
        last: true,
      });
      await sink.close();
      if (zip) await sink.zipTo(path.join(tmp, 'dataset.zip'), ctl.signal);
      if (ctl.signal.aborted) throw new ExportCancelled();
      await rename(zip ? path.join(tmp, 'dataset.zip') : tmp, target);
      if (zip) await rm(tmp, { recursive: true, force: true });
      Object.assign(job, {
        state: 'finished',
        records: summary.records,
        path: target,
        skipped: summary.skipped,
        message: summary.skipped.length
          ? `not carried by ${o.format}: ${summary.skipped.map((x) => `${x.count} ${x.reason}`).join('; ')}`
          : null,
      } satisfies Partial<ExportJob>);
    } catch (e) {
      await sink.close();
      await rm(tmp, { recursive: true, force: true });
      const cancelled = e instanceof ExportCancelled || ctl.signal.aborted;
      Object.assign(job, {
        state: cancelled ? 'cancelled' : 'failed',
        path: null,
        message: cancelled ? null : e instanceof Error ? e.message : String(e),
      } satisfies Partial<ExportJob>);
    }
    this.d.emit({ ...job });
    return { ...job };
  }

  private job(exportId: string): Running {
    const r = this.jobs.get(exportId);
    if (!r) throw new AppError('NOT_FOUND', `no export ${exportId}`, 'exportId');
    return r;
  }

  /** Stops a running export; its temporary output is removed. Answers the state it ended in. */
  async cancel(exportId: string): Promise<ExportJob> {
    const r = this.job(exportId);
    r.ctl.abort();
    return r.done;
  }

  /** Resolves when the export has ended (tests; the screen listens to events). */
  settled(exportId: string): Promise<ExportJob> {
    return this.job(exportId).done;
  }

  async openFolder(exportId: string): Promise<{ opened: boolean; path: string }> {
    const { job } = this.job(exportId);
    if (job.state !== 'finished' || !job.path)
      throw new AppError('CONFLICT', `export ${exportId} has not finished`, 'exportId');
    if (!this.d.reveal) return { opened: false, path: job.path };
    await this.d.reveal(job.path);
    return { opened: true, path: job.path };
  }

  /** Cancels running exports and waits for their clean-up (the workspace is closing). */
  async close(): Promise<void> {
    const running = [...this.jobs.values()].filter((r) => r.job.state === 'running');
    for (const r of running) r.ctl.abort();
    await Promise.all(running.map((r) => r.done));
  }
}
