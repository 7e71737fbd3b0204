import type { TaskSummary } from '../../../shared/contract';
import { z } from 'zod';
import {
  TaskData,
  TaskStatus,
  type Annotation,
  type Draft,
  type Project,
  type Submission,
  type Task,
} from '../../../shared/model';
import type { Db } from '../db/open';
import {
  DraftRow,
  ProjectRow,
  SubmissionRow,
  TaskRow,
  TaskSummaryRow,
  jsonColumn,
  parseRow,
} from '../db/rows';

export type StoredTask = {
  task: Task;
  seq: number;
  status: TaskStatus;
  title: string;
  leaseExpiresAt: number | null;
  updatedAt: number;
  finishedAt: number | null;
};

export type NewTask = {
  task: Task;
  title: string;
  /** New tasks start unfinished (the schema ties finished_at to submitted/skipped). */
  status?: 'queued' | 'in_progress';
  leaseExpiresAt?: number | null;
  hubTaskId?: string | null;
};

export type ListFilter = {
  projectId?: string | undefined;
  status?: TaskStatus[] | undefined;
  search?: string | undefined;
  limit: number;
  offset: number;
};

const SUMMARY_COLUMNS = `t.id, t.project_id, t.kind, t.title, t.status, t.updated_at, t.finished_at,
  t.lease_expires_at, EXISTS (SELECT 1 FROM drafts d WHERE d.task_id = t.id) AS has_draft`;

const DraftActiveRow = z.object({
  task_id: z.string(),
  active_ms: z.number().int().nonnegative().nullable(),
});
const TaskStateRow = z.object({ id: z.string(), status: TaskStatus });
const TaskDataRow = z.object({ id: z.string(), data: jsonColumn(TaskData) });

/** A queue row before its delivery record is joined in (`QueueService` adds it). */
export type RowSummary = Omit<TaskSummary, 'delivery'>;

const toSummary = (raw: unknown): RowSummary => {
  const r = parseRow(TaskSummaryRow, 'tasks', raw);
  return {
    id: r.id,
    projectId: r.project_id,
    kind: r.kind,
    title: r.title,
    status: r.status,
    updatedAt: r.updated_at,
    submittedAt: r.status === 'submitted' ? r.finished_at : null,
    leaseExpiresAt: r.lease_expires_at,
    hasDraft: r.has_draft,
  };
};

/** A project from its parsed row's columns (the local projects table, and review_projects). */
export const projectOfRow = (
  r: Pick<z.infer<typeof ProjectRow>, 'id' | 'name' | 'kind' | 'label_config' | 'lease_hours' | 'overlap'>,
): Project => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  labelConfig: r.label_config,
  leaseHours: r.lease_hours,
  overlap: r.overlap,
});

const toProject = (raw: unknown): Project => projectOfRow(parseRow(ProjectRow, 'projects', raw));

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
};

/** Escapes LIKE wildcards so a search for "50%" means the characters, not a pattern. */
const likePattern = (s: string): string => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The queue list's SQL: filters joined from fixed fragments, every value bound. */
export const listQuery = (
  filter: ListFilter,
): { sql: string; params: (string | number)[]; countSql: string; countParams: (string | number)[] } => {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.projectId !== undefined) {
    where.push('t.project_id = ?');
    params.push(filter.projectId);
  }
  if (filter.status !== undefined && filter.status.length > 0) {
    where.push(`t.status IN (${filter.status.map(() => '?').join(', ')})`);
    params.push(...filter.status);
    // Open statuses imply finished_at IS NULL (a table CHECK); saying so lets a per-project list
    // use the per-project index, which holds open tasks only.
    if (filter.projectId !== undefined && filter.status.every((s) => s === 'queued' || s === 'in_progress')) {
      where.push('t.finished_at IS NULL');
    }
  }
  const search = filter.search?.trim();
  if (search) {
    where.push("(t.title LIKE ? ESCAPE '\\' OR t.id LIKE ? ESCAPE '\\')");
    params.push(likePattern(search), likePattern(search));
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  return {
    sql: `SELECT ${SUMMARY_COLUMNS} FROM tasks t ${clause} ORDER BY t.seq LIMIT ? OFFSET ?`,
    params: [...params, filter.limit, filter.offset],
    countSql: `SELECT count(*) AS n FROM tasks t ${clause}`,
    countParams: params,
  };
};

/** Every fixed statement of the queue, named; tests run EXPLAIN QUERY PLAN on these very strings. */
export const SQL = {
  project: 'SELECT * FROM projects WHERE id = ?',
  projects: 'SELECT * FROM projects ORDER BY created_at, rowid',
  task: 'SELECT * FROM tasks WHERE id = ?',
  // The write paths read a task's status on every call but its data (a whole text document for
  // text tasks) only to check spans: two statements, so a save never copies the text it ignores.
  taskState: 'SELECT id, status FROM tasks WHERE id = ?',
  projectOf: 'SELECT project_id FROM tasks WHERE id = ?',
  taskData: 'SELECT id, data FROM tasks WHERE id = ?',
  firstOfStatus: 'SELECT id FROM tasks WHERE status = ? ORDER BY seq LIMIT 1',
  // Only called with open statuses; `finished_at IS NULL` (implied by them) lets the planner use
  // the per-project index, which holds open tasks only.
  firstOfStatusInProject:
    'SELECT id FROM tasks WHERE project_id = ? AND status = ? AND finished_at IS NULL ORDER BY seq LIMIT 1',
  setStatus: 'UPDATE tasks SET status = ?, updated_at = ?, finished_at = ? WHERE id = ?',
  touch: 'UPDATE tasks SET updated_at = ? WHERE id = ?',
  draft: 'SELECT * FROM drafts WHERE task_id = ?',
  // active_ms is NULL only on drafts saved before schema v4; only those have their JSON parsed.
  draftActiveMs:
    "SELECT coalesce(active_ms, json_extract(annotation, '$.activeMs')) AS active_ms FROM drafts WHERE task_id = ?",
  upsertDraft: `INSERT INTO drafts (task_id, annotation, saved_at, active_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (task_id) DO UPDATE SET annotation = excluded.annotation, saved_at = excluded.saved_at,
           active_ms = excluded.active_ms`,
  // Submit removes the draft and needs its active time: one statement does both.
  takeDraftActiveMs:
    "DELETE FROM drafts WHERE task_id = ? RETURNING coalesce(active_ms, json_extract(annotation, '$.activeMs')) AS active_ms",
  // seq is insertion order, so the last one made wins even when two share a millisecond.
  lastSubmission: 'SELECT * FROM submissions WHERE task_id = ? ORDER BY seq DESC LIMIT 1',
  insertSubmission: 'INSERT INTO submissions (id, task_id, annotation, submitted_at) VALUES (?, ?, ?, ?)',
  history: `SELECT ${SUMMARY_COLUMNS} FROM tasks t WHERE t.finished_at IS NOT NULL
         ORDER BY t.finished_at DESC, t.seq DESC LIMIT ?`,
  counts: "SELECT substr(key, 7) AS status, n FROM counters WHERE key BETWEEN 'tasks.' AND 'tasks.~'",
  // `+status` keeps the planner off the status index (all submitted tasks ever) and on the
  // finished_at range (today's few).
  finishedSince: 'SELECT count(*) AS n FROM tasks WHERE finished_at >= ? AND +status = ?',
  insertProject: `INSERT INTO projects (id, name, kind, label_config, lease_hours, overlap, hub_project_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  insertTask: `INSERT INTO tasks (id, project_id, kind, title, status, data, predictions, meta, lease_expires_at,
           hub_task_id, created_at, updated_at, finished_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
  countProjects: 'SELECT count(*) AS n FROM projects',
} as const;

/** The queue's SQL, one prepared statement per query, every value bound. */
export class QueueRepo {
  private readonly s;
  private readonly projectCache = new Map<string, { key: string; project: Project }>();

  constructor(readonly db: Db) {
    this.s = {
      project: db.prepare<[string]>(SQL.project),
      projects: db.prepare<[]>(SQL.projects),
      task: db.prepare<[string]>(SQL.task),
      taskState: db.prepare<[string]>(SQL.taskState),
      projectOf: db.prepare<[string], { project_id: string }>(SQL.projectOf),
      taskData: db.prepare<[string]>(SQL.taskData),
      firstOfStatus: db.prepare<[TaskStatus], { id: string }>(SQL.firstOfStatus),
      firstOfStatusInProject: db.prepare<[string, 'queued' | 'in_progress'], { id: string }>(
        SQL.firstOfStatusInProject,
      ),
      setStatus: db.prepare<[TaskStatus, number, number | null, string]>(SQL.setStatus),
      touch: db.prepare<[number, string]>(SQL.touch),
      draft: db.prepare<[string]>(SQL.draft),
      draftActiveMs: db.prepare<[string]>(SQL.draftActiveMs),
      upsertDraft: db.prepare<[string, string, number, number]>(SQL.upsertDraft),
      takeDraftActiveMs: db.prepare<[string]>(SQL.takeDraftActiveMs),
      lastSubmission: db.prepare<[string]>(SQL.lastSubmission),
      insertSubmission: db.prepare<[string, string, string, number]>(SQL.insertSubmission),
      history: db.prepare<[number]>(SQL.history),
      counts: db.prepare<[], { status: TaskStatus; n: number }>(SQL.counts),
      finishedSince: db.prepare<[number, TaskStatus], { n: number }>(SQL.finishedSince),
      insertProject: db.prepare<[string, string, string, string, number, number, string | null, number]>(
        SQL.insertProject,
      ),
      insertTask: db.prepare<
        [
          string,
          string,
          string,
          string,
          TaskStatus,
          string,
          string,
          string,
          number | null,
          string | null,
          number,
          number,
        ]
      >(SQL.insertTask),
      countProjects: db.prepare<[], { n: number }>(SQL.countProjects),
    };
  }

  /**
   * A project, parsed. Parsing a label config costs more than the rest of opening a task, so the
   * parse is reused while the row's raw text is unchanged (sync may rewrite it at any time). The
   * shared object is frozen, so no caller can change another's copy.
   */
  project(id: string): Project | null {
    const raw = this.s.project.get(id);
    if (raw === undefined) return null;
    const key = Object.values(raw as Record<string, unknown>).join('\u0001');
    const hit = this.projectCache.get(id);
    if (hit && hit.key === key) return hit.project;
    const project = deepFreeze(toProject(raw));
    this.projectCache.set(id, { key, project });
    return project;
  }

  projects(): Project[] {
    return this.s.projects.all().map(toProject);
  }

  projectCount(): number {
    return this.s.countProjects.get()?.n ?? 0;
  }

  task(id: string): StoredTask | null {
    const raw = this.s.task.get(id);
    if (raw === undefined) return null;
    const r = parseRow(TaskRow, 'tasks', raw);
    return {
      task: { id: r.id, projectId: r.project_id, data: r.data, predictions: r.predictions, meta: r.meta },
      seq: r.seq,
      status: r.status,
      title: r.title,
      leaseExpiresAt: r.lease_expires_at,
      updatedAt: r.updated_at,
      finishedAt: r.finished_at,
    };
  }

  /**
   * Just a task's status, with its data parsed only if asked: the write paths need the status on
   * every call but the data only to check spans.
   */
  /** The project of a task (without parsing the task). */
  projectIdOf(id: string): string | null {
    return this.s.projectOf.get(id)?.project_id ?? null;
  }

  taskState(id: string): { status: TaskStatus; data: () => TaskData } | null {
    const raw = this.s.taskState.get(id);
    if (raw === undefined) return null;
    const r = parseRow(TaskStateRow, 'tasks', raw);
    return {
      status: r.status,
      data: () => parseRow(TaskDataRow, 'tasks', this.s.taskData.get(id) ?? { id }).data,
    };
  }

  /** The oldest open task of a status (queue order), optionally within one project. */
  firstOfStatus(status: 'queued' | 'in_progress', projectId?: string): string | null {
    const row = projectId
      ? this.s.firstOfStatusInProject.get(projectId, status)
      : this.s.firstOfStatus.get(status);
    return row?.id ?? null;
  }

  setStatus(id: string, status: TaskStatus, at: number): void {
    const finished = status === 'submitted' || status === 'skipped' ? at : null;
    this.s.setStatus.run(status, at, finished, id);
  }

  touch(id: string, at: number): void {
    this.s.touch.run(at, id);
  }

  draft(taskId: string): Draft | null {
    const raw = this.s.draft.get(taskId);
    if (raw === undefined) return null;
    const r = parseRow(DraftRow, 'drafts', raw);
    return { taskId: r.task_id, annotation: r.annotation, savedAt: r.saved_at };
  }

  /** The active time recorded in a task's draft, without parsing the whole annotation. */
  draftActiveMs(taskId: string): number | null {
    const raw = this.s.draftActiveMs.get(taskId);
    if (raw === undefined) return null;
    return parseRow(DraftActiveRow, 'drafts', { task_id: taskId, ...(raw as object) }).active_ms ?? 0;
  }

  saveDraft(taskId: string, annotation: Annotation, at: number): void {
    this.s.upsertDraft.run(taskId, JSON.stringify(annotation), at, Math.trunc(annotation.activeMs));
  }

  /** Deletes a task's draft; returns the active time it recorded (null without a draft). */
  takeDraftActiveMs(taskId: string): number | null {
    const raw = this.s.takeDraftActiveMs.get(taskId);
    if (raw === undefined) return null;
    return parseRow(DraftActiveRow, 'drafts', { task_id: taskId, ...(raw as object) }).active_ms ?? 0;
  }

  lastSubmission(taskId: string): Submission | null {
    const raw = this.s.lastSubmission.get(taskId);
    if (raw === undefined) return null;
    const r = parseRow(SubmissionRow, 'submissions', raw);
    return { id: r.id, taskId: r.task_id, annotation: r.annotation, submittedAt: r.submitted_at };
  }

  /** Stores a submission (its annotation as JSON text); returns its seq (the outbox row of the submit names it). */
  insertSubmission(s: Omit<Submission, 'annotation'> & { annotationJson: string }): number {
    return Number(
      this.s.insertSubmission.run(s.id, s.taskId, s.annotationJson, s.submittedAt).lastInsertRowid,
    );
  }

  history(limit: number): RowSummary[] {
    return this.s.history.all(limit).map(toSummary);
  }

  statusCounts(): Record<TaskStatus, number> {
    const out: Record<TaskStatus, number> = { queued: 0, in_progress: 0, submitted: 0, skipped: 0 };
    for (const r of this.s.counts.all()) out[r.status] = r.n;
    return out;
  }

  finishedSince(status: 'submitted' | 'skipped', since: number): number {
    return this.s.finishedSince.get(since, status)?.n ?? 0;
  }

  /** The queue list and its total, in one read transaction so they agree. */
  list(filter: ListFilter): { items: RowSummary[]; total: number } {
    const q = listQuery(filter);
    return this.db
      .transaction(() => {
        const items = this.db
          .prepare(q.sql)
          .all(...q.params)
          .map(toSummary);
        const total = (this.db.prepare(q.countSql).get(...q.countParams) as { n: number }).n;
        return { items, total };
      })
      .deferred();
  }

  insertProject(p: Project, at: number, hubProjectId: string | null = null): void {
    this.s.insertProject.run(
      p.id,
      p.name,
      p.kind,
      JSON.stringify(p.labelConfig),
      p.leaseHours,
      p.overlap,
      hubProjectId,
      at,
    );
  }

  insertTask(t: NewTask, at: number): void {
    this.s.insertTask.run(
      t.task.id,
      t.task.projectId,
      t.task.data.kind,
      t.title,
      t.status ?? 'queued',
      JSON.stringify(t.task.data),
      JSON.stringify(t.task.predictions),
      JSON.stringify(t.task.meta),
      t.leaseExpiresAt ?? null,
      t.hubTaskId ?? null,
      at,
      at,
    );
  }
}
