/**
 * The small SQL surface the hub store is written against. SQL uses `?` placeholders; the
 * PostgreSQL drivers rewrite them to `$n`. Rows come back as plain objects and are parsed with
 * zod by the store, never trusted.
 */
export type Row = Record<string, unknown>;
export type Dialect = 'sqlite' | 'postgres';

export interface SqlExecutor {
  /** Which SQL to speak (JSON-bound batches differ, see sql-util). */
  readonly dialect: Dialect;
  all(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  get(sql: string, params?: readonly unknown[]): Promise<Row | undefined>;
  /** Runs a statement; resolves to the number of rows changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /**
   * In-process engines only (SQLite): runs one prepared statement once per row of parameters.
   * There a call costs microseconds, so this beats one statement with thousands of binds.
   */
  runEach?(sql: string, rows: readonly (readonly unknown[])[]): Promise<number>;
}

export interface SqlDriver extends SqlExecutor {
  /**
   * Runs `fn` in one transaction, committed durably before the promise resolves. SQLite takes
   * the write lock up front (BEGIN IMMEDIATE); PostgreSQL retries on deadlock/serialization.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs several `;`-separated statements (migrations only). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

const placeholderCache = new Map<string, string>();

/** `?` → `$1, $2 …`; our SQL never has `?` inside string literals. */
export const toPgPlaceholders = (sql: string): string => {
  let out = placeholderCache.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    if (placeholderCache.size < 2000) placeholderCache.set(sql, out);
  }
  return out;
};

/** Serializes async work on one connection so two requests never interleave a transaction. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
