import { type TaskFigures, type TaskJob, type TaskRow, taskRowOf } from './quality-task';
import { qualityThreads } from './quality-threads';
import type { SqlDriver, SqlExecutor } from './driver';
import { chunks, inList, insertRows, listParam } from './sql-util';
import { orderedMap } from '../threads/pool';

/**
 * The per-task quality record (table `consensus`, issue 12.4/12.5): for every task with two or
 * more standing submissions, or with an accepted version, the consensus annotation and the
 * figures agreement is summed from. A row is recomputed only when its `sig` — the task's
 * standing submissions and the review state of its accepted version — has changed, so a report
 * reads the cache and pays only for what moved. `status`: `agreed` (consensus taken),
 * `review` (a tie or low agreement: sent to a reviewer), `resolved` (a reviewer accepted or
 * fixed a version, which `annotation` then holds), `single` (one submission, accepted version
 * only). Export reads `annotation` of `agreed` and `resolved` rows (see src/hub/README.md).
 */

interface TaskInput {
  taskId: string;
  subs: { id: string; userId: string }[];
  /** The accepted version: a submission accepted as is, or a reviewer's fix (verdict id). */
  ref?: { kind: 'accepted' | 'fixed'; submissionId: string; authorId: string; verdictId: string };
  sig: string;
}

const CONSENSUS_COLS = [
  ['task_id', 'text'],
  ['project_id', 'text'],
  ['sig', 'text'],
  ['k', 'int'],
  ['status', 'text'],
  ['annotation', 'doc'],
  ['reasons', 'doc'],
  ['figures', 'doc'],
  ['computed_at', 'int'],
] as const;

/**
 * What a project's per-task rows depend on, in one cheap read: submissions only ever get added or
 * flagged (superseded, conflict) and review items only get decided, so equal marks mean nothing
 * the rows were computed from has changed.
 */
const changeMark = async (db: SqlDriver, projectId: string): Promise<string> => {
  const s = await db.get(
    'SELECT COUNT(*) AS n, SUM(superseded) AS sup, SUM(conflict) AS con, MAX(received_at) AS last FROM submissions WHERE project_id = ?',
    [projectId],
  );
  const r = await db.get(
    "SELECT COUNT(*) AS n, MAX(decided_at) AS last FROM reviews WHERE project_id = ? AND status <> 'pending'",
    [projectId],
  );
  return JSON.stringify(
    [s?.n, s?.sup, s?.con, s?.last, r?.n, r?.last].map((v) => (v === null ? null : String(v))),
  );
};

/** Per driver (one database), the mark each project's rows were last brought up to date at. */
const upToDate = new WeakMap<SqlDriver, Map<string, string>>();

/**
 * Brings the project's per-task quality rows up to date; returns how many were recomputed, the
 * figures of those (by task id: what was just stored, so a report need not read it back) and the
 * change mark the rows are now up to date with (equal marks: the same rows).
 */
export const refreshConsensusMarked = async (
  db: SqlDriver,
  projectId: string,
  now: number,
): Promise<{ recomputed: number; fresh: ReadonlyMap<string, TaskFigures>; mark: string }> => {
  const mark = await changeMark(db, projectId);
  const marks = upToDate.get(db) ?? new Map<string, string>();
  upToDate.set(db, marks);
  if (marks.get(projectId) === mark) return { recomputed: 0, fresh: new Map(), mark };
  const fresh = await recompute(db, projectId, now);
  marks.set(projectId, mark);
  return { recomputed: fresh.size, fresh, mark };
};

/** Brings the project's per-task quality rows up to date; returns how many were recomputed. */
export const refreshConsensus = async (db: SqlDriver, projectId: string, now: number): Promise<number> =>
  (await refreshConsensusMarked(db, projectId, now)).recomputed;

/** Tasks a chunk holds (a quality thread's job: a few MB of annotation text). */
const CHUNK = 500;

/** A chunk's jobs: each task's submission texts (and the accepted version's), read by task. */
const jobsOf = async (db: SqlDriver, part: readonly TaskInput[]): Promise<TaskJob[]> => {
  const texts = new Map<string, string>();
  // By task (indexed), not by submission id (not indexed on its own: a scan per chunk, which
  // made this read grow with the square of the project's size).
  for (const r of await db.all(
    `SELECT id, user_id, annotation FROM submissions WHERE ${inList(db.dialect, 'task_id')}`,
    [
      listParam(
        db.dialect,
        part.map((t) => t.taskId),
      ),
    ],
  ))
    texts.set(`${String(r.id)}\u0000${String(r.user_id)}`, String(r.annotation));
  const fixes = new Map<string, string>();
  const verdictIds = part.flatMap((t) => (t.ref?.kind === 'fixed' ? [t.ref.verdictId] : []));
  if (verdictIds.length > 0)
    for (const r of await db.all(`SELECT id, annotation FROM verdicts WHERE ${inList(db.dialect, 'id')}`, [
      listParam(db.dialect, verdictIds),
    ]))
      fixes.set(String(r.id), String(r.annotation));
  return part.map((t) => {
    const ref =
      t.ref === undefined
        ? undefined
        : t.ref.kind === 'fixed'
          ? fixes.get(t.ref.verdictId)
          : texts.get(`${t.ref.submissionId}\u0000${t.ref.authorId}`);
    // A missing text reads as unreadable (left out), as a stored one that does not parse.
    const subs = t.subs.map((s) => ({ userId: s.userId, text: texts.get(`${s.id}\u0000${s.userId}`) ?? '' }));
    return ref === undefined ? { subs } : { subs, ref };
  });
};

/** Recomputes the stale rows; returns their figures by task id. */
const recompute = async (
  db: SqlDriver,
  projectId: string,
  now: number,
): Promise<Map<string, TaskFigures>> => {
  const tasks = new Map<string, TaskInput>();
  for (const r of await db.all(
    // From submissions_quality alone, in its order; gold tasks (few, from tasks_gold) left out
    // by one set lookup a row rather than a join that reads each task's row.
    `SELECT id, task_id, user_id FROM submissions
     WHERE project_id = ? AND superseded = 0 AND conflict = 0
       AND task_id NOT IN (SELECT id FROM tasks WHERE project_id = ? AND gold = 1)
     ORDER BY task_id, user_id, id`,
    [projectId, projectId],
  )) {
    const taskId = String(r.task_id);
    const t = tasks.get(taskId) ?? { taskId, subs: [], sig: '' };
    t.subs.push({ id: String(r.id), userId: String(r.user_id) });
    tasks.set(taskId, t);
  }
  for (const r of await db.all(
    `SELECT task_id, submission_id, author_id, status, verdict_id FROM reviews
     WHERE project_id = ? AND status IN ('accepted', 'fixed') AND verdict_id IS NOT NULL ORDER BY decided_at, submission_id`,
    [projectId],
  )) {
    const t = tasks.get(String(r.task_id));
    if (t)
      t.ref = {
        kind: r.status === 'fixed' ? 'fixed' : 'accepted',
        submissionId: String(r.submission_id),
        authorId: String(r.author_id),
        verdictId: String(r.verdict_id),
      };
  }
  const cached = new Map(
    (await db.all('SELECT task_id, sig FROM consensus WHERE project_id = ?', [projectId])).map((r) => [
      String(r.task_id),
      String(r.sig),
    ]),
  );
  // A row whose task no longer has two standing submissions or an accepted version (a reviewer
  // rejected one of two: it stops standing) is dropped, not left to count and export.
  const gone = [...cached.keys()].filter((id) => {
    const t = tasks.get(id);
    return !t || (t.subs.length < 2 && !t.ref);
  });
  const stale: TaskInput[] = [];
  for (const t of tasks.values()) {
    if (t.subs.length < 2 && !t.ref) continue;
    t.sig = `${t.subs.map((s) => `${s.id}/${s.userId}`).join(',')}|${t.ref ? `${t.ref.kind}:${t.ref.verdictId}` : ''}`;
    if (cached.get(t.taskId) !== t.sig) stale.push(t);
  }
  // Computed chunk by chunk (bounded reads) — on quality threads when there are several chunks,
  // while this thread reads the next ones — and written in one transaction: one durable commit
  // instead of one per chunk (each a fsync on SQLite, a round trip on PostgreSQL).
  const written: { part: TaskInput[]; rows: unknown[][]; figures: TaskFigures[] }[] = [];
  const fresh = new Map<string, TaskFigures>();
  const parts = chunks(stale, CHUNK);
  const threads = parts.length > 1 ? qualityThreads() : null;
  const read = async function* () {
    for (const part of parts) yield { part, jobs: await jobsOf(db, part) };
  };
  const compute = async ({ part, jobs }: { part: TaskInput[]; jobs: TaskJob[] }) => ({
    part,
    // A thread that failed (stopped, out of memory): the chunk is computed here instead.
    rows: threads ? await threads.run(jobs).catch(() => jobs.map(taskRowOf)) : jobs.map(taskRowOf),
  });
  try {
    for await (const { part, rows } of orderedMap(read(), compute, threads?.ahead ?? 1)) {
      const figuresOf = rows.map((r) => JSON.parse(r.figures) as TaskFigures);
      part.forEach((t, i) => fresh.set(t.taskId, figuresOf[i]!));
      written.push({
        part,
        rows: rows.map((r: TaskRow, i) => [
          part[i]!.taskId,
          projectId,
          part[i]!.sig,
          r.k,
          r.status,
          r.annotation,
          r.reasons,
          r.figures,
          now,
        ]),
        figures: figuresOf,
      });
    }
  } finally {
    await threads?.close();
  }
  if (written.length > 0 || gone.length > 0)
    await db.transaction(async (tx) => {
      for (const part of chunks(gone, 1000))
        await tx.run(`DELETE FROM consensus WHERE ${inList(tx.dialect, 'task_id')}`, [
          listParam(tx.dialect, part),
        ]);
      for (const { part, rows, figures } of written) {
        await tx.run(`DELETE FROM consensus WHERE ${inList(tx.dialect, 'task_id')}`, [
          listParam(
            tx.dialect,
            part.map((t) => t.taskId),
          ),
        ]);
        await insertRows(tx, 'consensus', CONSENSUS_COLS, rows);
        const review = part.flatMap((_, i) => (rows[i]![4] === 'review' ? [i] : []));
        await sendToReviewer(
          tx,
          projectId,
          review.map((i) => part[i]!),
          review.map((i) => figures[i]!),
          now,
        );
      }
    });
  return fresh;
};

const REVIEW_COLS = [
  ['submission_id', 'text'],
  ['task_id', 'text'],
  ['project_id', 'text'],
  ['batch', 'text'],
  ['author_id', 'text'],
  ['status', 'text'],
  ['created_at', 'int'],
  ['pos', 'int'],
] as const;

/**
 * A tie or low agreement goes to a reviewer: the task's most central submission (the highest
 * summed agreement with the others) becomes a review item, unless one of its submissions
 * already has one. The reviewer's accept or fix then stands as the task's accepted version.
 */
const sendToReviewer = async (
  tx: SqlExecutor,
  projectId: string,
  tasks: readonly TaskInput[],
  figures: readonly TaskFigures[],
  now: number,
): Promise<void> => {
  if (tasks.length === 0) return;
  const subIds = tasks.flatMap((t) => t.subs.map((s) => s.id));
  const reviewed = new Set(
    (
      await tx.all(`SELECT task_id FROM reviews WHERE ${inList(tx.dialect, 'submission_id')}`, [
        listParam(tx.dialect, subIds),
      ])
    ).map((r) => String(r.task_id)),
  );
  const batches = new Map(
    (
      await tx.all(`SELECT id, batch FROM tasks WHERE ${inList(tx.dialect, 'id')}`, [
        listParam(
          tx.dialect,
          tasks.map((t) => t.taskId),
        ),
      ])
    ).map((r) => [String(r.id), String(r.batch)]),
  );
  const rows: unknown[][] = [];
  tasks.forEach((t, i) => {
    if (reviewed.has(t.taskId)) return;
    const sum = new Map<string, number>();
    for (const p of figures[i]!.pairs) {
      sum.set(p.a, (sum.get(p.a) ?? 0) + (p.score ?? 0));
      sum.set(p.b, (sum.get(p.b) ?? 0) + (p.score ?? 0));
    }
    const central = [...t.subs].sort((x, y) => (sum.get(y.userId) ?? 0) - (sum.get(x.userId) ?? 0))[0];
    if (central)
      rows.push([
        central.id,
        t.taskId,
        projectId,
        batches.get(t.taskId) ?? 'default',
        central.userId,
        'pending',
        now,
        rows.length,
      ]);
  });
  await insertRows(tx, 'reviews', REVIEW_COLS, rows);
};
