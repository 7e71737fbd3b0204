import { annotationAgreement } from '../../shared/quality';
import type { SqlDriver, SqlExecutor } from './driver';
import { resultsOfText } from './quality-task';
import { chunks, inList, insertRows, listParam } from './sql-util';

/**
 * Gold answers and gold scores (issue 12.3). The answers are kept apart from the task rows and
 * never read by leasing; each gold submission is scored against its answer with
 * annotationAgreement (src/shared/quality) once, the first time a report asks, and kept.
 */

/** A gold submission at or above this score counts as passed. */
export const GOLD_PASS_MARK = 0.8;

const ANSWER_COLS = [
  ['task_id', 'text'],
  ['project_id', 'text'],
  ['annotation', 'doc'],
  ['created_at', 'int'],
] as const;

export const insertGoldAnswers = async (
  tx: SqlExecutor,
  projectId: string,
  answers: ReadonlyMap<string, string>,
  now: number,
): Promise<void> => {
  await insertRows(
    tx,
    'gold_answers',
    ANSWER_COLS,
    [...answers].map(([taskId, text]) => [taskId, projectId, text, now]),
  );
};

const SCORE_COLS = [
  ['submission_id', 'text'],
  ['user_id', 'text'],
  ['task_id', 'text'],
  ['project_id', 'text'],
  ['score', 'text'],
  ['detail', 'doc'],
  ['scored_at', 'int'],
] as const;

/** Scores the project's gold submissions that have no score yet (standing ones only). */
export const scoreGold = async (db: SqlDriver, projectId: string, now: number): Promise<void> => {
  const todo = await db.all(
    `SELECT s.id, s.user_id, s.task_id FROM submissions s JOIN tasks t ON t.id = s.task_id
     WHERE t.project_id = ? AND t.gold = 1 AND s.superseded = 0 AND s.conflict = 0
       AND NOT EXISTS (SELECT 1 FROM gold_scores g WHERE g.submission_id = s.id AND g.user_id = s.user_id)`,
    [projectId],
  );
  for (const part of chunks(todo, 500)) {
    const ids = part.map((r) => String(r.id));
    const texts = new Map<string, string>();
    // By task: submissions are indexed by task, not by id alone.
    for (const r of await db.all(
      `SELECT id, user_id, annotation FROM submissions WHERE ${inList(db.dialect, 'task_id')}`,
      [listParam(db.dialect, [...new Set(part.map((r) => String(r.task_id)))])],
    ))
      texts.set(`${String(r.id)}\u0000${String(r.user_id)}`, String(r.annotation));
    const answers = new Map<string, string>();
    for (const r of await db.all(
      `SELECT task_id, annotation FROM gold_answers WHERE ${inList(db.dialect, 'task_id')}`,
      [
        listParam(
          db.dialect,
          part.map((r) => String(r.task_id)),
        ),
      ],
    ))
      answers.set(String(r.task_id), String(r.annotation));
    const rows = part.map((r) => {
      const answer = resultsOfText(answers.get(String(r.task_id)) ?? '');
      const mine = resultsOfText(texts.get(`${String(r.id)}\u0000${String(r.user_id)}`) ?? '');
      const a = answer && mine ? annotationAgreement(answer, mine) : null;
      return [
        String(r.id),
        String(r.user_id),
        String(r.task_id),
        projectId,
        a?.score ?? null,
        JSON.stringify(a ? { regions: a.regions, spans: a.spans, classes: a.classes } : { unreadable: true }),
        now,
      ];
    });
    // Two reports scoring at once: the second one's rows are already there.
    await db.transaction(async (tx) => {
      const have = new Set(
        (
          await tx.all(
            `SELECT submission_id, user_id FROM gold_scores WHERE ${inList(tx.dialect, 'submission_id')}`,
            [listParam(tx.dialect, ids)],
          )
        ).map((r) => `${String(r.submission_id)}\u0000${String(r.user_id)}`),
      );
      await insertRows(
        tx,
        'gold_scores',
        SCORE_COLS,
        rows.filter((r) => !have.has(`${String(r[0])}\u0000${String(r[1])}`)),
      );
    });
  }
};

/** Per annotator: gold submissions scored, mean score, how many passed. */
export const goldAccuracy = async (
  db: SqlExecutor,
  projectId: string,
): Promise<Map<string, { tasks: number; score: number | null; passed: number }>> => {
  const out = new Map<string, { tasks: number; score: number | null; passed: number }>();
  for (const r of await db.all(
    `SELECT user_id, COUNT(*) AS n, AVG(score) AS mean, SUM(CASE WHEN score >= ? THEN 1 ELSE 0 END) AS passed
     FROM gold_scores g WHERE project_id = ?
       AND EXISTS (SELECT 1 FROM submissions s WHERE s.task_id = g.task_id AND s.id = g.submission_id AND s.user_id = g.user_id AND s.superseded = 0)
     GROUP BY user_id`,
    [GOLD_PASS_MARK, projectId],
  ))
    out.set(String(r.user_id), {
      tasks: Number(r.n),
      score: r.mean === null ? null : Number(r.mean),
      passed: Number(r.passed ?? 0),
    });
  return out;
};
