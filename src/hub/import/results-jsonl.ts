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

/**
 * The `jsonl` export (`results.jsonl`): one exported version a line, `{task_id, source_id,
 * results}` with results exactly as stored, so every kind of result comes back unchanged. A
 * line is matched by `task_id`, else `source_id`; a text task's spans are checked against its
 * text. Errors name the file, the line and the JSON path of the field.
 */
export const readResultsJsonl = <T extends { taskId: string; data: TaskData }>(
  text: string,
  file: string,
  find: (taskId: string | undefined, sourceId: string | undefined) => T | undefined,
): { found: { task: T; results: AnnotationResult[] }[]; unmatched: string[] } => {
  const found: { task: T; results: AnnotationResult[] }[] = [];
  const unmatched: string[] = [];
  for (const { line, value } of parseJsonLines(ResultsLine, text, file)) {
    const task = find(value.task_id, value.source_id);
    if (!task) {
      unmatched.push(value.source_id ?? value.task_id ?? `line ${line}`);
      continue;
    }
    const data = task.data;
    if (data.kind === 'text')
      value.results.forEach((r, k) => {
        if (r.type === 'span' && r.field === undefined)
          checkedSpan(data.text, { ...r, covered: r.text }, `${file} line ${line}: $.results[${k}]`);
      });
    found.push({ task, results: value.results });
  }
  return { found, unmatched };
};
