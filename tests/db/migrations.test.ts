import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, migrate, migrations, openDatabase, type Migration } from '../../src/main/core/db';
import { tempDir } from './helpers';

const tables = (db: Database.Database): string[] =>
  (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );
const columns = (db: Database.Database, table: string): string[] =>
  (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((r) => r.name);

describe('migrations', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('are numbered 1..N without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(migrations.length);
  });

  it('1 creates the core tables with the columns sync needs', () => {
    const db = openDatabase(path.join(dir, 'w.db'), { migrateTo: 1 });
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(tables(db)).toEqual(
      expect.arrayContaining(['projects', 'tasks', 'drafts', 'submissions', 'activity_events', 'outbox', 'outbox_clients', 'assets']),
    );
    expect(columns(db, 'tasks')).toEqual(
      expect.arrayContaining(['id', 'project_id', 'status', 'lease_expires_at', 'hub_task_id', 'hub_lease_epoch', 'finished_at']),
    );
    expect(columns(db, 'outbox')).toEqual(
      expect.arrayContaining(['id', 'mutation_id', 'client_id', 'seq', 'kind', 'task_id', 'payload', 'created_at']),
    );
    expect(columns(db, 'assets')).toEqual(expect.arrayContaining(['sha256', 'path', 'bytes', 'mime']));
    // The status and outbox kind are closed sets.
    db.prepare("INSERT INTO projects VALUES ('p', 'P', 'text', '{}', 72, 1, NULL, 0)").run();
    expect(() =>
      db.prepare("INSERT INTO tasks (id, project_id, kind, title, status, data, created_at, updated_at) VALUES ('t', 'p', 'text', 't', 'done', '{}', 0, 0)").run(),
    ).toThrow(/CHECK/);
    expect(tables(db)).not.toContain('task_counts');
    db.close();
  });

  it('2 adds status counters, back-filled from existing tasks and kept by triggers', () => {
    const file = path.join(dir, 'w.db');
    const v1 = openDatabase(file, { migrateTo: 1 });
    v1.prepare("INSERT INTO projects VALUES ('p', 'P', 'text', '{}', 72, 1, NULL, 0)").run();
    const insert = v1.prepare(
      "INSERT INTO tasks (id, project_id, kind, title, status, data, created_at, updated_at, finished_at) VALUES (?, 'p', 'text', 't', ?, '{}', 0, 0, ?)",
    );
    insert.run('a', 'queued', null);
    insert.run('b', 'queued', null);
    insert.run('c', 'submitted', 5);
    v1.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    const counts = () =>
      Object.fromEntries((db.prepare('SELECT status, n FROM task_counts').all() as { status: string; n: number }[]).map((r) => [r.status, r.n]));
    expect(counts()).toEqual({ queued: 2, in_progress: 0, submitted: 1, skipped: 0 });
    db.prepare("UPDATE tasks SET status = 'in_progress' WHERE id = 'a'").run();
    db.prepare("DELETE FROM tasks WHERE id = 'c'").run();
    db.prepare(
      "INSERT INTO tasks (id, project_id, kind, title, status, data, created_at, updated_at) VALUES ('d', 'p', 'text', 't', 'queued', '{}', 0, 0)",
    ).run();
    expect(counts()).toEqual({ queued: 2, in_progress: 1, submitted: 0, skipped: 0 });
    db.close();
  });

  it('a failing migration rolls back whole and leaves the version where it was', () => {
    const db = openDatabase(path.join(dir, 'w.db'), { migrateTo: 1 });
    const broken: Migration[] = [
      ...migrations,
      {
        version: LATEST_SCHEMA_VERSION + 1,
        name: 'broken',
        up: (d) => {
          d.exec('CREATE TABLE half_done (x INTEGER)');
          throw new Error('disk on fire');
        },
      },
    ];
    expect(() => migrate(db, LATEST_SCHEMA_VERSION + 1, broken)).toThrow('disk on fire');
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(tables(db)).not.toContain('half_done');
    expect(tables(db)).toContain('task_counts');
    db.close();
  });

  it('reopening an up-to-date file applies nothing', () => {
    const file = path.join(dir, 'w.db');
    openDatabase(file).close();
    const db = openDatabase(file);
    expect(migrate(db)).toEqual([]);
    db.close();
  });
});
