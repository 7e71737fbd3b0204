import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  AppError,
  type ExportJob,
  type ExportPreviewResult,
  type ExportSource,
  type ExportSources,
} from '../../../shared/contract';
import {
  ExportCancelled,
  FORMAT_KINDS,
  LOCAL_VERSIONS,
  addToPreview,
  emptyPreview,
  formatMismatch,
  MANIFEST_FILE,
  manifestText,
  prepareRecords,
  runExport,
  splitOfRecords,
  versionUnavailable,
  type ExportContext,
  type ExportFormat,
  type ExportOptions,
  type ExportProject,
  type ExportVersion,
} from '../../../shared/export';
import type { Clock } from '../../../shared/clock';
import type { Project } from '../../../shared/model';
import type { Db } from '../db/open';
import { HubExportSource, type HubExportDeps } from './hub-source';
import { localRecordCount, localRecords, submittedSummary } from './local-records';
import {
  localReviewedCount,
  localReviewedRecords,
  reviewedProjectIds,
  reviewProjects,
} from './local-review-records';
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
  /** The signed-in hub, for leads' exports of hub projects; absent: local exports only. */
  hub?: HubExportDeps;
}

type ExportRequest = { projectId: string; source?: ExportSource; options: ExportOptions };

/** Why a version cannot be exported from this workspace's own records, in words. */
const localUnavailable = (reviewedHere: boolean): { version: ExportVersion; reason: string }[] => [
  ...(reviewedHere
    ? []
    : (['accepted', 'reviewed'] as const).map((version) => ({
        version,
        reason:
          'Not on this computer: it learns only of rejections of your work, not acceptances. Export from the hub (leads), or review the project here.',
      }))),
  {
    version: 'consensus' as const,
    reason: "Not on this computer: consensus needs every annotator's submissions, which only the hub holds.",
  },
];

interface Running {
  job: ExportJob;
  ctl: AbortController;
  done: Promise<ExportJob>;
}

const labelNames = (p: ExportProject): string[] => {
  const c = p.labelConfig;
  const names = [...c.labels.map((l) => l.name)];
  for (const g of c.classes) for (const ch of g.options) names.push(ch.name);
  return [...new Set(names)];
};

/** A job that stopped early: cancelled (when asked to) or failed, with why. */
const ended = (job: ExportJob, e: unknown, signal: AbortSignal): void => {
  const cancelled = e instanceof ExportCancelled || signal.aborted;
  Object.assign(job, {
    state: cancelled ? 'cancelled' : 'failed',
    path: null,
    message: cancelled ? null : e instanceof Error ? e.message : String(e),
  } satisfies Partial<ExportJob>);
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
  private readonly hub: HubExportSource | null;

  constructor(private readonly d: ExportServiceDeps) {
    this.hub = d.hub ? new HubExportSource(d.hub) : null;
  }

  async sources(): Promise<ExportSources> {
    const summary = submittedSummary(this.d.db);
    const reviewed = reviewedProjectIds(this.d.db);
    const projects: ExportSources['projects'] = (await this.localProjects()).map((p) => {
      const s = summary.get(p.id);
      const unavailable = localUnavailable(reviewed.has(p.id));
      return {
        id: p.id,
        name: p.name,
        kind: p.kind,
        source: 'local',
        submitted: s?.submitted ?? 0,
        labels: labelNames(p),
        formats: (Object.keys(FORMAT_KINDS) as ExportFormat[]).filter((f) =>
          FORMAT_KINDS[f].includes(p.kind),
        ),
        versions: this.localVersions(reviewed.has(p.id)),
        unavailable,
        batches: [],
        annotators: [],
        firstAt: s?.firstAt ?? null,
        lastAt: s?.lastAt ?? null,
      };
    });
    let hubNote: string | null = 'This workbench is not connected to a hub.';
    if (this.hub) {
      try {
        const h = await this.hub.list();
        projects.push(...h.projects);
        hubNote = h.note;
      } catch (e) {
        hubNote = `The hub's projects could not be listed: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    return { projects, hubNote, defaultDir: this.d.defaultDir };
  }

  /** The workspace's projects, and those only reviewed here. */
  private async localProjects(): Promise<ExportProject[]> {
    const own = await this.d.projects();
    const ids = new Set(own.map((p) => p.id));
    return [...own, ...reviewProjects(this.d.db).filter((p) => !ids.has(p.id))];
  }

  private localVersions(reviewedHere: boolean): ExportVersion[] {
    return reviewedHere ? [...LOCAL_VERSIONS, 'accepted', 'reviewed'] : [...LOCAL_VERSIONS];
  }

  private async context(req: ExportRequest): Promise<ExportContext> {
    const { projectId, options: o } = req;
    const project = (await this.localProjects()).find((p) => p.id === projectId);
    if (!project) throw new AppError('NOT_FOUND', `no project ${projectId} in this workspace`, 'projectId');
    const reviewedHere = reviewedProjectIds(this.d.db).has(projectId);
    const why = localUnavailable(reviewedHere).find((u) => u.version === o.version);
    if (why) throw new AppError('INVALID_INPUT', why.reason, 'options.version');
    const unavailable = versionUnavailable(o.version, this.localVersions(reviewedHere));
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

  /** A hub export: the hub checks everything again; here only what it cannot carry is refused. */
  private hubSource(o: ExportOptions): HubExportSource {
    if (!this.hub)
      throw new AppError('OFFLINE', 'not signed in to a hub: sign in to export from it', 'source');
    if (o.images === 'copy' || o.images === 'link')
      throw new AppError(
        'INVALID_INPUT',
        'the hub sends one zip: choose "annotations only" or "one zip with images"',
        'options.images',
      );
    return this.hub;
  }

  private records(projectId: string, o: ExportOptions) {
    if (o.version === 'accepted' || o.version === 'reviewed')
      return localReviewedRecords(this.d.db, projectId, { ...o, version: o.version });
    return localRecords(this.d.db, projectId, o, this.d.annotator());
  }

  /** Counts per split and per label of what `start` would write with the same request. */
  async preview(req: ExportRequest): Promise<ExportPreviewResult> {
    const o = req.options;
    if (req.source === 'hub') return this.hubSource(o).preview(req.projectId, o);
    await this.context(req);
    const splits = await splitOfRecords(this.records(req.projectId, o), o);
    const p = emptyPreview();
    for await (const r of prepareRecords(this.records(req.projectId, o), o, splits)) addToPreview(p, r);
    return p;
  }

  async start(req: ExportRequest & { outDir?: string | undefined }): Promise<ExportJob> {
    const o = req.options;
    const source = req.source ?? 'local';
    if (source === 'hub') this.hubSource(o);
    const ctx = source === 'hub' ? null : await this.context(req);
    const dir = path.resolve(req.outDir ?? this.d.defaultDir);
    const name = `${req.projectId.replace(/[^\p{L}\p{N}._-]+/gu, '_')}-${o.format}-${stamp(ctx?.now ?? this.d.clock())}`;
    const target = path.join(dir, o.images === 'zip' || source === 'hub' ? `${name}.zip` : name);
    if (await stat(target).catch(() => undefined))
      throw new AppError('CONFLICT', `${target} already exists; try again in a second`, 'outDir');
    await mkdir(dir, { recursive: true });
    // The temporary folder is made at once, so a target chosen by two starts in one second clashes here.
    const tmp = path.join(dir, `.${name}.partial-${randomBytes(4).toString('hex')}`);
    const total =
      source === 'hub'
        ? null
        : o.version === 'accepted' || o.version === 'reviewed'
          ? await localReviewedCount(this.d.db, req.projectId, { ...o, version: o.version })
          : localRecordCount(this.d.db, req.projectId, o, this.d.annotator());
    const job: ExportJob = {
      exportId: randomUUID(),
      source,
      bytes: null,
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
    running.done =
      ctx === null
        ? this.runHub(running, req.projectId, o, tmp, target)
        : this.run(running, ctx, o, tmp, target);
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
      await sink.write({ file: MANIFEST_FILE, text: manifestText(ctx, o, summary), last: true });
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
      ended(job, e, ctl.signal);
    }
    this.d.emit({ ...job });
    return { ...job };
  }

  /** A hub export: the zip streamed into a hidden file beside the target, renamed at the end. */
  private async runHub(
    running: Running,
    projectId: string,
    o: ExportOptions,
    tmp: string,
    target: string,
  ): Promise<ExportJob> {
    const { job, ctl } = running;
    const file = `${tmp}.zip`;
    let lastEmit = 0;
    try {
      const r = await this.hub!.download(projectId, o, file, ctl.signal, (bytes) => {
        job.bytes = bytes;
        const now = this.d.clock();
        if (now - lastEmit >= 200) {
          lastEmit = now;
          this.d.emit({ ...job });
        }
      });
      if (ctl.signal.aborted) throw new ExportCancelled();
      await rename(file, target);
      Object.assign(job, {
        state: 'finished',
        records: r.records,
        total: r.records,
        bytes: r.bytes,
        path: target,
      } satisfies Partial<ExportJob>);
    } catch (e) {
      ended(job, e, ctl.signal);
    }
    await rm(file, { force: true });
    await rm(tmp, { recursive: true, force: true });
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
