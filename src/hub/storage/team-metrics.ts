import type { TeamOutcomeRow } from '../../shared/metrics';
import type { TeamLabelCount, TeamMember, TeamMetrics, TeamMetricsQuery } from '../../shared/sync';
import type { SqlExecutor } from './driver';
import { QUARTER_MS } from './activity';
import { labelEntries } from './migrations';
import { teamQuality } from './team-quality';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

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
 * aggregated by the database from the per-task review rollup (hub migration 13, kept by
 * review-rollup.ts as verdicts, submissions and task events arrive). The tasks are each
 * annotator's submitted tasks whose first submission (by the chain's `at`) falls in the range,
 * so a task's verdicts go with the group of its first submission. Version 1 is the author's
 * earliest submission of the task on the hub; only verdicts that were applied count (`flag` is
 * null: a stale or conflicting verdict changed nothing). One range scan of a covering index.
 */
const reviewFigures = async (
  db: SqlExecutor,
  projectId: string,
  q: TeamMetricsQuery,
  userId?: string,
): Promise<Map<string, ReviewCounts>> => {
  const rows = await db.all(
    `SELECT user_id,
            SUM(CASE WHEN first_kind IS NOT NULL THEN 1 ELSE 0 END) AS first_reviewed,
            SUM(CASE WHEN first_kind = 'accepted' THEN 1 ELSE 0 END) AS first_accepted,
            COUNT(*) AS reviewed,
            SUM(CASE WHEN rejects > 0 THEN 1 ELSE 0 END) AS reworked
       FROM review_rollup
      WHERE project_id = ? AND first_at >= ? AND first_at < ?${q.batch !== undefined ? ' AND batch = ?' : ''}${
        userId !== undefined ? ' AND user_id = ?' : ''
      }
      GROUP BY user_id`,
    [
      projectId,
      q.from,
      q.to,
      ...(q.batch !== undefined ? [q.batch] : []),
      ...(userId !== undefined ? [userId] : []),
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
 * A range's rows from a quarter-hour rollup and its source: whole quarter hours from the rollup
 * (`rollup(filter)` selects from it under `filter`), the ragged ends of the range (and every row
 * when the time zone is off the quarter hour) from the task events (`raw(where)` selects from
 * activity_links under `where`).
 */
const rollupOrRaw = (
  projectId: string,
  q: TeamMetricsQuery,
  userId: string | undefined,
  rollup: (filter: string) => string,
  raw: (where: string) => string,
): { sql: string; params: (string | number)[] } => {
  const { where, params } = outcomeFilter(projectId, q, userId);
  const qFrom = Math.ceil(q.from / QUARTER_MS);
  const qTo = Math.floor(q.to / QUARTER_MS);
  if ((q.tzOffset * 60_000) % QUARTER_MS !== 0 || qFrom >= qTo) return { sql: raw(where), params };
  return {
    sql: `${rollup(
      `project_id = ? AND q >= ? AND q < ?${q.batch !== undefined ? ' AND batch = ?' : ''}${
        userId !== undefined ? ' AND user_id = ?' : ''
      }`,
    )} UNION ALL ${raw(`${where} AND (at < ? OR at >= ?)`)}`,
    params: [
      projectId,
      qFrom,
      qTo,
      ...(q.batch !== undefined ? [q.batch] : []),
      ...(userId !== undefined ? [userId] : []),
      ...params,
      qFrom * QUARTER_MS,
      qTo * QUARTER_MS,
    ],
  };
};

/**
 * A range's outcomes as rows (user_id, t, submitted, skipped, active_ms, regions, spans) for
 * grouping, from activity_quarters (hub migration 12) and the ragged ends.
 */
const outcomeUnion = (projectId: string, q: TeamMetricsQuery, userId?: string) =>
  rollupOrRaw(
    projectId,
    q,
    userId,
    (filter) =>
      `SELECT user_id, q * ${QUARTER_MS} AS t, submitted, skipped, active_ms, regions, spans
         FROM activity_quarters WHERE ${filter}`,
    (where) =>
      `SELECT user_id, at AS t, CASE WHEN kind = 'task.submitted' THEN 1 ELSE 0 END AS submitted,
              CASE WHEN kind = 'task.skipped' THEN 1 ELSE 0 END AS skipped, active_ms,
              CASE WHEN kind = 'task.submitted' THEN regions ELSE 0 END AS regions,
              CASE WHEN kind = 'task.submitted' THEN spans ELSE 0 END AS spans
         FROM activity_links WHERE ${where}`,
  );

/**
 * Per-label counts per annotator over the range's submissions (issue 13.4): whole quarter hours
 * from activity_label_quarters (hub migration 13), the ragged ends from the task events'
 * `data.labels` by the rule the rollup keeps (`labelEntries`). Sums only; no annotation is read.
 */
const labelFigures = async (
  db: SqlExecutor,
  projectId: string,
  q: TeamMetricsQuery,
  userId?: string,
): Promise<TeamLabelCount[]> => {
  const entries = labelEntries[db.dialect];
  const u = rollupOrRaw(
    projectId,
    q,
    userId,
    (filter) => `SELECT user_id, label, n FROM activity_label_quarters WHERE ${filter}`,
    (where) =>
      `SELECT a.user_id, j.key AS label, ${db.dialect === 'postgres' ? 'CAST(j.value AS NUMERIC)' : 'j.value'} AS n
         FROM (SELECT user_id, event FROM activity_links WHERE ${where} AND kind = 'task.submitted') a
         CROSS JOIN ${entries.from} WHERE ${entries.where}`,
  );
  const rows = await db.all(
    `SELECT user_id, label, SUM(n) AS n FROM (${u.sql}) x GROUP BY user_id, label`,
    u.params,
  );
  // By user, then label, in code-unit order on both engines (PostgreSQL's collation differs).
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows
    .map((r) => ({ userId: String(r.user_id), label: String(r.label), count: Number(r.n) }))
    .sort((a, b) => cmp(a.userId, b.userId) || cmp(a.label, b.label));
};

/** Type-7 quantile p = num/den of n sorted values: the rank below and the weight of the next. */
const rankOf = (n: number, num: number, den: number) => ({
  lo: Math.floor(((n - 1) * num) / den),
  frac: (((n - 1) * num) % den) / den,
});

/**
 * Median and p90 of each member's submitted active times, read by rank: each value is the
 * 1–2 rows at an offset of the `activity_quantiles` index (sorted by active_ms per user), all
 * members in one statement, so nothing is sorted and no row leaves the database.
 */
const quantiles = async (
  db: SqlExecutor,
  projectId: string,
  q: TeamMetricsQuery,
  counts: ReadonlyMap<string, number>,
): Promise<Map<string, { median: number; p90: number }>> => {
  const users = [...counts].filter(([, n]) => n > 0);
  const out = new Map<string, { median: number; p90: number }>();
  if (users.length === 0) return out;
  // The two rows at the rank, as (lo, hi): one index walk for each quantile.
  const pick = (name: string) =>
    `(SELECT MIN(active_ms) AS lo, MAX(active_ms) AS hi FROM (SELECT active_ms FROM activity_links
        WHERE project_id = ? AND user_id = ? AND kind = 'task.submitted' AND at >= ? AND at < ?${
          q.batch !== undefined ? ' AND batch = ?' : ''
        }
        ORDER BY active_ms LIMIT 2 OFFSET ?) x) ${name}`;
  const filter = (user: string) => [
    projectId,
    user,
    q.from,
    q.to,
    ...(q.batch !== undefined ? [q.batch] : []),
  ];
  // 200 users a statement keeps the binds far below either engine's limit.
  for (let i = 0; i < users.length; i += 200) {
    const part = users.slice(i, i + 200);
    const rows = await db.all(
      part
        .map(
          (_, k) =>
            `SELECT ${k} AS k, m.lo AS m0, m.hi AS m1, p.lo AS p0, p.hi AS p1 FROM ${pick('m')}, ${pick('p')}`,
        )
        .join(' UNION ALL '),
      part.flatMap(([user, n]) => {
        const m = rankOf(n, 1, 2).lo;
        const p = rankOf(n, 9, 10).lo;
        return [...filter(user), m, ...filter(user), p];
      }),
    );
    for (const r of rows) {
      const [user, n] = part[Number(r.k)]!;
      const m = rankOf(n, 1, 2);
      const p = rankOf(n, 9, 10);
      // MAX of the two rows at the offset is the next value (or the same one at the end).
      out.set(user, {
        median: Number(r.m0) * (1 - m.frac) + Number(r.m1) * m.frac,
        p90: Number(r.p0) * (1 - p.frac) + Number(r.p1) * p.frac,
      });
    }
  }
  return out;
};

/**
 * A project's team figures for a lead (issue 13.6), computed by the database, never by loading
 * the task events: sums per annotator and per day from the quarter-hour rollup (plus the
 * range's ragged ends), median and p90 by rank from an index, review and quality figures from
 * their tables. `userId` limits it to one annotator (their own view).
 */
export const teamMetrics = async (
  db: SqlExecutor,
  projectId: string,
  q: TeamMetricsQuery,
  userId?: string,
): Promise<TeamMetrics> => {
  const u = outcomeUnion(projectId, q, userId);
  // One pass over the outcomes, per annotator and day: the daily series as it is, and each
  // member's totals summed from their days here (a second pass cost as much as the first).
  const offset = q.tzOffset * 60_000;
  const days = await db.all(
    `SELECT user_id, d, SUM(submitted) AS submitted, SUM(skipped) AS skipped, SUM(active_ms) AS active_ms,
            SUM(regions) AS regions, SUM(spans) AS spans
       FROM (SELECT user_id, submitted, skipped, active_ms, regions, spans, CAST(t + ? AS BIGINT) / ${DAY_MS} AS d
               FROM (${u.sql}) y) x
      GROUP BY user_id, d ORDER BY d, user_id`,
    [offset, ...u.params],
  );
  const totals = new Map<
    string,
    { submitted: number; skipped: number; active_ms: number; regions: number; spans: number }
  >();
  for (const r of days) {
    const id = String(r.user_id);
    const t = totals.get(id) ?? { submitted: 0, skipped: 0, active_ms: 0, regions: 0, spans: 0 };
    t.submitted += Number(r.submitted);
    t.skipped += Number(r.skipped);
    t.active_ms += Number(r.active_ms);
    t.regions += Number(r.regions);
    t.spans += Number(r.spans);
    totals.set(id, t);
  }
  // Names (in the database's order; over 500 members, merged by code unit) and flags of the members who have outcomes in the range.
  const ids = [...totals.keys()];
  const named: Record<string, unknown>[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    named.push(
      ...(await db.all(
        `SELECT u.id AS user_id, u.name,
                (SELECT COUNT(*) FROM activity_flags f WHERE f.user_id = u.id AND f.project_id = ?) AS flags
           FROM users u WHERE u.id IN (${part.map(() => '?').join(', ')}) ORDER BY u.name`,
        [projectId, ...part],
      )),
    );
  }
  if (ids.length > 500)
    named.sort((a, b) => (String(a.name) < String(b.name) ? -1 : String(a.name) > String(b.name) ? 1 : 0));
  const rows = named.map((r) => ({
    user_id: r.user_id,
    name: r.name,
    flags: r.flags,
    ...totals.get(String(r.user_id))!,
  }));
  const ranks = await quantiles(
    db,
    projectId,
    q,
    new Map(rows.map((r) => [String(r.user_id), Number(r.submitted)])),
  );
  const review = await reviewFigures(db, projectId, q, userId);
  const quality = await teamQuality(db, projectId, q, userId);
  const labels = await labelFigures(db, projectId, q, userId);
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
      medianActiveSec: submitted > 0 ? (ranks.get(String(r.user_id))?.median ?? 0) / 1000 : null,
      p90ActiveSec: submitted > 0 ? (ranks.get(String(r.user_id))?.p90 ?? 0) / 1000 : null,
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
  const daily = days.map((r) => ({
    userId: String(r.user_id),
    day: new Date(Number(r.d) * DAY_MS).toISOString().slice(0, 10),
    submitted: Number(r.submitted),
    activeMs: Number(r.active_ms),
  }));
  return { projectId, from: q.from, to: q.to, members, daily, labels, qualityAsOf: quality.asOf };
};
