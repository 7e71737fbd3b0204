import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The workbench's data (database, WAL, assets, asset cache) is for its user only: folders
 * 0700, files 0600, set explicitly so the process's umask does not decide. (The hub has its
 * own copy in src/hub/storage: it shares only src/shared with the workbench.)
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents up to an existing folder) owner-only. */
export const mkdirPrivate = (dir: string): void => {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  for (const d of missing) chmodSync(d, PRIVATE_DIR_MODE);
};

/**
 * Makes an SQLite database file owner-only before SQLite opens it: SQLite gives the -wal and
 * -shm files it creates the database file's mode. Existing files (journals included) are
 * narrowed too.
 */
export const privateSqliteFile = (file: string): void => {
  mkdirPrivate(dirname(file));
  if (!existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, PRIVATE_FILE_MODE);
};

/** Makes a rename durable: the directory entry is flushed too. */
export const syncDir = (dir: string): void => {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

/**
 * Replaces `file` with `text` atomically and durably (owner-only temp file, fsync, rename, folder
 * fsync): a crash leaves the old content or the new one, never a torn file.
 */
export const writeFilePrivateAtomic = (file: string, text: string): void => {
  mkdirPrivate(dirname(file));
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', PRIVATE_FILE_MODE);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  syncDir(dirname(file));
};
