import { PGlite, type Transaction } from '@electric-sql/pglite';
import { Mutex, type Row, type SqlDriver, type SqlExecutor, toPgPlaceholders } from './driver';

/**
 * The PostgreSQL dialect in-process (PGlite), so tests and benches cover the PG SQL without a
 * server. One connection, so calls are serialized like SQLite's.
 */
export class PgliteDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  private readonly mutex = new Mutex();

  private constructor(
    private readonly db: PGlite,
    private readonly owned: boolean,
  ) {}

  static async open(dataDir?: string): Promise<PgliteDriver> {
    return new PgliteDriver(await PgliteDriver.create(dataDir), true);
  }

  /** A fresh PGlite database (slow to start: share one and use schemas where you can). */
  static create(dataDir?: string): Promise<PGlite> {
    return PGlite.create(dataDir, {
      parsers: { 20: (v: string) => Number(v), 1700: (v: string) => Number(v) },
    });
  }

  /**
   * Uses a schema of an existing PGlite instance, which stays open on close(). Starting PGlite
   * takes seconds, so tests share one instance and isolate by schema.
   */
  static async attach(db: PGlite, schema: string): Promise<PgliteDriver> {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name "${schema}"`);
    await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}`);
    return new PgliteDriver(db, false);
  }

  private static executor(q: PGlite | Transaction): SqlExecutor {
    return {
      dialect: 'postgres',
      all: async (sql, params = []) => (await q.query<Row>(toPgPlaceholders(sql), params as unknown[])).rows,
      get: async (sql, params = []) =>
        (await q.query<Row>(toPgPlaceholders(sql), params as unknown[])).rows[0],
      run: async (sql, params = []) =>
        (await q.query(toPgPlaceholders(sql), params as unknown[])).affectedRows ?? 0,
    };
  }

  all(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    return this.mutex.run(() => PgliteDriver.executor(this.db).all(sql, params));
  }
  get(sql: string, params?: readonly unknown[]): Promise<Row | undefined> {
    return this.mutex.run(() => PgliteDriver.executor(this.db).get(sql, params));
  }
  run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.mutex.run(() => PgliteDriver.executor(this.db).run(sql, params));
  }
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.mutex.run(() => this.db.transaction((tx) => fn(PgliteDriver.executor(tx))));
  }
  exec(sql: string): Promise<void> {
    return this.mutex.run(async () => void (await this.db.exec(sql)));
  }
  close(): Promise<void> {
    return this.mutex.run(async () => {
      if (this.owned) await this.db.close();
    });
  }
}
