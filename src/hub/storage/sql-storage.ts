import { z } from 'zod';
import { ImageAsset, LabelConfig, type Prediction, ProjectKind } from '../../shared/model';
import {
  DEFAULT_BATCH,
  GLOBAL_PROJECT,
  leaseSetDigest,
  Membership,
  RejectReasonList,
  type ProjectInfo,
  type ProjectProgress,
  type ActivityFlag,
  type ActivityFlagsQuery,
  type ActivityPushRequest,
  type ActivityPushResponse,
  type TeamMetrics,
  type TeamMetricsQuery,
  type ReviewLeaseRequest,
  type ReviewPolicy,
  type Role,
} from '../../shared/sync';
import { ROLES_THAT, sqlRoleList } from '../auth/roles';
import { MAX_ANNOTATION_DEPTH, tooDeepAt } from '../push/nesting';
import type { SqlDriver, SqlExecutor } from './driver';
import { StorageRefusal } from './errors';
import { type ExportFilter, readExportPage } from './exporting';
import { type ImportedSubmission, insertImported } from './importing';
import { appendFeed, readFeed } from './feed';
import { claimTasks, expireAndRenew, heldLeases } from './leasing';
import { projectProgress } from './progress';
import { activityFlags, recordActivity } from './activity';
import type { TeamOutcomeRow } from '../../shared/metrics';
import { teamMetrics, teamOutcomePage, teamOutcomeRows } from './team-metrics';
import { applyPush } from './pushing';
import { insertGoldAnswers } from './quality-gold';
import { createLot } from './quality-lots';
import { qualityReport, refreshConsensus } from './quality-report';
import { claimReviews, renewReviewLeases, taskHistory } from './review-leasing';
import { parsePolicy } from './review-items';
import { chargePush, type PushLimits } from './quota';
import { chunks, inList, listParam, valuesRows } from './sql-util';
import type { HubStorage, NewProject, NewTask, PushBatch, StoredSubmission, UserRecord } from './types';

const ProjectRow = z.object({
  id: z.string(),
  name: z.string(),
  kind: ProjectKind,
  label_config: z.string(),
  config_version: z.coerce.number(),
  lease_hours: z.coerce.number(),
  overlap: z.coerce.number(),
  review_policy: z.string(),
  reject_reasons: z.string(),
});
const PROJECT_COLS =
  'id, name, kind, label_config, config_version, lease_hours, overlap, review_policy, reject_reasons';
const toProject = (raw: unknown): ProjectInfo => {
  const r = ProjectRow.parse(raw);
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    labelConfig: LabelConfig.parse(JSON.parse(r.label_config)),
    configVersion: r.config_version,
    leaseHours: r.lease_hours,
    overlap: r.overlap,
    reviewPolicy: parsePolicy(r.review_policy),
    rejectReasons: RejectReasonList.parse(JSON.parse(r.reject_reasons)),
  };
};
const UserRow = z.object({ id: z.string(), name: z.string(), token_hash: z.string() });
const MembershipRow = z.object({ user_id: z.string(), project_id: z.string(), role: z.string() });
const leaseOf = (r: Record<string, unknown>) => ({
  taskId: String(r.task_id),
  projectId: String(r.project_id),
  epoch: Number(r.epoch),
  deviceId: String(r.device_id),
  expiresAt: Number(r.expires_at),
});
const count = (r: unknown): number => Number((r as { n?: unknown } | undefined)?.n ?? 0);

/** The hub store, written once against the SQL surface both engines share. */
export class SqlStorage implements HubStorage {
  constructor(readonly db: SqlDriver) {}

  get dialect() {
    return this.db.dialect;
  }

  async createProject(
    p: NewProject,
    tasks: readonly NewTask[],
    assets: readonly ImageAsset[],
    now: number,
    imported: readonly ImportedSubmission[] = [],
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (await tx.get('SELECT 1 AS x FROM projects WHERE id = ? OR name = ?', [p.id, p.name])) {
        throw new StorageRefusal('INVALID_INPUT', `a project named "${p.name}" (id ${p.id}) already exists`);
      }
      await tx.run(
        'INSERT INTO projects (id, name, kind, label_config, config_version, lease_hours, overlap, review_policy, reject_reasons, author_assets, created_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)',
        [
          p.id,
          p.name,
          p.kind,
          JSON.stringify(p.labelConfig),
          p.leaseHours,
          p.overlap,
          JSON.stringify(p.reviewPolicy ?? 'none'),
          JSON.stringify(p.rejectReasons ?? []),
          p.authorAssets === false ? 0 : 1,
          now,
        ],
      );
      await insertTasks(tx, p.id, p.batch ?? DEFAULT_BATCH, 0, tasks, assets);
      if (imported.length) await insertImported(tx, p.id, imported, now);
    });
    // Fresh statistics after a bulk import, so the claim query gets its index plan at once.
    await this.db.exec(this.db.dialect === 'postgres' ? 'ANALYZE tasks' : 'ANALYZE');
  }

  async addTasks(
    projectId: string,
    batch: string,
    tasks: readonly NewTask[],
    assets: readonly ImageAsset[],
    goldAnswers?: ReadonlyMap<string, string>,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      const p = await tx.get(
        'SELECT (SELECT MAX(seq) FROM tasks WHERE project_id = ?) AS seq FROM projects WHERE id = ?',
        [projectId, projectId],
      );
      if (!p) throw new StorageRefusal('NOT_FOUND', `no project ${projectId}`);
      for (const part of chunks(tasks, 500)) {
        const taken = await tx.all(`SELECT id FROM tasks WHERE ${inList(tx.dialect, 'id')} LIMIT 3`, [
          listParam(
            tx.dialect,
            part.map((t) => t.task.id),
          ),
        ]);
        if (taken.length > 0)
          throw new StorageRefusal(
            'INVALID_INPUT',
            `project ${projectId} already has task${taken.length > 1 ? 's' : ''} ${taken.map((r) => String(r.id)).join(', ')}`,
          );
      }
      await insertTasks(tx, projectId, batch, Number(p.seq ?? 0), tasks, assets, goldAnswers !== undefined);
      if (goldAnswers) await insertGoldAnswers(tx, projectId, goldAnswers, Date.now());
    });
    await this.db.exec(this.db.dialect === 'postgres' ? 'ANALYZE tasks' : 'ANALYZE');
  }

  async setReviewPolicy(
    projectId: string,
    policy: ReviewPolicy,
    rejectReasons?: readonly string[],
  ): Promise<ProjectInfo> {
    return this.db.transaction(async (tx) => {
      const changed = await tx.run(
        `UPDATE projects SET review_policy = ?${rejectReasons ? ', reject_reasons = ?' : ''} WHERE id = ?`,
        [JSON.stringify(policy), ...(rejectReasons ? [JSON.stringify(rejectReasons)] : []), projectId],
      );
      if (changed === 0) throw new StorageRefusal('NOT_FOUND', `no project ${projectId}`);
      return toProject(await tx.get(`SELECT ${PROJECT_COLS} FROM projects WHERE id = ?`, [projectId]));
    });
  }

  async setAuthorAssets(projectId: string, allowed: boolean): Promise<void> {
    const changed = await this.db.run('UPDATE projects SET author_assets = ? WHERE id = ?', [
      allowed ? 1 : 0,
      projectId,
    ]);
    if (changed === 0) throw new StorageRefusal('NOT_FOUND', `no project ${projectId}`);
  }

  async setGoldRate(projectId: string, rate: number): Promise<void> {
    const changed = await this.db.run('UPDATE projects SET gold_rate = ? WHERE id = ?', [rate, projectId]);
    if (changed === 0) throw new StorageRefusal('NOT_FOUND', `no project ${projectId}`);
  }

  createLot(req: Parameters<typeof createLot>[1], now: number) {
    return this.db.transaction((tx) => createLot(tx, req, now));
  }

  qualityReport(projectId: string, now: number) {
    return qualityReport(this.db, projectId, now);
  }

  consensusOf(projectId: string, now: number) {
    return refreshConsensus(this.db, projectId, now);
  }

  async getProject(id: string): Promise<ProjectInfo | undefined> {
    const r = await this.db.get(`SELECT ${PROJECT_COLS} FROM projects WHERE id = ?`, [id]);
    return r ? toProject(r) : undefined;
  }

  async listProjects(): Promise<(ProjectInfo & { taskCount: number })[]> {
    const rows = await this.db.all(
      `SELECT p.id, p.name, p.kind, p.label_config, p.config_version, p.lease_hours, p.overlap, p.review_policy, p.reject_reasons,
              (SELECT COUNT(*) FROM tasks t WHERE t.project_id = p.id) AS n
       FROM projects p ORDER BY p.name`,
    );
    return rows.map((r) => ({ ...toProject(r), taskCount: count(r) }));
  }

  async updateLabelConfig(projectId: string, labelConfig: LabelConfig, now: number): Promise<ProjectInfo> {
    return this.db.transaction(async (tx) => {
      const changed = await tx.run(
        'UPDATE projects SET label_config = ?, config_version = config_version + 1 WHERE id = ?',
        [JSON.stringify(labelConfig), projectId],
      );
      if (changed === 0) throw new StorageRefusal('NOT_FOUND', `no project ${projectId}`);
      const project = toProject(
        await tx.get(`SELECT ${PROJECT_COLS} FROM projects WHERE id = ?`, [projectId]),
      );
      const members = await tx.all('SELECT DISTINCT user_id FROM memberships WHERE project_id = ?', [
        projectId,
      ]);
      await appendFeed(
        tx,
        members.map((m) => ({
          userId: String(m.user_id),
          kind: 'config.changed' as const,
          projectId,
          data: { configVersion: project.configVersion, labelConfig },
        })),
        now,
      );
      return project;
    });
  }

  async addUser(u: { id: string; name: string; tokenHash: string }, now: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (await tx.get('SELECT 1 AS x FROM users WHERE name = ?', [u.name]))
        throw new StorageRefusal('INVALID_INPUT', `a user named "${u.name}" already exists`);
      await tx.run('INSERT INTO users (id, name, token_hash, feed_seq, created_at) VALUES (?, ?, ?, 0, ?)', [
        u.id,
        u.name,
        u.tokenHash,
        now,
      ]);
    });
  }

  async grantRole(userId: string, projectId: string, role: Role): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (
        projectId !== GLOBAL_PROJECT &&
        !(await tx.get('SELECT 1 AS x FROM projects WHERE id = ?', [projectId]))
      ) {
        throw new StorageRefusal('NOT_FOUND', `no project ${projectId}`);
      }
      await tx.run(
        'INSERT INTO memberships (user_id, project_id, role) VALUES (?, ?, ?) ON CONFLICT (user_id, project_id) DO UPDATE SET role = excluded.role',
        [userId, projectId, role],
      );
    });
  }

  private async memberships(userIds: string[]): Promise<Map<string, z.infer<typeof Membership>[]>> {
    const out = new Map<string, z.infer<typeof Membership>[]>();
    const rows =
      userIds.length === 1
        ? await this.db.all(
            'SELECT user_id, project_id, role FROM memberships WHERE user_id = ? ORDER BY project_id',
            userIds,
          )
        : await this.db.all('SELECT user_id, project_id, role FROM memberships ORDER BY project_id');
    for (const raw of rows) {
      const r = MembershipRow.parse(raw);
      out.set(r.user_id, [
        ...(out.get(r.user_id) ?? []),
        Membership.parse({ projectId: r.project_id, role: r.role }),
      ]);
    }
    return out;
  }

  async findUserByTokenHash(tokenHash: string): Promise<(UserRecord & { tokenHash: string }) | undefined> {
    const raw = await this.db.get('SELECT id, name, token_hash FROM users WHERE token_hash = ?', [tokenHash]);
    if (!raw) return undefined;
    const r = UserRow.parse(raw);
    return {
      id: r.id,
      name: r.name,
      tokenHash: r.token_hash,
      memberships: (await this.memberships([r.id])).get(r.id) ?? [],
    };
  }

  async findUserByName(name: string): Promise<UserRecord | undefined> {
    const raw = await this.db.get('SELECT id, name, token_hash FROM users WHERE name = ?', [name]);
    if (!raw) return undefined;
    const r = UserRow.parse(raw);
    return { id: r.id, name: r.name, memberships: (await this.memberships([r.id])).get(r.id) ?? [] };
  }

  async listUsers(): Promise<UserRecord[]> {
    const users = (await this.db.all('SELECT id, name, token_hash FROM users ORDER BY name')).map((r) =>
      UserRow.parse(r),
    );
    const ms = await this.memberships([]);
    return users.map((u) => ({ id: u.id, name: u.name, memberships: ms.get(u.id) ?? [] }));
  }

  claim(
    req: { userId: string; deviceId: string; projectId: string; count: number; requestId?: string },
    now: number,
  ) {
    return this.db.transaction((tx) => claimTasks(tx, this.db.dialect, req, now));
  }

  heldLeases(userId: string, deviceId: string, now: number) {
    return heldLeases(this.db, userId, deviceId, now);
  }

  claimReviews(req: ReviewLeaseRequest & { userId: string }, now: number) {
    return this.db.transaction((tx) => claimReviews(tx, this.db.dialect, req, now));
  }

  taskHistory(taskId: string) {
    return taskHistory(this.db, this.db.dialect, taskId);
  }

  push(req: PushBatch, now: number, limits?: PushLimits) {
    return this.db.transaction(async (tx) => {
      const out = await applyPush(tx, this.db.dialect, req, now);
      if (limits) await chargePush(tx, req, out, limits);
      return out;
    });
  }

  async pull(
    req: {
      userId: string;
      deviceId?: string;
      cursor: number;
      limit: number;
      leases?: 'full' | 'delta';
      leasesSince?: number;
    },
    now: number,
  ) {
    return this.db.transaction(async (tx) => {
      await expireAndRenew(tx, req.userId, req.deviceId, now);
      await renewReviewLeases(tx, req.userId, now);
      const feed = await readFeed(tx, req.userId, req.cursor, req.limit);
      const last = feed.events[feed.events.length - 1];
      const cursor = String(last ? last.seq : req.cursor);
      const device = req.deviceId;
      if (req.leases !== 'delta' || device === undefined) {
        const leases = (
          await tx.all(
            "SELECT task_id, project_id, epoch, device_id, expires_at FROM leases WHERE user_id = ? AND state = 'active' ORDER BY task_id",
            [req.userId],
          )
        ).map(leaseOf);
        return { events: feed.events, hasMore: feed.hasMore, leases, cursor };
      }
      // Delta: this device's leases are described, not listed (see PullQuery.leases).
      const mine = (
        await tx.all(
          "SELECT task_id, project_id, epoch, device_id, expires_at, granted_at FROM leases WHERE user_id = ? AND device_id = ? AND state = 'active'",
          [req.userId, device],
        )
      ).map((r) => ({ ...leaseOf(r), grantedAt: Number(r.granted_at) }));
      const since = req.leasesSince ?? -1;
      const leaseExpiry: Record<string, number> = {};
      for (const l of mine)
        leaseExpiry[l.projectId] = Math.min(leaseExpiry[l.projectId] ?? l.expiresAt, l.expiresAt);
      return {
        // This device had its grants with its lease answer.
        events: feed.events.filter((e) => !(e.kind === 'lease.granted' && e.deviceId === device)),
        hasMore: feed.hasMore,
        cursor,
        leaseMode: 'delta' as const,
        leases: mine.filter((l) => l.grantedAt >= since).map(({ grantedAt: _, ...l }) => l),
        leaseDigest: leaseSetDigest(mine),
        leaseExpiry,
        leaseMark: String(now),
      };
    });
  }

  async getAsset(sha256: string): Promise<ImageAsset | undefined> {
    const r = await this.db.get(
      'SELECT sha256, mime, bytes, width, height, file_name AS "fileName" FROM assets WHERE sha256 = ?',
      [sha256],
    );
    return r
      ? ImageAsset.parse({ ...r, bytes: Number(r.bytes), width: Number(r.width), height: Number(r.height) })
      : undefined;
  }

  async canReadAsset(userId: string, sha256: string, now: number): Promise<boolean> {
    const r = await this.db.get(
      `SELECT 1 AS x FROM tasks t WHERE t.asset_sha256 = ? AND (
         EXISTS (SELECT 1 FROM leases l WHERE l.task_id = t.id AND l.user_id = ? AND l.state = 'active' AND l.expires_at > ?)
         OR EXISTS (SELECT 1 FROM reviews r WHERE r.task_id = t.id AND r.reviewer_id = ? AND r.status = 'pending' AND r.expires_at > ?)
         OR EXISTS (SELECT 1 FROM submissions s JOIN projects p ON p.id = t.project_id
                    WHERE s.task_id = t.id AND s.user_id = ? AND p.author_assets = 1)
         OR EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = ? AND m.role IN (${sqlRoleList(ROLES_THAT.review)})
                    AND (m.project_id = t.project_id OR m.project_id = ?)))
       LIMIT 1`,
      [sha256, userId, now, userId, now, userId, userId, GLOBAL_PROJECT],
    );
    return r !== undefined;
  }

  recordActivity(
    req: { userId: string; chainId: string; links: ActivityPushRequest['links'] },
    now: number,
  ): Promise<ActivityPushResponse> {
    return recordActivity(this.db, req, now);
  }

  activityFlags(projectId: string, range?: ActivityFlagsQuery): Promise<ActivityFlag[]> {
    return activityFlags(this.db, projectId, range);
  }

  teamMetrics(projectId: string, q: TeamMetricsQuery, userId?: string): Promise<TeamMetrics> {
    return teamMetrics(this.db, projectId, q, userId);
  }

  teamOutcomeRows(projectId: string, q: TeamMetricsQuery): Promise<TeamOutcomeRow[]> {
    return teamOutcomeRows(this.db, projectId, q);
  }

  teamOutcomePage(
    projectId: string,
    q: TeamMetricsQuery,
    page: { after?: string; limit: number; userId?: string },
  ): Promise<{ rows: TeamOutcomeRow[]; next: string | null }> {
    return teamOutcomePage(this.db, projectId, q, page);
  }

  progress(projectId: string, now: number): Promise<ProjectProgress> {
    return projectProgress(this.db, projectId, now);
  }

  async submissions(taskId: string): Promise<StoredSubmission[]> {
    const rows = await this.db.all(
      'SELECT id, task_id, project_id, user_id, lease_epoch, conflict, superseded, received_at, annotation FROM submissions WHERE task_id = ? ORDER BY received_at, id',
      [taskId],
    );
    return rows.map((r) => ({
      id: String(r.id),
      taskId: String(r.task_id),
      projectId: String(r.project_id),
      userId: String(r.user_id),
      leaseEpoch: Number(r.lease_epoch),
      conflict: Number(r.conflict) === 1,
      superseded: Number(r.superseded) === 1,
      receivedAt: Number(r.received_at),
      ...readStoredAnnotation(String(r.annotation)),
    }));
  }

  async addPredictions(projectId: string, add: ReadonlyMap<string, Prediction[]>): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const part of chunks([...add.keys()], 500)) {
        const rows = await tx.all(
          `SELECT id, predictions FROM tasks WHERE project_id = ? AND ${inList(this.db.dialect, 'id')}`,
          [projectId, listParam(this.db.dialect, part)],
        );
        if (rows.length !== part.length)
          throw new StorageRefusal('NOT_FOUND', `some tasks are not in project ${projectId}`);
        for (const r of rows) {
          const before = JSON.parse(String(r.predictions)) as unknown[];
          await tx.run('UPDATE tasks SET predictions = ? WHERE id = ?', [
            JSON.stringify([...before, ...(add.get(String(r.id)) ?? [])]),
            String(r.id),
          ]);
        }
      }
    });
  }

  exportPage(projectId: string, afterId: string | undefined, limit: number, filter: ExportFilter) {
    return readExportPage(this.db, projectId, afterId, limit, filter);
  }

  async taskCount(projectId: string): Promise<number> {
    return count(await this.db.get('SELECT COUNT(*) AS n FROM tasks WHERE project_id = ?', [projectId]));
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/** Inserts a project's tasks (seq after `afterSeq`) and their images. */
const insertTasks = async (
  tx: SqlExecutor,
  projectId: string,
  batch: string,
  afterSeq: number,
  tasks: readonly NewTask[],
  assets: readonly ImageAsset[],
  gold = false,
): Promise<void> => {
  for (const a of assets) {
    await tx.run(
      'INSERT INTO assets (sha256, mime, bytes, width, height, file_name) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING',
      [a.sha256, a.mime, a.bytes, a.width, a.height, a.fileName],
    );
  }
  let seq = afterSeq;
  for (const part of chunks(tasks, 300)) {
    const params = part.flatMap((t) => [
      t.task.id,
      projectId,
      ++seq,
      JSON.stringify(t.task.data),
      JSON.stringify(t.task.predictions),
      JSON.stringify(t.task.meta),
      t.assetSha256 ?? null,
      batch,
      gold ? 1 : 0,
    ]);
    await tx.run(
      `INSERT INTO tasks (id, project_id, seq, data, predictions, meta, asset_sha256, batch, gold) VALUES ${valuesRows(part.length, 9)}`,
      params,
    );
  }
};

/** A stored annotation as a reply may carry it, or why it cannot (StoredSubmission.unreadable). */
const readStoredAnnotation = (text: string): { annotation: unknown; unreadable?: string } => {
  let annotation: unknown;
  try {
    annotation = JSON.parse(text);
  } catch {
    return { annotation: null, unreadable: 'the stored annotation is not JSON' };
  }
  if (tooDeepAt(annotation, MAX_ANNOTATION_DEPTH))
    return {
      annotation: null,
      unreadable: `the stored annotation is nested deeper than ${MAX_ANNOTATION_DEPTH} levels (${text.length} characters kept in the database)`,
    };
  return { annotation };
};
