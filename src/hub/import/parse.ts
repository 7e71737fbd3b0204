import type { z } from 'zod';
import { InputError } from '../admin/errors';

/** JSON path of a zod issue, as `$.annotations[3].bbox`. */
export const jsonPath = (path: readonly PropertyKey[]): string =>
  `$${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`;

/** Parses JSON text of an import file; errors name the file and the JSON path of the field. */
export const parseJsonFile = <S extends z.ZodType>(schema: S, text: string, file: string): z.infer<S> => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  return parseValue(schema, json, file);
};

export const parseValue = <S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
  base: readonly PropertyKey[] = [],
): z.infer<S> => {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new InputError(
    `${where}: ${jsonPath([...base, ...(issue?.path ?? [])])}: ${issue?.message ?? 'invalid'}`,
  );
};

/** What an import could not carry over, counted by reason (reported, never silently lost). */
export class NotImported {
  private readonly counts = new Map<string, number>();
  add(reason: string, n = 1): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + n);
  }
  list(): { reason: string; count: number }[] {
    return [...this.counts].map(([reason, count]) => ({ reason, count }));
  }
}

/** The key an image is matched by across tools: its file name without folders, lower-cased. */
export const imageKey = (name: string): string => (name.split(/[\\/]/).pop() ?? name).toLowerCase();

/**
 * The lines of a JSONL import file, each parsed with `schema`; blank lines are skipped. Errors
 * name the file, the 1-based line and the JSON path of the field.
 */
export const parseJsonLines = <S extends z.ZodType>(
  schema: S,
  text: string,
  file: string,
): { line: number; value: z.infer<S> }[] => {
  const out: { line: number; value: z.infer<S> }[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      throw new InputError(`${file} line ${i + 1}: not valid JSON (${(e as Error).message})`);
    }
    out.push({ line: i + 1, value: parseValue(schema, json, `${file} line ${i + 1}`) });
  });
  return out;
};
