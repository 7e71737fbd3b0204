import type { ImageAsset, LabelConfig, Prediction, ProjectKind, Task } from '../../shared/model';
import type { Aql, InspectionLevel } from '../../shared/quality';
import type { ImportedSubmission } from './importing';
import type { TeamOutcomeRow } from '../../shared/metrics';
import type {
  ActivityFlag,
  ActivityFlagsQuery,
  ActivityPushRequest,
  ActivityPushResponse,
  TeamMetrics,
  TeamMetricsQuery,
  FeedEvent,
  LeasedReview,
  LeasedTask,
  Lot,
  Membership,
  Mutation,
  ProjectInfo,
  ProjectProgress,
  PullResponse,
  PushResponse,
  QualityReport,
  RejectReason,
  ReviewComment,
  ReviewLeaseRequest,
  ReviewPolicy,
  Role,
  TaskHistory,
} from '../../shared/sync';
import type { Dialect } from './driver';
import type { ExportFilter, ExportTaskRow } from './exporting';
import type { PushLimits } from './quota';

export interface NewProject {
  id: string;
  name: string;
  kind: ProjectKind;
  labelConfig: LabelConfig;
  leaseHours: number;
  overlap: number;
  /** The batch the project's first tasks join (default "default"). */
  batch?: string;
  /** Default: none. */
  reviewPolicy?: ReviewPolicy;
  rejectReasons?: readonly string[];
  /** Authors may fetch their submissions' images after the lease (default true; issue 16.3). */
  authorAssets?: boolean;
}

export interface NewTask {
  task: Task;
  /** The image the task shows, if any (for asset access checks). */
  assetSha256?: string;
}

export interface UserRecord {
  id: string;
  name: string;
  memberships: Membership[];
}

/** Everything the hub keeps, behind one interface with a SQLite and a PostgreSQL implementation. */
export interface HubStorage {
  readonly dialect: Dialect;

  createProject(
    p: NewProject,
    tasks: readonly NewTask[],
    assets: readonly ImageAsset[],
    now: number,
    /** Finished work brought from another tool, stored as submissions in the same transaction. */
    imported?: readonly ImportedSubmission[],
  ): Promise<void>;
  getProject(id: string): Promise<ProjectInfo | undefined>;
  listProjects(): Promise<(ProjectInfo & { taskCount: number })[]>;
  /** Adds tasks (and their images) to a project's batch; refuses ids the project already has. */
  addTasks(
    projectId: string,
    batch: string,
    tasks: readonly NewTask[],
    assets: readonly ImageAsset[],
    /** Gold tasks: each task's known answer (annotation JSON) by task id (issue 12.3). */
    goldAnswers?: ReadonlyMap<string, string>,
  ): Promise<void>;
  /** The share (0–1) of each annotator's leases that are gold tasks. */
  setGoldRate(projectId: string, rate: number): Promise<void>;
  /** Whether authors may fetch their submissions' images after the lease ended (issue 16.3). */
  setAuthorAssets(projectId: string, allowed: boolean): Promise<void>;
  /** Makes a lot of a batch's submitted work and draws its audit sample (quality-lots.ts). */
  createLot(
    req: {
      projectId: string;
      userId: string;
      batch: string;
      level: InspectionLevel;
      aql: Aql;
      seed?: number;
    },
    now: number,
  ): Promise<Lot>;
  /** Lots, agreement, gold accuracy and consensus of a project (quality-report.ts). */
  qualityReport(projectId: string, now: number): Promise<QualityReport>;
  /** Brings the project's per-task consensus rows up to date; resolves to how many were recomputed. */
  consensusOf(projectId: string, now: number): Promise<number>;
  /** Sets which submissions get reviewed from now on (and, if given, the reject reasons). */
  setReviewPolicy(
    projectId: string,
    policy: ReviewPolicy,
    rejectReasons?: readonly string[],
  ): Promise<ProjectInfo>;
  /** Replaces the label config, bumps its version, and tells every member through the feed. */
  updateLabelConfig(projectId: string, labelConfig: LabelConfig, now: number): Promise<ProjectInfo>;

  addUser(u: { id: string; name: string; tokenHash: string }, now: number): Promise<void>;
  grantRole(userId: string, projectId: string, role: Role): Promise<void>;
  /** Looks a user up by the sha256 of their token; the caller compares in constant time. */
  findUserByTokenHash(tokenHash: string): Promise<(UserRecord & { tokenHash: string }) | undefined>;
  findUserByName(name: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;

  /**
   * Leases up to `count` more tasks of a project to a user on a device. With a `requestId` that
   * already leased tasks, nothing new is leased: that request's still-live leases are returned.
   */
  claim(
    req: { userId: string; deviceId: string; projectId: string; count: number; requestId?: string },
    now: number,
  ): Promise<LeasedTask[]>;
  /**
   * Leases up to `count` pending review items of a project (never the reviewer's own work, never
   * one another reviewer holds), with their task, versions and verdicts. A `requestId` that
   * already leased items gets that request's live review leases back.
   */
  claimReviews(req: ReviewLeaseRequest & { userId: string }, now: number): Promise<LeasedReview[]>;
  /** The user's live leases on one device, with their tasks (a workbench adopting lost answers). */
  heldLeases(userId: string, deviceId: string, now: number): Promise<LeasedTask[]>;
  /** Every version and verdict of a task, oldest first; undefined for an unknown task. */
  taskHistory(taskId: string): Promise<TaskHistory | undefined>;
  /** Applies a batch of one client's mutations at most once each, durably, in seq order. */
  /** With `limits`, a push that takes its user past their quota is refused whole (413). */
  push(req: PushBatch, now: number, limits?: PushLimits): Promise<Omit<PushResponse, 'serverTime'>>;
  /** Expires/renews the user's leases and reads their change feed after `cursor`. */
  pull(
    req: {
      userId: string;
      deviceId?: string;
      cursor: number;
      limit: number;
      /** Since 1.1: 'delta' with a deviceId (see PullQuery). */
      leases?: 'full' | 'delta';
      leasesSince?: number;
    },
    now: number,
  ): Promise<Omit<PullResponse, 'serverTime'>>;

  /** Stores a workbench's activity links after the held head, verified and checked (issue 13.3). */
  recordActivity(
    req: { userId: string; chainId: string; links: ActivityPushRequest['links'] },
    now: number,
  ): Promise<ActivityPushResponse>;
  /** A project's activity flags, newest first. */
  activityFlags(projectId: string, range?: ActivityFlagsQuery): Promise<ActivityFlag[]>;
  /** A project's team figures by SQL aggregates; with `userId`, that annotator's only. */
  teamMetrics(projectId: string, q: TeamMetricsQuery, userId?: string): Promise<TeamMetrics>;
  /** Every submission and skip in the range, oldest first: the raw rows behind the figures (payroll). */
  teamOutcomeRows(projectId: string, q: TeamMetricsQuery): Promise<TeamOutcomeRow[]>;
  /** The same rows a page at a time (`next` continues); with `userId`, that annotator's only. */
  teamOutcomePage(
    projectId: string,
    q: TeamMetricsQuery,
    page: { after?: string; limit: number; userId?: string },
  ): Promise<{ rows: TeamOutcomeRow[]; next: string | null }>;

  getAsset(sha256: string): Promise<ImageAsset | undefined>;
  /**
   * True when the user holds a live lease on a task showing the asset, reviews/leads its project,
   * or submitted work on such a task in a project that lets authors see their work again.
   */
  canReadAsset(userId: string, sha256: string, now: number): Promise<boolean>;

  progress(projectId: string, now: number): Promise<ProjectProgress>;
  /** Every stored submission of a task (for leads, exports and tests), oldest first. */
  submissions(taskId: string): Promise<StoredSubmission[]>;

  /**
   * A page of a project's tasks (id order, after `afterId`) with their not superseded
   * submissions, for exports; stored text, parsed by the caller.
   */
  exportPage(
    projectId: string,
    afterId: string | undefined,
    limit: number,
    filter: ExportFilter,
  ): Promise<ExportTaskRow[]>;
  taskCount(projectId: string): Promise<number>;
  /** Appends model predictions to tasks of a project, all in one transaction (NOT_FOUND if any task is missing). */
  addPredictions(projectId: string, add: ReadonlyMap<string, Prediction[]>): Promise<void>;

  close(): Promise<void>;
}

/**
 * One mutation of a push without its annotation: what applying the batch needs. `at` is its
 * index in the request, where its annotation text is found.
 */
export interface MutationHead {
  at: number;
  mutationId: string;
  clientId: string;
  seq: number;
  kind: Mutation['kind'];
  taskId: string;
  leaseEpoch: number;
  submittedAt?: number;
  /** For verdict kinds: the payload without a fix's annotation. */
  verdict?: VerdictHead;
}

export interface VerdictHead {
  submissionId: string;
  comments: ReviewComment[];
  activeMs: number;
  reason?: string;
  note?: string;
}

/** How one mutation of a push was dealt with (before it becomes its answer). */
export type Outcome =
  | { status: 'applied'; conflict: boolean }
  | { status: 'rejected'; reason: RejectReason; field?: string; message?: string };

/**
 * A push as storage applies it. `annotations` holds, by `at`, each submit's annotation as the
 * JSON text to store; it may still be being checked (see src/hub/push) and is awaited only
 * just before the submissions are written. If it rejects, nothing of the batch is written.
 */
export interface PushBatch {
  userId: string;
  clientId: string;
  mutations: readonly MutationHead[];
  annotations: Promise<readonly (string | undefined)[]>;
}

export interface StoredSubmission {
  id: string;
  taskId: string;
  projectId: string;
  userId: string;
  leaseEpoch: number;
  conflict: boolean;
  superseded: boolean;
  receivedAt: number;
  /** null when the stored text cannot be served (see `unreadable`). */
  annotation: unknown;
  /**
   * Why the annotation is not given: stored before the hub bounded nesting, it is deeper than
   * a reply may carry (serializing it would overflow the stack), or it is not JSON.
   */
  unreadable?: string;
}

export type { FeedEvent };
