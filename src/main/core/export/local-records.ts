import { z } from 'zod';
import type { ExportOptions, ExportRecord } from '../../../shared/export';
import { Annotation, TaskData } from '../../../shared/model';
import type { Db } from '../db/open';
import { jsonColumn, parseRow } from '../db/rows';

/** A submitted task of the workspace with one of its submissions, as read back. */
const ExportRow = z.object({
  seq: z.number().int(),
  id: z.string().min(1),
  data: jsonColumn(TaskData),
  meta: jsonColumn(z.object({ sourceId: z.string().optional() }).passthrough()),
  annotation: jsonColumn(Annotation),
  submitted_at: z.number().int(),
  sub_seq: z.number().int(),
});

/**
 * Paged reads (never a statement held open across an await: a draft saved while the export runs
 * uses the same connection). `latest`: the newest submission of each task; `submitted`: every
 * one, oldest first. Submission times bound by from (inclusive) and to (exclusive).
 */
const pageSql = (version: ExportOptions['version'], timed: boolean): string => `
  SELECT t.seq, t.id, t.data, t.meta, s.annotation, s.submitted_at, s.seq AS sub_seq
  FROM tasks t JOIN submissions s ON s.task_id = t.id
  WHERE t.project_id = ? AND (t.seq > ? OR (t.seq = ? AND s.seq > ?))
    ${version === 'latest' ? 'AND s.seq = (SELECT max(seq) FROM submissions WHERE task_id = t.id)' : ''}
    ${timed ? 'AND s.submitted_at >= ? AND s.submitted_at < ?' : ''}
  ORDER BY t.seq, s.seq
  LIMIT ?`;

const sourceIdOf = (id: string, data: TaskData, meta: { sourceId?: string | undefined }): string =>
  meta.sourceId ?? (data.kind === 'image' && data.image.fileName ? data.image.fileName : id);

/**
 * The workspace's exportable versions of one project, a page of `pageSize` rows at a time.
 * Rows are parsed with the shared schemas at this boundary; a bad row names its task.
 * `annotator` is who this workspace's work belongs to (the hub user name, or "local").
 */
export async function* localRecords(
  db: Db,
  projectId: string,
  opts: Pick<ExportOptions, 'version' | 'annotators' | 'from' | 'to'>,
  annotator: string,
  pageSize = 500,
): AsyncGenerator<ExportRecord> {
  if (opts.annotators?.length && !opts.annotators.includes(annotator)) return;
  const timed = opts.from !== undefined || opts.to !== undefined;
  const stmt = db.prepare(pageSql(opts.version, timed));
  let seq = -1;
  let subSeq = -1;
  for (;;) {
    const params: unknown[] = [projectId, seq, seq, subSeq];
    if (timed) params.push(opts.from ?? 0, opts.to ?? Number.MAX_SAFE_INTEGER);
    params.push(pageSize);
    const page = stmt.all(...params);
    if (page.length === 0) return;
    for (const raw of page) {
      const row = parseRow(ExportRow, 'export', raw);
      seq = row.seq;
      subSeq = row.sub_seq;
      yield {
        taskId: row.id,
        sourceId: sourceIdOf(row.id, row.data, row.meta),
        data: row.data,
        results: row.annotation.results,
        annotator,
        submittedAt: row.submitted_at,
        conflict: false,
      };
    }
    // Let other calls on the connection run between pages.
    await new Promise<void>((r) => setImmediate(r));
  }
}

/** Per project: tasks with a submission, and the first and last submission time. */
export const submittedSummary = (
  db: Db,
): Map<string, { submitted: number; firstAt: number | null; lastAt: number | null }> => {
  const rows = db
    .prepare(
      `SELECT t.project_id AS project_id, count(DISTINCT t.id) AS n, min(s.submitted_at) AS first_at,
              max(s.submitted_at) AS last_at
       FROM tasks t JOIN submissions s ON s.task_id = t.id GROUP BY t.project_id`,
    )
    .all() as { project_id: string; n: number; first_at: number | null; last_at: number | null }[];
  return new Map(rows.map((r) => [r.project_id, { submitted: r.n, firstAt: r.first_at, lastAt: r.last_at }]));
};

/** How many records localRecords will yield for these options (the progress bar's total). */
export const localRecordCount = (
  db: Db,
  projectId: string,
  opts: Pick<ExportOptions, 'version' | 'annotators' | 'from' | 'to'>,
  annotator: string,
): number => {
  if (opts.annotators?.length && !opts.annotators.includes(annotator)) return 0;
  const timed = opts.from !== undefined || opts.to !== undefined;
  const sql = `SELECT count(*) AS n FROM (${pageSql(opts.version, timed)})`;
  const params: unknown[] = [projectId, -1, -1, -1];
  if (timed) params.push(opts.from ?? 0, opts.to ?? Number.MAX_SAFE_INTEGER);
  params.push(-1);
  return (db.prepare(sql).get(...params) as { n: number }).n;
};
