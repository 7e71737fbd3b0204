import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseOpenError, LATEST_SCHEMA_VERSION, openDatabase } from '../../src/main/core/db';
import { openQueue, tempDir } from './helpers';

const digest = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('opening the workspace database', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('sets WAL, synchronous=FULL, foreign keys and a busy timeout, also after reopening a WAL file', () => {
    const file = path.join(dir, 'w.db');
    const first = openDatabase(file);
    first.exec('CREATE TABLE IF NOT EXISTS scratch (x INTEGER)');
    first.close();
    // A plain better-sqlite3 connection shows what the build does by default on a WAL file.
    const plain = new Database(file);
    expect(plain.pragma('journal_mode', { simple: true })).toBe('wal');
    const plainSync = plain.pragma('synchronous', { simple: true });
    plain.close();

    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    db.close();
    // The trap this guards against: this build reopens a WAL file with NORMAL (1), not FULL (2).
    expect(plainSync).toBe(1);
  });

  it('enforces foreign keys', () => {
    const { db } = openQueue(path.join(dir, 'w.db'), 1);
    expect(() =>
      db.prepare("INSERT INTO drafts (task_id, annotation, saved_at) VALUES ('nope', '{}', 0)").run(),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('refuses a file that is not SQLite with a clear error and leaves it untouched', () => {
    const file = path.join(dir, 'w.db');
    fs.writeFileSync(file, Buffer.from('this is a spreadsheet, not a database'.repeat(200)));
    const before = digest(file);
    let error: unknown;
    try {
      openDatabase(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect((error as DatabaseOpenError).reason).toBe('corrupt');
    expect((error as Error).message).toMatch(/damaged.*left untouched/);
    expect(digest(file)).toBe(before);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a database whose schema page is damaged and leaves it untouched', () => {
    const file = path.join(dir, 'w.db');
    const db = openDatabase(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    // Keep the 100-byte header, scribble over the rest of page 1 (the schema table).
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    for (let i = 100; i < pageSize; i++) bytes[i] = 0xa5;
    fs.writeFileSync(file, bytes);
    const before = digest(file);
    expect(() => openDatabase(file)).toThrow(DatabaseOpenError);
    expect(() => openDatabase(file)).toThrow(/damaged/);
    expect(digest(file)).toBe(before);
  });

  it('refuses a database with a damaged page deep inside (quick_check) and leaves it untouched', () => {
    const file = path.join(dir, 'w.db');
    const { db } = openQueue(file, 3000);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    const pages = bytes.length / pageSize;
    expect(pages).toBeGreaterThan(20);
    const victim = Math.floor(pages / 2);
    bytes.fill(0xa5, victim * pageSize, (victim + 1) * pageSize);
    fs.writeFileSync(file, bytes);
    const before = digest(file);
    expect(() => openDatabase(file)).toThrow(/damaged/);
    expect(digest(file)).toBe(before);
  });

  it('reopens a file left with an unflushed WAL (after a crash) through the read-only probe', () => {
    const file = path.join(dir, 'w.db');
    const { db } = openQueue(file, 10);
    // Copy the main file and its WAL while the writer still holds them: a crash image.
    const crash = path.join(dir, 'crash.db');
    fs.copyFileSync(file, crash);
    fs.copyFileSync(`${file}-wal`, `${crash}-wal`);
    db.close();
    expect(fs.statSync(`${crash}-wal`).size).toBeGreaterThan(0);
    const reopened = openDatabase(crash);
    expect((reopened.prepare('SELECT count(*) AS n FROM tasks').get() as { n: number }).n).toBe(10);
    reopened.close();
  });

  it('refuses a database from a newer schema version and leaves it untouched', () => {
    const file = path.join(dir, 'w.db');
    const db = openDatabase(file);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 7}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const before = digest(file);
    let error: unknown;
    try {
      openDatabase(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect((error as DatabaseOpenError).code).toBe('VERSION_MISMATCH');
    expect((error as Error).message).toContain(`schema version ${LATEST_SCHEMA_VERSION + 7}`);
    expect((error as Error).message).toContain('update Outrigger');
    expect(digest(file)).toBe(before);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 7);
    check.close();
  });

  it('creates an empty file as a new database', () => {
    const file = path.join(dir, 'w.db');
    fs.writeFileSync(file, '');
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });
});
