import type { TeamMetricsQuery } from '../../shared/sync';
import type { SqlExecutor } from './driver';

/** One annotator's gold and agreement figures over the tasks they submitted in a range. */
export interface TeamQuality {
  goldTasks: number;
  goldAccuracy: number | null;
  agreementTasks: number;
  agreement: number | null;
}

/**
 * The tasks an annotator submitted in the range (and batch), as an EXISTS over the chain's task
 * events: the same filter as the team table, so gold and agreement cover the rows it counts.
 */
const submittedInRange = (alias: string, q: TeamMetricsQuery): string =>
  `EXISTS (SELECT 1 FROM activity_links a
            WHERE a.project_id = ? AND a.kind = 'task.submitted' AND a.user_id = ${alias}.user_id
              AND a.task_id = ${alias}.task_id AND a.at >= ? AND a.at < ?${q.batch !== undefined ? ' AND a.batch = ?' : ''})`;

const rangeParams = (projectId: string, q: TeamMetricsQuery): (string | number)[] => [
  projectId,
  q.from,
  q.to,
  ...(q.batch !== undefined ? [q.batch] : []),
];

/**
 * Gold accuracy and agreement per annotator, read (never written) from the quality tables the
 * hub's quality report maintains (hub migration 9): `gold_scores` (one score per gold
 * submission, its current version only, as the quality report counts it) and `consensus` (per
 * task, the pairwise scores of overlapping submissions). Agreement is an annotator's mean score
 * with each co-annotator on the tasks both submitted. The tables are as fresh as the last
 * quality report: `asOf` says when they were last brought up to date.
 */
export const teamQuality = async (
  db: SqlExecutor,
  projectId: string,
  q: TeamMetricsQuery,
  userId?: string,
): Promise<{ byUser: Map<string, TeamQuality>; asOf: number | null }> => {
  const user = userId !== undefined ? ' AND g.user_id = ?' : '';
  const gold = await db.all(
    `SELECT g.user_id, COUNT(*) AS n, AVG(g.score) AS mean FROM gold_scores g
      WHERE g.project_id = ?${user}
        AND EXISTS (SELECT 1 FROM submissions s WHERE s.id = g.submission_id AND s.user_id = g.user_id AND s.superseded = 0)
        AND ${submittedInRange('g', q)}
      GROUP BY g.user_id`,
    [projectId, ...(userId !== undefined ? [userId] : []), ...rangeParams(projectId, q)],
  );
  // Each pair of a task counts for both its annotators.
  const pairs =
    db.dialect === 'sqlite'
      ? `SELECT c.task_id, json_extract(p.value, '$.a') AS a, json_extract(p.value, '$.b') AS b,
                json_extract(p.value, '$.score') AS score
           FROM consensus c, json_each(c.figures, '$.pairs') p WHERE c.project_id = ?`
      : `SELECT c.task_id, p ->> 'a' AS a, p ->> 'b' AS b, CAST(p ->> 'score' AS DOUBLE PRECISION) AS score
           FROM consensus c, jsonb_array_elements(CAST(c.figures AS JSONB) -> 'pairs') p WHERE c.project_id = ?`;
  const agreement = await db.all(
    `WITH p AS (${pairs}),
          side AS (SELECT task_id, a AS user_id, score FROM p UNION ALL SELECT task_id, b AS user_id, score FROM p)
     SELECT user_id, COUNT(DISTINCT task_id) AS n, AVG(score) AS mean FROM side g
      WHERE ${submittedInRange('g', q)}${user}
      GROUP BY user_id`,
    [projectId, ...rangeParams(projectId, q), ...(userId !== undefined ? [userId] : [])],
  );
  const byUser = new Map<string, TeamQuality>();
  const entry = (id: string): TeamQuality => {
    const e = byUser.get(id) ?? { goldTasks: 0, goldAccuracy: null, agreementTasks: 0, agreement: null };
    byUser.set(id, e);
    return e;
  };
  for (const r of gold) {
    const e = entry(String(r.user_id));
    e.goldTasks = Number(r.n);
    e.goldAccuracy = r.mean === null || r.mean === undefined ? null : Number(r.mean);
  }
  for (const r of agreement) {
    const e = entry(String(r.user_id));
    e.agreementTasks = Number(r.n);
    e.agreement = r.mean === null || r.mean === undefined ? null : Number(r.mean);
  }
  const asOf = await db.get(
    `SELECT MAX(t) AS t FROM (SELECT MAX(computed_at) AS t FROM consensus WHERE project_id = ?
                              UNION ALL SELECT MAX(scored_at) AS t FROM gold_scores WHERE project_id = ?) x`,
    [projectId, projectId],
  );
  return { byUser, asOf: asOf?.t === null || asOf?.t === undefined ? null : Number(asOf.t) };
};
