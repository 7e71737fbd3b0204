import { z } from 'zod';
import { AnnotationResult, type TaskData } from '../../shared/model';
import { parseJsonLines } from './parse';
import { checkedSpan } from './text-spans';

const ResultsLine = z
  .object({
    task_id: z.string().min(1).optional(),
    source_id: z.string().min(1).optional(),
    results: z.array(AnnotationResult),
  })
  .passthrough()
  .refine((l) => l.task_id !== undefined || l.source_id !== undefined, {
    message: 'a line needs task_id or source_id',
    path: ['task_id'],
  });

/** One exported version read back: where it was, which task, its results as stored. */
export interface ResultsVersion {
  /** `file line N` (and the column, for CSV), for errors. */
  where: string;
  taskId?: string;
  sourceId?: string;
  results: AnnotationResult[];
}

/**
 * Exported versions matched to their tasks (by task id, else source id); a text task's spans
 * are checked against its text. Unmatched versions are listed by their ids.
 */
export const matchVersions = <T extends { taskId: string; data: TaskData }>(
  versions: readonly ResultsVersion[],
  find: (taskId: string | undefined, sourceId: string | undefined) => T | undefined,
): { found: { task: T; results: AnnotationResult[] }[]; unmatched: string[] } => {
  const found: { task: T; results: AnnotationResult[] }[] = [];
  const unmatched: string[] = [];
  for (const v of versions) {
    const task = find(v.taskId, v.sourceId);
    if (!task) {
      unmatched.push(v.sourceId ?? v.taskId ?? v.where);
      continue;
    }
    const data = task.data;
    if (data.kind === 'text')
      v.results.forEach((r, k) => {
        if (r.type === 'span' && r.field === undefined)
          checkedSpan(data.text, { ...r, covered: r.text }, `${v.where}: $.results[${k}]`);
      });
    found.push({ task, results: v.results });
  }
  return { found, unmatched };
};

/**
 * The `jsonl` export (`results.jsonl`): one exported version a line, `{task_id, source_id,
 * results}` with results exactly as stored, so every kind of result comes back unchanged.
 * Errors name the file, the line and the JSON path of the field.
 */
export const readResultsJsonl = (text: string, file: string): ResultsVersion[] =>
  parseJsonLines(ResultsLine, text, file).map(({ line, value }) => ({
    where: `${file} line ${line}`,
    ...(value.task_id === undefined ? {} : { taskId: value.task_id }),
    ...(value.source_id === undefined ? {} : { sourceId: value.source_id }),
    results: value.results,
  }));
