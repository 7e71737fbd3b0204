import fs from 'node:fs';
import Database from 'better-sqlite3';
import { AppError } from '../../../shared/contract';
import { privateSqliteFile } from '../private-files';
import { LATEST_SCHEMA_VERSION, migrate } from './migrations';

export type Db = Database.Database;

export type OpenDatabaseOptions = {
  /** Path to a better_sqlite3.node built for the host's ABI (Electron passes its own build). */
  nativeBinding?: string;
  /** How long a write waits for a lock held by another connection, ms. */
  busyTimeoutMs?: number;
  /** Highest schema version to migrate to (tests step through migrations one by one). */
  migrateTo?: number;
  readonly?: boolean;
  /** Run `PRAGMA quick_check` on an existing file before opening it for writing (default true). */
  quickCheck?: boolean;
};

/** The workspace file could not be opened safely; it was left untouched. */
export class DatabaseOpenError extends AppError {
  constructor(
    readonly reason: 'corrupt' | 'newer-version',
    readonly file: string,
    message: string,
  ) {
    super(reason === 'newer-version' ? 'VERSION_MISMATCH' : 'INTERNAL', message);
    this.name = 'DatabaseOpenError';
  }
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const CORRUPT_CODES = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT_INDEX',
  'SQLITE_CORRUPT_VTAB',
]);

const corrupt = (file: string, detail: string): DatabaseOpenError =>
  new DatabaseOpenError(
    'corrupt',
    file,
    `The workspace database ${file} is damaged (${detail}). It was left untouched: ` +
      'move it aside (or restore a backup) and start again.',
  );

/** Reads the first 16 bytes: an existing non-empty file must carry SQLite's magic header. */
const checkHeader = (file: string): void => {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return;
    const head = Buffer.alloc(16);
    fs.readSync(fd, head, 0, 16, 0);
    if (size < 100 || !head.equals(SQLITE_MAGIC)) throw corrupt(file, 'not an SQLite file');
  } finally {
    fs.closeSync(fd);
  }
};

const isSqliteError = (e: unknown): e is Error & { code: string } =>
  e instanceof Error && typeof (e as { code?: unknown }).code === 'string';

/**
 * Sets the connection pragmas. `synchronous=FULL` must be set on every open: this build of
 * SQLite reopens WAL files with NORMAL, which may roll back the last commits on power loss.
 */
const applyPragmas = (db: Db, busyTimeoutMs: number): void => {
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  if (!db.readonly) {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal')
      throw new Error(`could not switch the database to WAL (journal_mode=${String(mode)})`);
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Deleted rows are zeroed, not left in free pages and the WAL: a task removed at lease end
  // (its text, its annotations) must not linger on disk. Per connection, so set on every open.
  db.pragma('secure_delete = ON');
};

const rethrowCorrupt = (file: string, e: unknown): never => {
  if (isSqliteError(e) && CORRUPT_CODES.has(e.code)) throw corrupt(file, e.message);
  throw e;
};

const newer = (file: string, version: number): DatabaseOpenError =>
  new DatabaseOpenError(
    'newer-version',
    file,
    `The workspace database ${file} has schema version ${version}, newer than this Outrigger ` +
      `understands (up to ${LATEST_SCHEMA_VERSION}). It was left untouched: update Outrigger to open it.`,
  );

/**
 * Looks at an existing file through a read-only connection (which never writes, not even a
 * checkpoint on close): readable schema, known version, and, unless skipped, `quick_check`.
 */
const probe = (file: string, ctor: Database.Options, quickCheck: boolean): void => {
  let db: Db;
  try {
    db = new Database(file, { ...ctor, readonly: true, fileMustExist: true });
  } catch (e) {
    return rethrowCorrupt(file, e);
  }
  try {
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > LATEST_SCHEMA_VERSION) throw newer(file, version);
    if (quickCheck) {
      const result = db.pragma('quick_check(1)', { simple: true });
      if (result !== 'ok') throw corrupt(file, `quick_check: ${String(result)}`);
    }
  } catch (e) {
    rethrowCorrupt(file, e);
  } finally {
    db.close();
  }
};

/**
 * Opens (creating if absent) one workspace database: checks it is an undamaged SQLite file of a
 * schema version this build understands *before* writing anything, then sets the pragmas and
 * migrates.
 */
export const openDatabase = (file: string, options: OpenDatabaseOptions = {}): Db => {
  checkHeader(file);
  const ctorOptions: Database.Options = {};
  if (options.nativeBinding) ctorOptions.nativeBinding = options.nativeBinding;
  const exists = fs.existsSync(file) && fs.statSync(file).size > 0;
  if (exists) probe(file, ctorOptions, options.quickCheck ?? true);
  // Owner-only (0700 folder, 0600 file; SQLite gives its -wal and -shm the file's mode).
  if (!options.readonly) privateSqliteFile(file);
  let db: Db;
  try {
    db = new Database(file, { ...ctorOptions, readonly: options.readonly ?? false });
  } catch (e) {
    return rethrowCorrupt(file, e);
  }
  try {
    // Checked again on the connection we keep: another process may have written in between.
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > LATEST_SCHEMA_VERSION) throw newer(file, version);
    applyPragmas(db, options.busyTimeoutMs ?? 5000);
    if (!options.readonly) {
      try {
        migrate(db, options.migrateTo);
      } catch (e) {
        rethrowCorrupt(file, e);
      }
    }
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
};

/** Folds the WAL back into the main file so it cannot grow without bound. */
export const checkpoint = (db: Db): { busy: number; log: number; checkpointed: number } => {
  const rows = db.pragma('wal_checkpoint(RESTART)') as { busy: number; log: number; checkpointed: number }[];
  return rows[0] ?? { busy: 0, log: 0, checkpointed: 0 };
};

/** Runs `checkpoint` every `everyMs`; returns a stop function. The timer never keeps Node alive. */
export const startCheckpointTimer = (db: Db, everyMs = 60_000): (() => void) => {
  const timer = setInterval(() => {
    try {
      if (db.open) checkpoint(db);
    } catch {
      // A busy or failed checkpoint is retried on the next tick; the WAL stays valid meanwhile.
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
};
