import type { TeamOutcomeRow } from '../../shared/metrics';
import type { TeamMember, TeamMetrics, TeamMetricsQuery } from '../../shared/sync';
import type { SqlExecutor } from './driver';
import { teamQuality } from './team-quality';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Type-7 quantile as an aggregate over rows numbered `i` (0-based, by active_ms) of `n` in their
 * partition: the value at rank (n−1)·p, interpolated with the next. Integer arithmetic only, so
 * SQLite and PostgreSQL agree with `quantile` in src/shared/metrics; p = num/den.
 */
const quantileSql = (num: number, den: number): string => {
  const lo = `((n - 1) * ${num} / ${den})`;
  const frac = `(((n - 1) * ${num} % ${den}) * 1.0 / ${den})`;
  return `SUM(CASE WHEN sub = 1 AND i = ${lo} THEN active_ms * (1 - ${frac})
                   WHEN sub = 1 AND i = ${lo} + 1 THEN active_ms * ${frac} ELSE 0 END)`;
};

/** The submissions and skips of a project in a range (and batch, and user), as SQL. */
const outcomeFilter = (
  projectId: string,
  q: TeamMetricsQuery,
  userId?: string,
): { where: string; params: (string | number)[] } => ({
  where: [
    'project_id = ?',
    "kind IN ('task.submitted', 'task.skipped')",
    'at >= ?',
    'at < ?',
    ...(q.batch !== undefined ? ['batch = ?'] : []),
    ...(userId !== undefined ? ['user_id = ?'] : []),
  ].join(' AND '),
  params: [
    projectId,
    q.from,
    q.to,
    ...(q.batch !== undefined ? [q.batch] : []),
    ...(userId !== undefined ? [userId] : []),
  ],
});

/** Where a page of rows ends: `at:seq:chainId` of its last row (ordered by at, chain, seq). */
const cursorOf = (at: number, seq: number, chainId: string): string => `${at}:${seq}:${chainId}`;
const parseCursor = (c: string): { at: number; seq: number; chainId: string } => {
  const [at, seq, ...chain] = c.split(':');
  return { at: Number(at), seq: Number(seq), chainId: chain.join(':') };
};

/**
 * The raw rows behind `teamMetrics`, oldest first (the same filter, so they add up to it), a
 * page at a time when `page` is given: `next` continues after the page's last row.
 */
export const teamOutcomePage = async (
  db: SqlExecutor,
  projectId: string,
  q: TeamMetricsQuery,
  page: { after?: string; limit?: number; userId?: string } = {},
): Promise<{ rows: TeamOutcomeRow[]; next: string | null }> => {
  const { where, params } = outcomeFilter(projectId, q, page.userId);
  const after = page.after !== undefined ? parseCursor(page.after) : null;
  const rows = await db.all(
    `SELECT a.user_id, u.name, a.task_id, a.project_id, a.batch, a.kind, a.at, a.active_ms, a.wall_ms, a.chain_id, a.seq
       FROM (SELECT * FROM activity_links WHERE ${where}${
         after ? ' AND (at > ? OR (at = ? AND (chain_id > ? OR (chain_id = ? AND seq > ?))))' : ''
       }) a JOIN users u ON u.id = a.user_id
      ORDER BY a.at, a.chain_id, a.seq${page.limit !== undefined ? ` LIMIT ${page.limit + 1}` : ''}`,
    [...params, ...(after ? [after.at, after.at, after.chainId, after.chainId, after.seq] : [])],
  );
  const more = page.limit !== undefined && rows.length > page.limit;
  const kept = more ? rows.slice(0, page.limit) : rows;
  const last = kept[kept.length - 1];
  return {
    rows: kept.map((r) => ({
      userId: String(r.user_id),
      name: String(r.name),
      taskId: String(r.task_id),
      projectId: String(r.project_id),
      batch: r.batch === null || r.batch === undefined ? null : String(r.batch),
      kind: r.kind === 'task.submitted' ? 'submitted' : 'skipped',
      at: Number(r.at),
      activeMs: Number(r.active_ms),
      wallMs: Number(r.wall_ms),
    })),
    next: more && last ? cursorOf(Number(last.at), Number(last.seq), String(last.chain_id)) : null,
  };
};

/** Every raw row behind `teamMetrics` at once (the CLI). */
export const teamOutcomeRows = async (
  db: SqlExecutor,
  projectId: string,
  q: TeamMetricsQuery,
): Promise<TeamOutcomeRow[]> => (await teamOutcomePage(db, projectId, q)).rows;

interface ReviewCounts {
  firstReviewed: number;
  firstAccepted: number;
  reviewed: number;
  reworked: number;
}

/**
 * First-pass acceptance and rework per annotator (definitions: src/shared/metrics/README.md),
 * aggregated by the database from the review tables (hub migration 8). The tasks are each
 * annotator's submitted tasks whose first submission (by the chain's `at`) falls in the range,
 * so a task's verdicts go with the group of its first submission. Version 1 is the author's
 * earliest submission of the task on the hub; only verdicts that were applied count (`flag` is
 * null: a stale or conflicting verdict changed nothing). `verdicts.kind` holds the status.
 */
const reviewFigures = async (
  db: SqlExecutor,
  projectId: string,
  q: TeamMetricsQuery,
  userId?: string,
): Promise<Map<string, ReviewCounts>> => {
  const rows = await db.all(
    `WITH t AS (
       SELECT user_id, task_id FROM activity_links
        WHERE project_id = ? AND kind = 'task.submitted'${q.batch !== undefined ? ' AND batch = ?' : ''}${
          userId !== undefined ? ' AND user_id = ?' : ''
        }
        GROUP BY user_id, task_id HAVING MIN(at) >= ? AND MIN(at) < ?
     ), v1 AS (
       SELECT user_id, task_id, id FROM (
         SELECT user_id, task_id, id, ROW_NUMBER() OVER (PARTITION BY user_id, task_id ORDER BY received_at, id) AS r
           FROM submissions WHERE project_id = ?) x
        WHERE r = 1
     ), applied AS (
       SELECT s.user_id, s.task_id, v.submission_id, v.kind,
              ROW_NUMBER() OVER (PARTITION BY v.submission_id ORDER BY v.created_at, v.id) AS r
         FROM verdicts v JOIN submissions s ON s.id = v.submission_id AND s.task_id = v.task_id
        WHERE v.project_id = ? AND v.flag IS NULL
     ), per_task AS (
       SELECT user_id, task_id, SUM(CASE WHEN kind = 'rejected' THEN 1 ELSE 0 END) AS rejects
         FROM applied GROUP BY user_id, task_id
     )
     SELECT t.user_id,
            SUM(CASE WHEN f.kind IS NOT NULL THEN 1 ELSE 0 END) AS first_reviewed,
            SUM(CASE WHEN f.kind = 'accepted' THEN 1 ELSE 0 END) AS first_accepted,
            SUM(CASE WHEN p.task_id IS NOT NULL THEN 1 ELSE 0 END) AS reviewed,
            SUM(CASE WHEN p.rejects > 0 THEN 1 ELSE 0 END) AS reworked
       FROM t
       LEFT JOIN v1 ON v1.user_id = t.user_id AND v1.task_id = t.task_id
       LEFT JOIN applied f ON f.submission_id = v1.id AND f.r = 1
       LEFT JOIN per_task p ON p.user_id = t.user_id AND p.task_id = t.task_id
      GROUP BY t.user_id`,
    [
      projectId,
      ...(q.batch !== undefined ? [q.batch] : []),
      ...(userId !== undefined ? [userId] : []),
      q.from,
      q.to,
      projectId,
      projectId,
    ],
  );
  return new Map(
    rows.map((r) => [
      String(r.user_id),
      {
        firstReviewed: Number(r.first_reviewed),
        firstAccepted: Number(r.first_accepted),
        reviewed: Number(r.reviewed),
        reworked: Number(r.reworked),
      },
    ]),
  );
};

/**
 * A project's team figures for a lead (issue 13.6), computed by the database over the task
 * events of the activity chains (`activity_links`), never by loading them: one grouped query
 * for the per-annotator table (window functions rank each one's submissions for the median and
 * p90) and one for the daily series. `userId` limits it to one annotator (their own view).
 */
export const teamMetrics = async (
  db: SqlExecutor,
  projectId: string,
  q: TeamMetricsQuery,
  userId?: string,
): Promise<TeamMetrics> => {
  const { where, params } = outcomeFilter(projectId, q, userId);
  const rows = await db.all(
    `WITH o AS (
       SELECT user_id, active_ms, regions, spans, CASE WHEN kind = 'task.submitted' THEN 1 ELSE 0 END AS sub,
              ROW_NUMBER() OVER (PARTITION BY user_id, kind ORDER BY active_ms) - 1 AS i,
              COUNT(*) OVER (PARTITION BY user_id, kind) AS n
         FROM activity_links WHERE ${where}
     )
     SELECT o.user_id, u.name, SUM(sub) AS submitted, SUM(1 - sub) AS skipped, SUM(active_ms) AS active_ms,
            SUM(CASE WHEN sub = 1 THEN regions ELSE 0 END) AS regions,
            SUM(CASE WHEN sub = 1 THEN spans ELSE 0 END) AS spans,
            ${quantileSql(1, 2)} AS median_ms, ${quantileSql(9, 10)} AS p90_ms,
            (SELECT COUNT(*) FROM activity_flags f WHERE f.user_id = o.user_id AND f.project_id = ?) AS flags
       FROM o JOIN users u ON u.id = o.user_id
      GROUP BY o.user_id, u.name ORDER BY u.name`,
    [...params, projectId],
  );
  const review = await reviewFigures(db, projectId, q, userId);
  const quality = await teamQuality(db, projectId, q, userId);
  const members: TeamMember[] = rows.map((r) => {
    const submitted = Number(r.submitted);
    const skipped = Number(r.skipped);
    const activeMs = Number(r.active_ms);
    const hours = activeMs / HOUR_MS;
    const rv = review.get(String(r.user_id)) ?? {
      firstReviewed: 0,
      firstAccepted: 0,
      reviewed: 0,
      reworked: 0,
    };
    return {
      userId: String(r.user_id),
      name: String(r.name),
      submitted,
      skipped,
      activeMs,
      regions: Number(r.regions),
      spans: Number(r.spans),
      tasksPerActiveHour: hours > 0 ? submitted / hours : null,
      medianActiveSec: submitted > 0 ? Number(r.median_ms) / 1000 : null,
      p90ActiveSec: submitted > 0 ? Number(r.p90_ms) / 1000 : null,
      skipRate: submitted + skipped > 0 ? skipped / (submitted + skipped) : null,
      firstVersionsReviewed: rv.firstReviewed,
      firstPassAcceptance: rv.firstReviewed > 0 ? rv.firstAccepted / rv.firstReviewed : null,
      reviewed: rv.reviewed,
      reworkRate: rv.reviewed > 0 ? rv.reworked / rv.reviewed : null,
      ...(quality.byUser.get(String(r.user_id)) ?? {
        goldTasks: 0,
        goldAccuracy: null,
        agreementTasks: 0,
        agreement: null,
      }),
      flags: Number(r.flags),
    };
  });
  const offset = q.tzOffset * 60_000;
  const daily = (
    await db.all(
      `SELECT user_id, d, SUM(CASE WHEN kind = 'task.submitted' THEN 1 ELSE 0 END) AS submitted,
              SUM(active_ms) AS active_ms
         FROM (SELECT user_id, kind, active_ms, CAST(at + ? AS BIGINT) / ${DAY_MS} AS d
                 FROM activity_links WHERE ${where}) x
        GROUP BY user_id, d ORDER BY d, user_id`,
      [offset, ...params],
    )
  ).map((r) => ({
    userId: String(r.user_id),
    day: new Date(Number(r.d) * DAY_MS).toISOString().slice(0, 10),
    submitted: Number(r.submitted),
    activeMs: Number(r.active_ms),
  }));
  return { projectId, from: q.from, to: q.to, members, daily, qualityAsOf: quality.asOf };
};
