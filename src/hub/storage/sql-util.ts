import type { Dialect, SqlExecutor } from './driver';

/** `(?, ?, ?)` for an IN list of n values. */
export const placeholders = (n: number): string => `(${new Array<string>(n).fill('?').join(', ')})`;

/** `(?, ?), (?, ?)` for a multi-row VALUES list of `rows` rows of `cols` columns. */
export const valuesRows = (rows: number, cols: number): string => new Array<string>(rows).fill(placeholders(cols)).join(', ');

/** Splits into chunks small enough for both engines' bound-parameter limits. */
export const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

export const HOUR_MS = 3_600_000;

/**
 * Column types of a JSON-bound row set: `text` and `int` are scalars; `json` is a JSON value
 * stored as its text (an annotation), so one JSON.stringify of the batch serializes it.
 */
export type JsonCol = 'text' | 'int' | 'json';

/**
 * A whole batch bound as ONE parameter (a JSON array of row arrays) and unpacked by the engine
 * (SQLite json_each, PostgreSQL json_array_elements): a 500-row write or lookup is one
 * statement with one bind instead of thousands of bound values, which dominated the cost.
 * Yields columns c0, c1, … in `cols` order; bind `jsonRowsParam(rows)`.
 */
export const jsonRows = (dialect: Dialect, cols: readonly JsonCol[]): string => {
  if (dialect === 'sqlite') {
    return `SELECT ${cols.map((c, i) => `${c === 'json' ? `value->${i}` : `value->>${i}`} AS c${i}`).join(', ')} FROM json_each(?)`;
  }
  const col = (c: JsonCol, i: number): string => (c === 'text' ? `e->>${i}` : c === 'int' ? `CAST(e->>${i} AS BIGINT)` : `CAST(e->${i} AS TEXT)`);
  return `SELECT ${cols.map((c, i) => `${col(c, i)} AS c${i}`).join(', ')} FROM json_array_elements(CAST(? AS json)) AS e`;
};

/** A list of strings bound as one JSON parameter, for `x IN (${jsonList(d)})`. */
export const jsonList = (dialect: Dialect): string =>
  dialect === 'sqlite' ? 'SELECT value FROM json_each(?)' : 'SELECT json_array_elements_text(CAST(? AS json))';

export const jsonRowsParam = (rows: readonly (readonly unknown[])[] | readonly string[]): string => JSON.stringify(rows);

/**
 * Inserts a batch of rows. PostgreSQL: one statement whose rows are one JSON parameter (one
 * round trip, no per-value binds). SQLite: multi-row VALUES, measured faster there than
 * unpacking JSON (in-process, binding is cheap and json_each re-renders every value).
 */
export const insertRows = async (tx: SqlExecutor, table: string, cols: readonly (readonly [string, JsonCol])[], rows: readonly unknown[][]): Promise<void> => {
  if (rows.length === 0) return;
  const names = cols.map(([n]) => n).join(', ');
  if (tx.dialect === 'postgres') {
    await tx.run(`INSERT INTO ${table} (${names}) ${jsonRows(tx.dialect, cols.map(([, t]) => t))}`, [jsonRowsParam(rows)]);
    return;
  }
  const jsonAt = cols.flatMap(([, t], i) => (t === 'json' ? [i] : []));
  for (const part of chunks(rows, Math.floor(3000 / cols.length))) {
    const params: unknown[] = [];
    for (const r of part) {
      for (let i = 0; i < r.length; i++) params.push(jsonAt.includes(i) ? JSON.stringify(r[i]) : r[i]);
    }
    await tx.run(`INSERT INTO ${table} (${names}) VALUES ${valuesRows(part.length, cols.length)}`, params);
  }
};
