import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../../shared/contract';
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
const CORRUPT_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_VTAB']);

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
export const applyPragmas = (db: Db, busyTimeoutMs: number): void => {
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  if (!db.readonly) {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`could not switch the database to WAL (journal_mode=${String(mode)})`);
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
};

/**
 * Opens (creating if absent) one workspace database: checks it is an SQLite file of a schema
 * version this build understands *before* writing anything, then sets the pragmas and migrates.
 */
export const openDatabase = (file: string, options: OpenDatabaseOptions = {}): Db => {
  checkHeader(file);
  if (!options.readonly) fs.mkdirSync(path.dirname(file), { recursive: true });
  const ctorOptions: Database.Options = { readonly: options.readonly ?? false };
  if (options.nativeBinding) ctorOptions.nativeBinding = options.nativeBinding;
  let db: Db;
  try {
    db = new Database(file, ctorOptions);
  } catch (e) {
    if (isSqliteError(e) && CORRUPT_CODES.has(e.code)) throw corrupt(file, e.message);
    throw e;
  }
  try {
    // Read-only probes first: a damaged schema or a newer version must stop us before any write.
    let version: number;
    try {
      db.prepare('SELECT count(*) FROM sqlite_schema').get();
      version = db.pragma('user_version', { simple: true }) as number;
    } catch (e) {
      if (isSqliteError(e) && CORRUPT_CODES.has(e.code)) throw corrupt(file, e.message);
      throw e;
    }
    if (version > LATEST_SCHEMA_VERSION) {
      throw new DatabaseOpenError(
        'newer-version',
        file,
        `The workspace database ${file} has schema version ${version}, newer than this Outrigger ` +
          `understands (up to ${LATEST_SCHEMA_VERSION}). It was left untouched: update Outrigger to open it.`,
      );
    }
    applyPragmas(db, options.busyTimeoutMs ?? 5000);
    if (!options.readonly) {
      try {
        migrate(db, options.migrateTo);
      } catch (e) {
        if (isSqliteError(e) && CORRUPT_CODES.has(e.code)) throw corrupt(file, e.message);
        throw e;
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
