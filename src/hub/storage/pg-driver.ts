import pg from 'pg';
import { type Row, type SqlDriver, type SqlExecutor, toPgPlaceholders } from './driver';

const INT8_OID = 20;
const NUMERIC_OID = 1700;
// Times and sequences are BIGINT; all stay below 2^53, so numbers are safe and simpler.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID || oid === NUMERIC_OID
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

const RETRYABLE = new Set(['40001', '40P01']);

const executor = (c: pg.PoolClient | pg.Pool): SqlExecutor => ({
  dialect: 'postgres',
  all: async (sql, params = []) => (await c.query<Row>(toPgPlaceholders(sql), params as unknown[])).rows,
  get: async (sql, params = []) => (await c.query<Row>(toPgPlaceholders(sql), params as unknown[])).rows[0],
  run: async (sql, params = []) => (await c.query(toPgPlaceholders(sql), params as unknown[])).rowCount ?? 0,
});

/** PostgreSQL over a `pg` pool; `schema` isolates a hub (and each test file) in its own schema. */
export class PgDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly exec_: SqlExecutor;

  constructor(
    url: string,
    readonly schema = 'public',
    poolSize = 10,
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name "${schema}"`);
    this.pool = new pg.Pool({
      connectionString: url,
      max: poolSize,
      types,
      // Durable before acknowledging: commits wait for the WAL flush.
      options: `-c synchronous_commit=on -c search_path=${schema}`,
    });
    // An idle client losing its server must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
    this.exec_ = executor(this.pool);
  }

  async ensureSchema(): Promise<void> {
    const c = await this.pool.connect();
    try {
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
    } finally {
      c.release();
    }
  }

  all(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    return this.exec_.all(sql, params);
  }
  get(sql: string, params?: readonly unknown[]): Promise<Row | undefined> {
    return this.exec_.get(sql, params);
  }
  run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.exec_.run(sql, params);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const c = await this.pool.connect();
      try {
        await c.query('BEGIN');
        const out = await fn(executor(c));
        await c.query('COMMIT');
        return out;
      } catch (e) {
        await c.query('ROLLBACK').catch(() => undefined);
        const code = (e as { code?: string }).code;
        if (code && RETRYABLE.has(code) && attempt < 5) continue;
        throw e;
      } finally {
        c.release();
      }
    }
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
