import type { SqlExecutor } from './driver';
import { inList, listParam } from './sql-util';

export interface ExportFilter {
  /** Annotator names; absent: everyone. */
  annotators?: readonly string[];
  /** received_at bounds, ms: from inclusive, to exclusive. */
  from?: number;
  to?: number;
}

/** A task and its stored, not superseded submissions (oldest first), as stored text. */
export interface ExportTaskRow {
  taskId: string;
  data: string;
  meta: string;
  submissions: { annotator: string; annotation: string; receivedAt: number; conflict: boolean }[];
}

/**
 * One page of a project's tasks in id order after `afterId`, with their submissions. Pages
 * walk the primary key (task ids are `<project>:<source id>`, so a project's tasks are one
 * contiguous range of it on SQLite's byte order): each page is an index range, never a scan
 * and sort of the whole project. Submissions come in one lookup per page through
 * submissions_task.
 */
export const readExportPage = async (
  db: SqlExecutor,
  projectId: string,
  afterId: string | undefined,
  limit: number,
  filter: ExportFilter,
): Promise<ExportTaskRow[]> => {
  const tasks =
    db.dialect === 'sqlite'
      ? await db.all(
          'SELECT id, data, meta FROM tasks WHERE id > ? AND id < ? AND project_id = ? ORDER BY id LIMIT ?',
          [afterId ?? `${projectId}:`, `${projectId};`, projectId, limit],
        )
      : await db.all('SELECT id, data, meta FROM tasks WHERE project_id = ? AND id > ? ORDER BY id LIMIT ?', [
          projectId,
          afterId ?? '',
          limit,
        ]);
  if (tasks.length === 0) return [];
  const ids = tasks.map((t) => String(t.id));
  const where: string[] = [inList(db.dialect, 's.task_id'), 's.superseded = 0'];
  const params: unknown[] = [listParam(db.dialect, ids)];
  if (filter.annotators?.length) {
    where.push(inList(db.dialect, 'u.name'));
    params.push(listParam(db.dialect, filter.annotators));
  }
  if (filter.from !== undefined) {
    where.push('s.received_at >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    where.push('s.received_at < ?');
    params.push(filter.to);
  }
  const subs = await db.all(
    `SELECT s.task_id, s.annotation, s.received_at, s.conflict, u.name
     FROM submissions s JOIN users u ON u.id = s.user_id
     WHERE ${where.join(' AND ')}
     ORDER BY s.task_id, s.received_at, s.id`,
    params,
  );
  const byTask = new Map<string, ExportTaskRow['submissions']>();
  for (const s of subs) {
    const k = String(s.task_id);
    let list = byTask.get(k);
    if (!list) byTask.set(k, (list = []));
    list.push({
      annotator: String(s.name),
      annotation: String(s.annotation),
      receivedAt: Number(s.received_at),
      conflict: Number(s.conflict) === 1,
    });
  }
  return tasks.map((t) => ({
    taskId: String(t.id),
    data: String(t.data),
    meta: String(t.meta),
    submissions: byTask.get(String(t.id)) ?? [],
  }));
};
