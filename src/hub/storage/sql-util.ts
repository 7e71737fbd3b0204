import type { Dialect, SqlExecutor } from './driver';

/** `(?, ?, ?)` for an IN list of n values. */
export const placeholders = (n: number): string => `(${new Array<string>(n).fill('?').join(', ')})`;

/** `(?, ?), (?, ?)` for a multi-row VALUES list of `rows` rows of `cols` columns. */
export const valuesRows = (rows: number, cols: number): string =>
  new Array<string>(rows).fill(placeholders(cols)).join(', ');

/** Splits into chunks small enough for both engines' bound-parameter limits. */
export const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

export const HOUR_MS = 3_600_000;

/**
 * Column types of a JSON-bound row set: `text` and `int` are scalars; `doc` is a large text
 * (an annotation's JSON), inserted as a bound value of its own.
 */
export type JsonCol = 'text' | 'int' | 'doc';

/**
 * A whole batch bound as a few parameters and unpacked by the engine: SQLite gets ONE JSON array
 * of row arrays (json_each); PostgreSQL gets one array per column (unnest, parsed once — json
 * elements would be re-parsed per column). A 500-row write or lookup is one statement instead of
 * thousands of bound values, which dominated the cost. Yields columns c0, c1, … in `cols` order;
 * bind `rowsParams(dialect, cols, rows)`.
 */
export const jsonRows = (dialect: Dialect, cols: readonly JsonCol[]): string => {
  if (dialect === 'sqlite') {
    return `SELECT ${cols.map((_, i) => `value->>${i} AS c${i}`).join(', ')} FROM json_each(?)`;
  }
  const arrays = cols.map((c) => `CAST(? AS ${c === 'int' ? 'BIGINT' : 'TEXT'}[])`).join(', ');
  return `SELECT * FROM unnest(${arrays}) AS v(${cols.map((_, i) => `c${i}`).join(', ')})`;
};

/** A PostgreSQL array literal of text (ints and JSON given as text); null → NULL. */
const pgArray = (values: readonly unknown[]): string =>
  `{${values.map((v) => (v === null || v === undefined ? 'NULL' : `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;

/** The parameters for `jsonRows(dialect, cols)` over `rows`. */
export const rowsParams = (
  dialect: Dialect,
  cols: readonly JsonCol[],
  rows: readonly (readonly unknown[])[],
): unknown[] => {
  if (dialect === 'sqlite') return [JSON.stringify(rows)];
  return cols.map((_, i) => pgArray(rows.map((r) => r[i])));
};

/**
 * `col IN <list>` with the list bound as one parameter (`listParam`): SQLite unpacks a JSON
 * array; PostgreSQL takes a text[] with `= ANY`, which the planner sizes exactly and serves from
 * the index (a set-returning subquery got a guessed size and a sequential scan).
 */
export const inList = (dialect: Dialect, col: string): string =>
  dialect === 'sqlite' ? `${col} IN (SELECT value FROM json_each(?))` : `${col} = ANY(CAST(? AS TEXT[]))`;

export const listParam = (dialect: Dialect, list: readonly string[]): string =>
  dialect === 'sqlite' ? JSON.stringify(list) : pgArray(list);

/** A table's columns for `insertNamed`: name, type, and how to read it from a named row. */
export type Columns<T> = readonly (readonly [name: string, type: JsonCol, get: (row: T) => unknown])[];

/** `insertRows` for named rows: each row is laid out in column order here, at insert time. */
export const insertNamed = <T>(
  tx: SqlExecutor,
  table: string,
  cols: Columns<T>,
  rows: readonly T[],
): Promise<void> =>
  insertRows(
    tx,
    table,
    cols.map(([name, type]) => [name, type] as const),
    rows.map((r) => cols.map(([, , get]) => get(r))),
  );

/**
 * Inserts a batch of rows. SQLite (in-process): one prepared single-row INSERT run per row —
 * measured 15–20% faster than multi-row VALUES, which binds thousands of values per call.
 * PostgreSQL, rows of scalars: one statement over unnest of one array per column (one round
 * trip, no per-value binds); rows carrying documents: multi-row VALUES.
 */
export const insertRows = async (
  tx: SqlExecutor,
  table: string,
  cols: readonly (readonly [string, JsonCol])[],
  rows: readonly unknown[][],
): Promise<void> => {
  if (rows.length === 0) return;
  const names = cols.map(([n]) => n).join(', ');
  if (tx.runEach) {
    await tx.runEach(`INSERT INTO ${table} (${names}) VALUES ${placeholders(cols.length)}`, rows);
    return;
  }
  // Rows carrying JSON documents (annotations) go as bound values on both engines: escaping
  // them into a PostgreSQL array literal cost more than the binds it saved (measured).
  if (tx.dialect === 'postgres' && !cols.some(([, t]) => t === 'doc')) {
    const types = cols.map(([, t]) => t);
    await tx.run(
      `INSERT INTO ${table} (${names}) ${jsonRows(tx.dialect, types)}`,
      rowsParams(tx.dialect, types, rows),
    );
    return;
  }
  for (const part of chunks(rows, Math.floor(3000 / cols.length))) {
    const params: unknown[] = [];
    for (const r of part) params.push(...r);
    await tx.run(`INSERT INTO ${table} (${names}) VALUES ${valuesRows(part.length, cols.length)}`, params);
  }
};
