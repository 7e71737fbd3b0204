import { z } from 'zod';
import type { ExportOptions, ExportRecord } from '../../../shared/export';
import type { ExportProject } from '../../../shared/export';
import { Annotation, LabelConfig, ProjectKind, Task } from '../../../shared/model';
import type { Db } from '../db/open';
import { jsonColumn, parseRow } from '../db/rows';

/**
 * Review states this workspace holds: a reviewer's leased items keep each task, its versions
 * and every verdict (review_items, review_versions, review_verdicts). An annotator's own
 * projects hold only the rejections that came back (review_feedback), never acceptances, so
 * "accepted" and "reviewed" can be exported here only for projects reviewed on this computer.
 */
export const reviewedProjectIds = (db: Db): Set<string> =>
  new Set(
    (db.prepare('SELECT DISTINCT project_id FROM review_items').all() as { project_id: string }[]).map(
      (r) => r.project_id,
    ),
  );

const ReviewProjectRow = z.object({
  id: z.string().min(1),
  name: z.string(),
  kind: ProjectKind,
  label_config: jsonColumn(LabelConfig),
});

/** Projects reviewed on this computer (a reviewer may annotate none of them). */
export const reviewProjects = (db: Db): ExportProject[] =>
  db
    .prepare('SELECT id, name, kind, label_config FROM review_projects ORDER BY name, id')
    .all()
    .map((raw) => {
      const r = parseRow(ReviewProjectRow, 'review_projects', raw);
      return { id: r.id, name: r.name, kind: r.kind, labelConfig: r.label_config };
    });

const ReviewedRow = z.object({
  task_id: z.string().min(1),
  task: jsonColumn(Task),
  kind: z.enum(['accepted', 'fixed']),
  at: z.number().int(),
  annotation: jsonColumn(Annotation),
  user_name: z.string(),
  sub_conflict: z.number().int(),
});

/**
 * Per task of the project: its latest verdict that the hub did not refuse; kept when it is
 * `accepted` (version "accepted": the submission as accepted) or also `fixed` ("reviewed": the
 * reviewer's fix). Verdicts given here and still waiting to be sent count: they are this
 * reviewer's decision, and the export says so in its summary.
 */
const reviewedSql = (version: 'accepted' | 'reviewed', timed: boolean): string => `
  SELECT i.task_id, i.task, v.kind, v.at, COALESCE(fx.annotation, sv.annotation) AS annotation,
         sv.user_name, sv.conflict AS sub_conflict
  FROM (SELECT task_id, max(task) AS task FROM review_items WHERE project_id = ? GROUP BY task_id) i
  JOIN review_verdicts v ON v.task_id = i.task_id AND v.delivery != 'refused'
    AND v.at = (SELECT max(at) FROM review_verdicts w WHERE w.task_id = i.task_id AND w.delivery != 'refused')
  JOIN review_versions sv ON sv.id = v.submission_id
  LEFT JOIN review_versions fx ON fx.id = v.fix_version_id
  WHERE i.task_id > ? AND v.kind IN (${version === 'accepted' ? "'accepted'" : "'accepted', 'fixed'"})
    ${timed ? 'AND v.at >= ? AND v.at < ?' : ''}
  ORDER BY i.task_id
  LIMIT ?`;

const sourceIdOf = (t: Task): string => {
  const id = (t.meta as { sourceId?: unknown }).sourceId;
  if (typeof id === 'string') return id;
  return t.data.kind === 'image' && t.data.image.fileName ? t.data.image.fileName : t.id;
};

/**
 * The reviewed versions of a project held here, a page at a time; rows parsed with the shared
 * schemas (a bad row names its table and task). The date range bounds the verdict's time.
 */
export async function* localReviewedRecords(
  db: Db,
  projectId: string,
  opts: Pick<ExportOptions, 'annotators' | 'from' | 'to'> & { version: 'accepted' | 'reviewed' },
  pageSize = 500,
): AsyncGenerator<ExportRecord> {
  const timed = opts.from !== undefined || opts.to !== undefined;
  const stmt = db.prepare(reviewedSql(opts.version, timed));
  const annotators = opts.annotators?.length ? new Set(opts.annotators) : undefined;
  let after = '';
  for (;;) {
    const params: unknown[] = [projectId, after];
    if (timed) params.push(opts.from ?? 0, opts.to ?? Number.MAX_SAFE_INTEGER);
    params.push(pageSize);
    const page = stmt.all(...params);
    if (page.length === 0) return;
    for (const raw of page) {
      const row = parseRow(ReviewedRow, 'review_verdicts', raw);
      after = row.task_id;
      if (annotators && !annotators.has(row.user_name)) continue;
      yield {
        taskId: row.task_id,
        sourceId: sourceIdOf(row.task),
        data: row.task.data,
        results: row.annotation.results,
        annotator: row.user_name,
        submittedAt: row.at,
        conflict: row.sub_conflict === 1,
      };
    }
    await new Promise<void>((r) => setImmediate(r));
  }
}

/** How many records localReviewedRecords yields (the progress bar's total). */
export const localReviewedCount = async (
  db: Db,
  projectId: string,
  opts: Parameters<typeof localReviewedRecords>[2],
): Promise<number> => {
  let n = 0;
  for await (const r of localReviewedRecords(db, projectId, opts, 2000)) if (r) n++;
  return n;
};
