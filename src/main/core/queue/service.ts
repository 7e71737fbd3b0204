import { randomUUID } from 'node:crypto';
import { AppError, type QueueCounts, type TaskSummary, type TaskView } from '../../../shared/contract';
import {
  LOCAL_DELIVERY,
  type Annotation,
  type Project,
  type TaskData,
  type TaskStatus,
} from '../../../shared/model';
import type { Clock } from '../../../shared/clock';
import {
  activeMsByDay,
  countResults,
  dayOf,
  DEFAULT_IDLE_MS,
  type ReportedSignal,
  type TaskOutcome,
} from '../../../shared/metrics';
import type { LocalMetrics } from '../../../shared/contract';
import { ActivityRecorder } from '../activity/recorder';
import { ActivityLog, type TaskTimes } from '../db/activity';
import type { Db } from '../db/open';
import { Outbox } from '../db/outbox';
import { HubTasks } from './hub-tasks';
import { Deliveries } from './delivery';
import { QueueRepo, type ListFilter, type NewTask, type RowSummary } from './repo';
import { checkAnnotation } from './validate';

/** What readers of the outbox may do with it (writes go through the queue service). */
export type OutboxReader = Pick<Outbox, 'clientId' | 'peek' | 'read' | 'size'>;

export type QueueServiceOptions = {
  /** The only source of time inside the service (tests and benches inject their own). */
  clock: Clock;
  /** Start of the local day containing `now`; "today" counts start here. */
  startOfDay?: (now: number) => number;
  /** A monotonic ms clock for active time (default: `clock`, so a test's fake clock drives both). */
  monotonic?: () => number;
};

const localStartOfDay = (now: number): number => {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
};

const OPEN_STATUSES: readonly TaskStatus[] = ['queued', 'in_progress'];

/**
 * The local queue, the one owner of tasks, drafts, submissions and the outbox. Every change runs
 * in one immediate transaction together with its activity event and, for submit, skip and
 * release, its outbox row: a crash at any instant leaves all or nothing. Sync changes leased
 * tasks through `hub`. Methods are async so the work can move to a worker thread without
 * changing callers.
 */
export class QueueService {
  /** Read side of the outbox (push reads it; acknowledging goes through `hub`). */
  readonly outbox: OutboxReader;
  /** Tasks leased from a hub: what the sync engine may read and change. */
  readonly hub: HubTasks;
  /** The records behind each task's delivery state (read by the queue list, views, sync state). */
  readonly deliveries: Deliveries;
  private readonly repo: QueueRepo;
  private readonly mutations: Outbox;
  private readonly activity: ActivityLog;
  private readonly recorder: ActivityRecorder;
  private readonly clock: Clock;
  private readonly startOfDay: (now: number) => number;
  private readonly outboxListeners = new Set<() => void>();

  constructor(
    readonly db: Db,
    options: QueueServiceOptions,
  ) {
    this.repo = new QueueRepo(db);
    this.mutations = new Outbox(db);
    this.outbox = this.mutations;
    this.activity = new ActivityLog(db);
    this.recorder = new ActivityRecorder({
      clock: options.clock,
      monotonic: options.monotonic ?? options.clock,
      idleOf: (taskId) => this.idleOfTask(taskId),
    });
    this.deliveries = new Deliveries(db);
    this.hub = new HubTasks(db, this.repo, this.mutations, this.deliveries);
    this.clock = options.clock;
    this.startOfDay = options.startOfDay ?? localStartOfDay;
  }

  private now(): number {
    return Math.trunc(this.clock());
  }

  /**
   * Every write first puts the activity recorder's pending signals and stretches into the log,
   * in the same transaction, so a task change is never recorded ahead of the time spent on it.
   */
  private write<T>(fn: () => T): T {
    const drained = this.recorder.drain();
    try {
      return this.db
        .transaction(() => {
          this.recorder.writeDrained(drained, this.activity);
          return fn();
        })
        .immediate();
    } catch (e) {
      this.recorder.undrain(drained);
      throw e;
    }
  }

  /** The activity log, for sync to hand its links over (writes go through `transaction`). */
  get activityLog(): ActivityLog {
    return this.activity;
  }

  private idleOfTask(taskId: string): number {
    const projectId = this.repo.projectIdOf(taskId);
    const project = projectId ? this.repo.project(projectId) : null;
    return project?.labelConfig.idleThresholdMs ?? DEFAULT_IDLE_MS;
  }

  /** Input heartbeats and focus, visibility and task changes of one window (see ActivityRecorder). */
  async reportActivity(
    window: string,
    signals: readonly ReportedSignal[],
  ): Promise<{ activeMsToday: number }> {
    this.recorder.report(window, signals);
    if (this.recorder.full) this.write(() => undefined);
    return { activeMsToday: this.activeMsToday() };
  }

  /** The machine sleeps or wakes (Electron's powerMonitor). */
  recordPower(kind: 'suspend' | 'resume'): void {
    this.recorder.power(kind);
  }

  /** Writes recorded activity that no task change has written yet (a timer and close call it). */
  flushActivity(): void {
    if (this.recorder.hasPending) this.write(() => undefined);
  }

  /** Whole milliseconds: the contract's figure is an integer, whatever the clock's precision. */
  private activeMsToday(): number {
    const since = this.startOfDay(this.now());
    return Math.round(this.activity.activeMsSince(since) + this.recorder.pendingActiveSince(since));
  }

  /** The annotator dashboard's data over the last `days` local days, from this workspace only. */
  async localMetrics(days: number, tzOffset: number): Promise<LocalMetrics> {
    const now = this.now();
    const today = Date.parse(`${dayOf(now, tzOffset)}T00:00:00Z`) - tzOffset * 60_000;
    const since = today - (days - 1) * 86_400_000;
    this.flushActivity();
    const outcomes: TaskOutcome[] = this.activity.outcomesSince(since).map((e) => {
      const d = e.data;
      const num = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
      return {
        taskId: e.taskId,
        projectId: typeof d.projectId === 'string' && d.projectId ? d.projectId : 'local',
        batchId: null,
        annotatorId: null,
        outcome: e.kind === 'task.submitted' ? 'submitted' : 'skipped',
        at: e.at,
        activeMs: e.activeMs,
        regions: num(d.regions),
        spans: num(d.spans),
        labels: d.labels && typeof d.labels === 'object' ? (d.labels as Record<string, number>) : {},
      };
    });
    const projects = this.repo.projects();
    const target = projects.map((p) => p.labelConfig.dailyTarget).find((t) => t !== undefined) ?? null;
    const idle = projects.map((p) => p.labelConfig.idleThresholdMs).find((t) => t !== undefined);
    return {
      now,
      outcomes,
      activeByDay: activeMsByDay(this.activity.activeSince(since), tzOffset),
      dailyTarget: target,
      idleMs: idle ?? DEFAULT_IDLE_MS,
    };
  }

  /**
   * Runs `fn` in one immediate transaction on the workspace database (sync writes its own rows
   * and the queue's `hub` changes they explain together). Inside another, a savepoint.
   */
  transaction<T>(fn: () => T): T {
    return this.write(fn);
  }

  /**
   * Calls `listener` after each commit that added an outbox row (submit, skip, release): the
   * moment there is something for the hub. A draft save never calls it. Returns the unsubscribe.
   */
  onOutboxRow(listener: () => void): () => void {
    this.outboxListeners.add(listener);
    return () => this.outboxListeners.delete(listener);
  }

  /** A write that appends an outbox row: its listeners hear of it once the row is committed. */
  private writeMutation<T>(fn: () => T): T {
    const out = this.write(fn);
    for (const l of this.outboxListeners) l();
    return out;
  }

  /**
   * Runs `fn` in one immediate transaction with the outbox's `append`, for mutations other
   * services own (review verdicts: `ReviewService` writes its rows in the same transaction).
   * Listeners hear of the row once it is committed, as for a submit.
   */
  /**
   * Active and wall time on `taskId` since `since` as the activity recorder counted it; inside
   * a write (after the recorder's pending stretches went to the log) it is complete.
   */
  taskTimesSince(taskId: string, since: number, at: number): TaskTimes {
    return this.activity.taskTimesSince(taskId, since, at);
  }

  writeWithOutbox<T>(fn: (append: Outbox['append']) => T): T {
    return this.writeMutation(() => fn((...args) => this.mutations.append(...args)));
  }

  private mustTask(taskId: string) {
    const t = this.repo.task(taskId);
    if (!t) throw new AppError('NOT_FOUND', `no task "${taskId}"`);
    return t;
  }

  private mustState(taskId: string) {
    const t = this.repo.taskState(taskId);
    if (!t) throw new AppError('NOT_FOUND', `no task "${taskId}"`);
    return t;
  }

  /** Spans are checked against the task text; other results need no task data. */
  private check(state: { data: () => TaskData }, annotation: Annotation): void {
    if (annotation.results.some((r) => r.type === 'span')) checkAnnotation(state.data(), annotation);
  }

  private view(taskId: string): TaskView {
    const t = this.mustTask(taskId);
    const project = this.repo.project(t.task.projectId);
    if (!project)
      throw new AppError('INTERNAL', `task "${taskId}" names a missing project "${t.task.projectId}"`);
    const submission = this.repo.lastSubmission(taskId);
    return {
      task: t.task,
      project,
      status: t.status,
      draft: this.repo.draft(taskId),
      submitted: submission ? submission.annotation : null,
      leaseExpiresAt: t.leaseExpiresAt,
      delivery: this.deliveries.record(taskId),
    };
  }

  /** Joins each row's delivery record in (three small reads per list, not per row). */
  private withDelivery(rows: RowSummary[]): TaskSummary[] {
    const recs = this.deliveries.records(rows.map((r) => r.id));
    return rows.map((r) => ({
      ...r,
      delivery: recs.get(r.id) ?? { ...LOCAL_DELIVERY },
    }));
  }

  async listProjects(): Promise<Project[]> {
    return this.repo.projects();
  }

  async list(filter: ListFilter): Promise<{ items: TaskSummary[]; total: number }> {
    return this.db
      .transaction(() => {
        const { items, total } = this.repo.list(filter);
        return { items: this.withDelivery(items), total };
      })
      .deferred();
  }

  /**
   * Resumes the oldest in-progress task, else claims the oldest queued one; null when none.
   * `taskId` (the task the screen already shows, prepared ahead) goes first while it is open.
   */
  async claimNext(
    input: { projectId?: string | undefined; taskId?: string | undefined } = {},
  ): Promise<{ view: TaskView; claimed: boolean } | null> {
    const named = () => {
      const t = input.taskId ? this.repo.taskState(input.taskId) : null;
      return t && OPEN_STATUSES.includes(t.status) ? input.taskId! : null;
    };
    const resumed = input.taskId ? null : this.repo.firstOfStatus('in_progress', input.projectId);
    if (resumed) return { view: this.view(resumed), claimed: false };
    return this.write(() => {
      const id =
        named() ??
        this.repo.firstOfStatus('in_progress', input.projectId) ??
        this.repo.firstOfStatus('queued', input.projectId);
      if (!id) return null;
      const t = this.mustState(id);
      if (t.status === 'in_progress') return { view: this.view(id), claimed: false };
      const at = this.now();
      this.repo.setStatus(id, 'in_progress', at);
      this.activity.append('task.claimed', id, at);
      return { view: this.view(id), claimed: true };
    });
  }

  async open(taskId: string): Promise<TaskView> {
    return this.view(taskId);
  }

  /** Autosave. A queued task with a draft becomes in progress; finished tasks must be reopened. */
  async saveDraft(
    taskId: string,
    annotation: Annotation,
  ): Promise<{ savedAt: number; statusChanged: boolean }> {
    return this.write(() => {
      const t = this.mustState(taskId);
      if (!OPEN_STATUSES.includes(t.status)) {
        throw new AppError('CONFLICT', `task "${taskId}" is ${t.status}; reopen it before editing`);
      }
      this.check(t, annotation);
      const at = this.now();
      // The draft carries the active time the core recorded, not the renderer's figure.
      const { activeMs } = this.activity.taskTimes(taskId, at);
      this.repo.saveDraft(taskId, { ...annotation, activeMs }, at);
      const statusChanged = t.status === 'queued';
      if (statusChanged) this.repo.setStatus(taskId, 'in_progress', at);
      else this.repo.touch(taskId, at);
      this.activity.append('task.draftSaved', taskId, at, { results: annotation.results.length });
      return { savedAt: at, statusChanged };
    });
  }

  /** Stores the submission, finishes the task, logs it and queues it for the hub, atomically. */
  async submit(
    taskId: string,
    annotation: Annotation,
  ): Promise<{ submissionId: string; submittedAt: number }> {
    return this.writeMutation(() => {
      const t = this.mustState(taskId);
      if (!OPEN_STATUSES.includes(t.status)) {
        throw new AppError('CONFLICT', `task "${taskId}" is already ${t.status}; reopen it to submit again`);
      }
      this.check(t, annotation);
      const at = this.now();
      this.repo.takeDraftActiveMs(taskId); // the draft goes: the submission holds the work
      const submissionId = randomUUID();
      // Every submission carries the active and wall time the core recorded (src/shared/metrics).
      const times = this.activity.taskTimes(taskId, at);
      annotation = { ...annotation, activeMs: times.activeMs, wallMs: times.wallMs };
      // Serialized once: the submission stores this text and the outbox row keeps its digest.
      const annotationJson = JSON.stringify(annotation);
      const seq = this.repo.insertSubmission({ id: submissionId, taskId, annotationJson, submittedAt: at });
      this.repo.setStatus(taskId, 'submitted', at);
      this.activity.append('task.submitted', taskId, at, {
        submissionId,
        projectId: this.repo.projectIdOf(taskId),
        results: annotation.results.length,
        ...countResults(annotation.results),
      });
      // The outbox row names the submission rather than storing the annotation a second time.
      this.mutations.append('submit', taskId, { submissionId, annotation, submittedAt: at }, at, {
        seq,
        annotationJson,
      });
      return { submissionId, submittedAt: at };
    });
  }

  /** Skips a task (its draft is kept, so reopening restores it) and queues the skip for the hub. */
  async skip(taskId: string, reason?: string): Promise<{ skippedAt: number }> {
    return this.writeMutation(() => {
      const t = this.mustState(taskId);
      if (!OPEN_STATUSES.includes(t.status)) {
        throw new AppError('CONFLICT', `task "${taskId}" is already ${t.status}; reopen it first`);
      }
      const at = this.now();
      this.repo.setStatus(taskId, 'skipped', at);
      this.activity.append('task.skipped', taskId, at, {
        projectId: this.repo.projectIdOf(taskId),
        ...(reason ? { reason } : {}),
      });
      this.mutations.append('skip', taskId, reason ? { reason, skippedAt: at } : { skippedAt: at }, at);
      return { skippedAt: at };
    });
  }

  /**
   * Gives a task leased from a hub back, unfinished: it is skipped here (it leaves the queue once
   * the hub acknowledges the release; see `HubTasks.dropLease`) and the release is queued.
   */
  async release(taskId: string): Promise<{ releasedAt: number }> {
    return this.writeMutation(() => {
      const t = this.mustState(taskId);
      if (this.hub.leaseEpoch(taskId) === null)
        throw new AppError('CONFLICT', `task "${taskId}" is not leased from a hub`);
      if (!OPEN_STATUSES.includes(t.status))
        throw new AppError(
          'CONFLICT',
          `task "${taskId}" is ${t.status}; only unfinished tasks can be released`,
        );
      const at = this.now();
      this.repo.setStatus(taskId, 'skipped', at);
      this.activity.append('task.released', taskId, at);
      this.mutations.append('release', taskId, {}, at);
      return { releasedAt: at };
    });
  }

  /** The task's open refusal, or a CONFLICT error in words. */
  private openRefusal(taskId: string) {
    const answer = this.deliveries.record(taskId).answer;
    if (answer?.kind !== 'rejected' || answer.resolution !== null)
      throw new AppError('CONFLICT', `task "${taskId}" has no refused work waiting for you`);
    return answer;
  }

  /**
   * Sends a refused submission again under the task's current lease (the hub must have leased
   * the task to this workbench again): a new submission and outbox row, the refusal closed.
   */
  async resubmitRefused(taskId: string): Promise<{ submissionId: string; submittedAt: number }> {
    return this.writeMutation(() => {
      const answer = this.openRefusal(taskId);
      if (answer.mutationKind !== 'submit')
        throw new AppError('CONFLICT', `the hub refused a ${answer.mutationKind}, not a submission`);
      const lease = this.hub.lease(taskId);
      const at = this.now();
      if (!lease || lease.lease_expires_at <= at)
        throw new AppError(
          'CONFLICT',
          'The hub has not leased this task to you again, so it cannot take this work now. Export it to a file, or discard it.',
        );
      const last = this.repo.lastSubmission(taskId);
      if (!last) throw new AppError('INTERNAL', `task "${taskId}" has no submission to resubmit`);
      const submissionId = randomUUID();
      const annotationJson = JSON.stringify(last.annotation);
      const seq = this.repo.insertSubmission({ id: submissionId, taskId, annotationJson, submittedAt: at });
      if (this.mustState(taskId).status !== 'submitted') this.repo.setStatus(taskId, 'submitted', at);
      this.activity.append('task.submitted', taskId, at, {
        submissionId,
        projectId: this.repo.projectIdOf(taskId),
        resubmitOf: answer.mutationId,
      });
      this.mutations.append(
        'submit',
        taskId,
        { submissionId, annotation: last.annotation, submittedAt: at },
        at,
        { seq, annotationJson },
      );
      this.deliveries.resolve(taskId, at, 'resubmitted');
      return { submissionId, submittedAt: at };
    });
  }

  /**
   * The person accepts the hub's refusal: it is closed as discarded. The local submission stays
   * as history (the task shows "Refused, discarded"); nothing is sent.
   */
  async discardRefused(taskId: string): Promise<{ discardedAt: number }> {
    return this.write(() => {
      this.openRefusal(taskId);
      const at = this.now();
      this.deliveries.resolve(taskId, at, 'discarded');
      this.activity.append('task.refusalDiscarded', taskId, at);
      return { discardedAt: at };
    });
  }

  /** The task's last submission as a file a person can keep or hand to their lead. */
  async exportSubmission(taskId: string): Promise<{ fileName: string; json: string }> {
    const t = this.mustTask(taskId);
    const last = this.repo.lastSubmission(taskId);
    if (!last) throw new AppError('NOT_FOUND', `task "${taskId}" has no submission to export`);
    const answer = this.deliveries.record(taskId).answer;
    const doc = {
      format: 'outrigger.submission/1',
      taskId,
      projectId: t.task.projectId,
      submissionId: last.id,
      submittedAt: new Date(last.submittedAt).toISOString(),
      refused:
        answer?.kind === 'rejected' ? { reason: answer.reason, at: new Date(answer.at).toISOString() } : null,
      annotation: last.annotation,
    };
    const safe = taskId.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
    return { fileName: `${safe}.submission.json`, json: `${JSON.stringify(doc, null, 2)}\n` };
  }

  /**
   * Opens a submitted or skipped task for editing again (in progress). Editing starts from its
   * draft or, without one, from its last submission. Reopening a task in progress changes nothing.
   */
  async reopen(taskId: string): Promise<{ view: TaskView; changed: boolean }> {
    return this.write(() => {
      const t = this.mustState(taskId);
      if (t.status === 'in_progress') return { view: this.view(taskId), changed: false };
      if (t.status === 'queued') {
        throw new AppError('CONFLICT', `task "${taskId}" is queued, not finished; open it instead`);
      }
      const at = this.now();
      if (!this.repo.draft(taskId)) {
        const last = this.repo.lastSubmission(taskId);
        if (last) this.repo.saveDraft(taskId, last.annotation, at);
      }
      this.repo.setStatus(taskId, 'in_progress', at);
      this.activity.append('task.reopened', taskId, at, { from: t.status });
      return { view: this.view(taskId), changed: true };
    });
  }

  /** Recently submitted or skipped tasks, newest first. */
  async history(limit: number): Promise<TaskSummary[]> {
    return this.withDelivery(this.repo.history(limit));
  }

  async counts(): Promise<QueueCounts> {
    const by = this.repo.statusCounts();
    const since = this.startOfDay(this.now());
    return {
      queued: by.queued,
      inProgress: by.in_progress,
      submitted: by.submitted,
      skipped: by.skipped,
      submittedToday: this.repo.finishedSince('submitted', since),
      skippedToday: this.repo.finishedSince('skipped', since),
      activeMsToday: this.activeMsToday(),
    };
  }

  /** How many projects the workspace holds (the demo seeds only an empty one). */
  projectCount(): number {
    return this.repo.projectCount();
  }

  /** Adds local projects and tasks (demo seeding, imports) in one transaction. */
  addProjectsAndTasks(projects: readonly Project[], tasks: readonly NewTask[]): void {
    this.write(() => {
      const at = this.now();
      for (const p of projects) this.repo.insertProject(p, at);
      for (const t of tasks) this.repo.insertTask(t, at);
    });
  }
}
