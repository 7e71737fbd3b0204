import { randomUUID } from 'node:crypto';
import { AppError, type ReviewRoles, type TaskHistoryView } from '../../../shared/contract';
import type { Clock } from '../../../shared/clock';
import { Annotation } from '../../../shared/model';
import type { Aql, InspectionLevel } from '../../../shared/quality';
import {
  HUB_ROUTES,
  hubPath,
  Lot,
  MeResponse,
  PROTOCOL_HEADER,
  ProjectInfo,
  ProjectProgress,
  QualityReport,
  ReviewLeaseResponse,
  TaskHistory,
  unsupportedMutationKind,
  type LeasedReview,
  type TaskVersion,
} from '../../../shared/sync';
import { taskTitle } from '../../../shared/model/task-title';
import type { ReviewService } from '../review/service';
import type { NewReviewItem } from '../review/store';
import type { EngineReviewHooks, SyncEngine } from './engine';
import { HUB_HEADERS, hubFailure, hubGet, parseHubAnswer, ProtocolError } from './hub-api';
import type { HttpResponse } from './http';

const ROLES_KEY = 'roles';
const PROTOCOL_KEY = 'hubProtocol';

const REVIEWS = new Set(['reviewer', 'lead', 'admin']);
const LEADS = new Set(['lead', 'admin']);
const ANNOTATES = new Set(['annotator', 'lead', 'admin']);

/** A project's review queue holding fewer pending items than this is topped up by sync. */
export const REVIEW_LOW_WATER = 10;
/** Items per top-up: each brings its task, versions and image, so a slow link leases fewer. */
export const REVIEW_TOP_UP = { normal: 50, slow: 10 } as const;
/** A project with nothing to review is asked again after this long. */
const EMPTY_RETRY_MS = 5 * 60_000;

const withAnnotation = (v: TaskVersion, where: string): TaskVersion & { annotation: Annotation } => {
  const r = Annotation.safeParse(v.annotation);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new ProtocolError(
      `${where}: version ${v.id}: annotation.${first?.path.join('.') ?? ''}: ${first?.message ?? 'invalid'}`,
    );
  }
  return { ...v, annotation: r.data };
};

/**
 * The review side of sync: leases review items (with their task, versions, verdicts; their
 * images then go through the asset cache), reads roles, history and batch progress from the
 * hub, and gives the engine its hooks (review images to keep cached, review feed events,
 * verdict answers, the hub's protocol for verdict kinds). Writes go through `ReviewService`.
 */
export class ReviewSync {
  /** Projects the hub had nothing to review in, until when (local clock). */
  private readonly emptyUntil = new Map<string, number>();

  constructor(
    private readonly review: ReviewService,
    private readonly engine: () => SyncEngine,
    private readonly clock: Clock,
    /** A task came back for rework (the workbench emits `review.rework` and `queue.changed`). */
    private readonly onRework: (taskId: string) => void,
  ) {}

  hooks(): EngineReviewHooks {
    return {
      images: () => this.review.store.images(),
      applyFeed: (events, serverTime, at) => {
        const reworked = this.review.applyFeed(events, serverTime, at);
        // After the page's commit: listeners read what it wrote.
        if (reworked.length > 0) queueMicrotask(() => reworked.forEach((t) => this.onRework(t)));
        if (events.some((e) => e.kind === 'review.revoked')) queueMicrotask(() => this.review.changed());
      },
      verdicts: {
        unsupported: (kind) => {
          const known = this.hubProtocol();
          return known === null ? undefined : unsupportedMutationKind(known, kind);
        },
        answered: (id, a) => {
          this.review.answered(id, a);
          queueMicrotask(() => this.review.changed());
        },
      },
      topUp: (link) => this.topUp(link),
    };
  }

  /**
   * Sync's own review leasing, like annotation work arriving without a click: for each project
   * the person reviews (as reviewer; a lead or admin once they review there) whose pending
   * items here ran below `REVIEW_LOW_WATER`, lease a batch more. Roles are the last ones read
   * (no request of their own). A slow link leases fewer and waits until the images of what it
   * holds are cached; a project with nothing to review is left alone for a while.
   */
  async topUp(link: { slow: boolean }): Promise<number> {
    const me = this.keptRoles();
    if (!me) return 0;
    const now = this.clock();
    let leased = 0;
    for (const m of me.memberships) {
      if (!REVIEWS.has(m.role)) continue;
      if (m.role !== 'reviewer' && !this.review.store.knowsProject(m.projectId)) continue;
      if ((this.emptyUntil.get(m.projectId) ?? 0) > now) continue;
      const depth = this.review.store.queueDepth(m.projectId, now);
      if (depth.pending >= REVIEW_LOW_WATER || (link.slow && depth.imagesWaiting > 0)) continue;
      const count = link.slow ? REVIEW_TOP_UP.slow : REVIEW_TOP_UP.normal;
      const got = await this.lease({ projectId: m.projectId, count });
      if (got.leased === 0) this.emptyUntil.set(m.projectId, now + EMPTY_RETRY_MS);
      leased += got.leased;
    }
    return leased;
  }

  /** The roles as the hub last answered them here (null: never read). */
  private keptRoles(): MeResponse | null {
    const raw = this.review.store.meta(ROLES_KEY);
    if (!raw) return null;
    try {
      const parsed = MeResponse.safeParse((JSON.parse(raw) as { me?: unknown }).me);
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  private client() {
    const c = this.engine().hubClient();
    if (!c) throw new AppError('OFFLINE', 'not signed in to a hub');
    return c;
  }

  /** The protocol the signed-in hub answered with last (null: not known yet). */
  private hubProtocol(): string | null {
    const raw = this.review.store.meta(PROTOCOL_KEY);
    const hubUrl = this.engine().hubClient()?.hubUrl;
    if (!raw || !hubUrl) return null;
    try {
      const v = JSON.parse(raw) as { hubUrl?: unknown; version?: unknown };
      return v.hubUrl === hubUrl && typeof v.version === 'string' ? v.version : null;
    } catch {
      return null;
    }
  }

  private async get(path: string, what: string): Promise<HttpResponse> {
    const c = this.engine().hubClient();
    const res = await hubGet(c, path, what);
    if (c) this.noteProtocol(c.hubUrl, res);
    return res;
  }

  private noteProtocol(hubUrl: string, res: HttpResponse): void {
    const v = res.headers[PROTOCOL_HEADER];
    if (typeof v === 'string')
      this.review.store.setMeta(PROTOCOL_KEY, JSON.stringify({ hubUrl, version: v }));
  }

  private offline(e: unknown, what: string): AppError {
    return hubFailure(e, this.engine().hubClient()?.hubUrl ?? null, what);
  }

  /** Leases up to `count` review items of the project (and batch) with everything to judge them offline. */
  async lease(input: {
    projectId: string;
    batch?: string | undefined;
    count: number;
  }): Promise<{ leased: number; projectId: string; batch: string | null }> {
    const c = this.client();
    const what = 'could not lease review work';
    const info = parseHubAnswer(
      ProjectInfo,
      (await this.get(hubPath(HUB_ROUTES.project, { projectId: input.projectId }), what)).body,
      'project',
    );
    let res: ReviewLeaseResponse;
    try {
      const answer = await c.http.request({
        method: 'POST',
        path: HUB_ROUTES.reviewLeases,
        headers: HUB_HEADERS,
        // A retry with the same id gets the same live review leases back (a lost answer leases no more).
        json: {
          projectId: input.projectId,
          ...(input.batch !== undefined ? { batch: input.batch } : {}),
          deviceId: c.deviceId,
          count: input.count,
          requestId: randomUUID(),
        },
      });
      this.noteProtocol(c.hubUrl, answer);
      res = parseHubAnswer(ReviewLeaseResponse, answer.body, 'review lease');
    } catch (e) {
      throw this.offline(e, what);
    }
    const skew = res.serverTime - this.clock();
    const items = res.reviews.map((r) => toNewItem(r, skew));
    this.review.addLeased(
      {
        id: info.id,
        name: info.name,
        kind: info.kind,
        labelConfig: info.labelConfig,
        leaseHours: info.leaseHours,
        overlap: info.overlap,
        rejectReasons: info.rejectReasons,
      },
      items,
    );
    c.kickAssets();
    return { leased: items.length, projectId: input.projectId, batch: input.batch ?? null };
  }

  /** The person's roles: from the hub when it answers, else the last answer kept here. */
  async roles(): Promise<ReviewRoles> {
    const signedIn = this.engine().hubClient() !== null;
    let me: MeResponse | null = null;
    let fetchedAt: number | null = null;
    let source: 'hub' | 'cached' = 'cached';
    if (signedIn) {
      try {
        me = parseHubAnswer(MeResponse, (await this.get(HUB_ROUTES.me, 'roles')).body, 'me');
        fetchedAt = Math.trunc(this.clock());
        source = 'hub';
        this.review.store.setMeta(ROLES_KEY, JSON.stringify({ me, fetchedAt }));
      } catch {
        // Offline: the last answer below.
      }
    }
    if (!me && signedIn) {
      me = this.keptRoles();
      const kept = me ? (JSON.parse(this.review.store.meta(ROLES_KEY)!) as { fetchedAt?: unknown }) : null;
      fetchedAt = typeof kept?.fetchedAt === 'number' ? kept.fetchedAt : null;
    }
    const memberships = (me?.memberships ?? []).map((m) => ({
      projectId: m.projectId,
      projectName: this.review.projectName(m.projectId),
      role: m.role,
    }));
    const ids = (roles: Set<string>) => [
      ...new Set(memberships.filter((m) => roles.has(m.role)).map((m) => m.projectId)),
    ];
    return {
      signedIn,
      userId: me?.userId ?? null,
      userName: me?.name ?? null,
      memberships,
      annotates: ids(ANNOTATES),
      reviews: ids(REVIEWS),
      leads: ids(LEADS),
      source,
      fetchedAt,
    };
  }

  /** A task's timeline from the hub (with verdicts given here and not yet applied), else what is kept here. */
  async history(taskId: string, projectId: string | undefined): Promise<TaskHistoryView> {
    const project = projectId ?? this.review.projectOfTask(taskId);
    if (project !== null && this.engine().hubClient() !== null) {
      try {
        const h = parseHubAnswer(
          TaskHistory,
          (await this.get(hubPath(HUB_ROUTES.taskHistory, { projectId: project, taskId }), 'history')).body,
          'history',
        );
        return this.review.mergeHubHistory(h, (v) => withAnnotation(v, 'history'));
      } catch (e) {
        if (!(e instanceof AppError) || e.code !== 'OFFLINE') throw e;
      }
    }
    return this.review.localHistory(taskId, project);
  }

  /** Per-batch progress of a project (the hub's progress route: leads and admins). */
  async progress(projectId: string) {
    const p = parseHubAnswer(
      ProjectProgress,
      (await this.get(hubPath(HUB_ROUTES.progress, { projectId }), 'could not read progress')).body,
      'progress',
    );
    return { projectId: p.projectId, batches: p.batches, fetchedAt: Math.trunc(this.clock()) };
  }

  /**
   * Makes a lot of a batch on the hub (the hub's lots route: leads and admins). Nothing is kept
   * here: a lot exists only once the hub has drawn it, so offline is an OFFLINE answer. The
   * hub's own refusal (a batch without work, or with a lot under audit) is passed on in its words.
   */
  async createLot(input: { projectId: string; batch: string; level: InspectionLevel; aql: Aql }) {
    const c = this.client();
    const what = 'could not make the lot';
    let res: HttpResponse;
    try {
      res = await c.http.request({
        method: 'POST',
        path: hubPath(HUB_ROUTES.lots, { projectId: input.projectId }),
        headers: HUB_HEADERS,
        json: { batch: input.batch, level: input.level, aql: input.aql },
      });
      this.noteProtocol(c.hubUrl, res);
    } catch (e) {
      throw this.offline(e, what);
    }
    return { lot: parseHubAnswer(Lot, res.body, 'lot') };
  }

  /** The project's quality report (the hub's quality route: leads and admins). */
  async quality(projectId: string) {
    const report = parseHubAnswer(
      QualityReport,
      (await this.get(hubPath(HUB_ROUTES.quality, { projectId }), 'could not read the quality report')).body,
      'quality',
    );
    return { report, fetchedAt: Math.trunc(this.clock()) };
  }
}

/** One review lease answer item, parsed and on the local clock. */
const toNewItem = (r: LeasedReview, skew: number): NewReviewItem => ({
  submissionId: r.submissionId,
  taskId: r.taskId,
  projectId: r.projectId,
  batch: r.batch,
  title: taskTitle(r.task.data),
  task: r.task,
  epoch: r.epoch,
  expiresAtLocal: r.expiresAt - skew,
  submission: withAnnotation(r.submission, 'review lease'),
  versions: r.versions.filter((v) => v.id !== r.submissionId).map((v) => withAnnotation(v, 'review lease')),
  verdicts: r.verdicts,
});
