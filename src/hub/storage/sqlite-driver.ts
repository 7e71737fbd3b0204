import Database from 'better-sqlite3';
import { Mutex, type Row, type SqlDriver, type SqlExecutor } from './driver';

type Stmt = Database.Statement<unknown[], Row>;

/**
 * better-sqlite3 behind the async driver surface. One connection, one writer: every call and
 * transaction goes through a mutex, so awaits inside a transaction cannot let another request's
 * statements in.
 */
export class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly stmts = new Map<string, Stmt>();
  private readonly mutex = new Mutex();
  private writesSinceCheckpoint = 0;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // Set on every open: a reopened WAL database otherwise runs at NORMAL, which can lose
    // the last commits on power loss.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    // A 32 MiB page cache (default 2 MiB): a batch's random-key index inserts (uuids) and the
    // claim's lease lookups otherwise re-read pages from the OS on every statement.
    this.db.pragma('cache_size = -32768');
    this.db.pragma('temp_store = MEMORY');
  }

  pragma(name: string): unknown {
    return this.db.pragma(name, { simple: true });
  }

  private stmt(sql: string): Stmt {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare<unknown[], Row>(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  private readonly exec_: SqlExecutor = {
    dialect: 'sqlite',
    all: async (sql, params = []) => this.stmt(sql).all(...params),
    get: async (sql, params = []) => this.stmt(sql).get(...params),
    run: async (sql, params = []) => this.stmt(sql).run(...params).changes,
    runEach: async (sql, rows) => {
      const s = this.stmt(sql);
      let changes = 0;
      for (const r of rows) changes += s.run(...r).changes;
      return changes;
    },
  };

  all(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    return this.mutex.run(() => this.exec_.all(sql, params));
  }
  get(sql: string, params?: readonly unknown[]): Promise<Row | undefined> {
    return this.mutex.run(() => this.exec_.get(sql, params));
  }
  run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.mutex.run(() => this.exec_.run(sql, params));
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(this.exec_);
        this.db.exec('COMMIT');
        this.maybeCheckpoint();
        return out;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    });
  }

  /** Keeps the WAL bounded; RESTART waits for readers, which is fine with one connection. */
  private maybeCheckpoint(): void {
    if (++this.writesSinceCheckpoint >= 500) {
      this.writesSinceCheckpoint = 0;
      this.db.pragma('wal_checkpoint(RESTART)');
    }
  }

  exec(sql: string): Promise<void> {
    return this.mutex.run(async () => void this.db.exec(sql));
  }

  close(): Promise<void> {
    return this.mutex.run(async () => {
      if (this.db.open) this.db.close();
    });
  }
}
