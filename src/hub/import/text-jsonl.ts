import { z } from 'zod';
import type { AnnotationResult } from '../../shared/model';
import { InputError } from '../admin/errors';
import { parseJsonLines } from './parse';
import type { TextFound } from './spacy';
import { type TextTasks, checkedSpan } from './text-spans';

const id = z.string().min(1).max(64);
const score = z.number().min(0).max(1).optional();
const TextLine = z
  .object({
    id: z.union([z.string(), z.number()]).optional(),
    text: z.string(),
    spans: z
      .array(
        z.object({
          id,
          start: z.number().int().nonnegative(),
          end: z.number().int().nonnegative(),
          label: z.string().min(1),
          text: z.string().optional(),
          attributes: z.record(z.string(), z.union([z.string(), z.boolean()])).default({}),
          score,
        }),
      )
      .default([]),
    relations: z
      .array(z.object({ id: id.optional(), from: id, to: id, label: z.string().min(1) }))
      .default([]),
    classes: z.record(z.string().min(1), z.array(z.string().min(1))).default({}),
  })
  .passthrough();

/**
 * The text JSONL the `text-jsonl` writer writes: `{id, text, spans: [{id, start, end, label,
 * text, attributes, score?}], relations: [{id, from, to, label}], classes: {group: [labels]}}`,
 * code-point offsets. A line is matched by `id` (the task's source id), else by its text; a
 * span's `text` must be what its offsets cover and a relation must join spans of its line.
 * Errors name the file, the line and the JSON path of the field.
 */
export const readTextJsonl = (
  text: string,
  file: string,
  tasks: TextTasks,
): { found: TextFound[]; unmatched: string[] } => {
  const found: TextFound[] = [];
  const unmatched: string[] = [];
  for (const { line, value } of parseJsonLines(TextLine, text, file)) {
    const where = `${file} line ${line}`;
    const task = tasks.find([value.id], value.text, where);
    if (!task) {
      unmatched.push(value.id === undefined ? `line ${line}` : String(value.id));
      continue;
    }
    const ids = new Set<string>();
    const results: AnnotationResult[] = value.spans.map((s, k) => {
      if (ids.has(s.id)) throw new InputError(`${where}: $.spans[${k}].id: "${s.id}" is used twice`);
      ids.add(s.id);
      return {
        type: 'span',
        id: s.id,
        ...checkedSpan(task.text, { ...s, covered: s.text }, `${where}: $.spans[${k}]`),
        attributes: s.attributes,
        ...(s.score === undefined ? {} : { score: s.score }),
      };
    });
    value.relations.forEach((r, k) => {
      for (const end of ['from', 'to'] as const)
        if (!ids.has(r[end]))
          throw new InputError(`${where}: $.relations[${k}].${end}: no span "${r[end]}" on this line`);
      results.push({
        type: 'relation',
        id: r.id ?? `rel-${line}-${k + 1}`,
        label: r.label,
        from: r.from,
        to: r.to,
      });
    });
    Object.entries(value.classes).forEach(([group, labels], k) => {
      if (labels.length) results.push({ type: 'doc-class', id: `cls-${line}-${k + 1}`, group, labels });
    });
    found.push({ task, results });
  }
  return { found, unmatched };
};
