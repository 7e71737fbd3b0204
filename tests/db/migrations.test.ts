import { genesisHead, verifyChain } from '../../src/shared/metrics';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LATEST_SCHEMA_VERSION,
  migrate,
  migrations,
  openDatabase,
  type Migration,
} from '../../src/main/core/db';
import { tempDir } from './helpers';

const tables = (db: Database.Database): string[] =>
  (
    db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);
const columns = (db: Database.Database, table: string): string[] =>
  (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((r) => r.name);

describe('migrations', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('are numbered 1..N without gaps', () => {
    const expected = Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1);
    expect(migrations.map((m) => m.version)).toEqual(expected);
    expect(LATEST_SCHEMA_VERSION).toBe(migrations[migrations.length - 1]!.version);
  });

  it('1 creates the core tables with the columns sync needs', () => {
    const db = openDatabase(path.join(dir, 'w.db'), { migrateTo: 1 });
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        'projects',
        'tasks',
        'drafts',
        'submissions',
        'activity_events',
        'outbox',
        'outbox_clients',
        'assets',
      ]),
    );
    expect(columns(db, 'tasks')).toEqual(
      expect.arrayContaining([
        'id',
        'project_id',
        'status',
        'lease_expires_at',
        'hub_task_id',
        'hub_lease_epoch',
        'finished_at',
      ]),
    );
    expect(columns(db, 'outbox')).toEqual(
      expect.arrayContaining([
        'id',
        'mutation_id',
        'client_id',
        'seq',
        'kind',
        'task_id',
        'payload',
        'created_at',
      ]),
    );
    expect(columns(db, 'assets')).toEqual(expect.arrayContaining(['sha256', 'path', 'bytes', 'mime']));
    // The status and outbox kind are closed sets.
    db.prepare("INSERT INTO projects VALUES ('p', 'P', 'text', '{}', 72, 1, NULL, 0)").run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO tasks (id, project_id, kind, title, status, data, created_at, updated_at) VALUES ('t', 'p', 'text', 't', 'done', '{}', 0, 0)",
        )
        .run(),
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

    const db = openDatabase(file, { migrateTo: 2 });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    const counts = () =>
      Object.fromEntries(
        (db.prepare('SELECT status, n FROM task_counts').all() as { status: string; n: number }[]).map(
          (r) => [r.status, r.n],
        ),
      );
    expect(counts()).toEqual({ queued: 2, in_progress: 0, submitted: 1, skipped: 0 });
    db.prepare("UPDATE tasks SET status = 'in_progress' WHERE id = 'a'").run();
    db.prepare("DELETE FROM tasks WHERE id = 'c'").run();
    db.prepare(
      "INSERT INTO tasks (id, project_id, kind, title, status, data, created_at, updated_at) VALUES ('d', 'p', 'text', 't', 'queued', '{}', 0, 0)",
    ).run();
    expect(counts()).toEqual({ queued: 2, in_progress: 1, submitted: 0, skipped: 0 });
    db.close();
  });

  it('3 keys submissions by seq and the outbox by (client, seq), keeping every row', async () => {
    const file = path.join(dir, 'w.db');
    const v2 = openDatabase(file, { migrateTo: 2 });
    v2.prepare("INSERT INTO projects VALUES ('p', 'P', 'text', '{}', 72, 1, NULL, 0)").run();
    v2.prepare(
      "INSERT INTO tasks (id, project_id, kind, title, status, data, created_at, updated_at, finished_at) VALUES ('a', 'p', 'text', 't', 'submitted', '{\"kind\":\"text\",\"text\":\"x\"}', 0, 0, 5)",
    ).run();
    const ann = { results: [{ type: 'doc-class', id: 'r1', group: 'g', labels: ['PER'] }], activeMs: 7 };
    const insertSub = v2.prepare(
      'INSERT INTO submissions (id, task_id, annotation, submitted_at) VALUES (?, ?, ?, ?)',
    );
    insertSub.run('s-old', 'a', JSON.stringify(ann), 5);
    insertSub.run('s-new', 'a', JSON.stringify({ ...ann, activeMs: 8 }), 5);
    v2.prepare("INSERT INTO outbox_clients (client_id, last_seq) VALUES ('c1', 2)").run();
    const payload = JSON.stringify({
      submissionId: 's-new',
      annotation: { ...ann, activeMs: 8 },
      submittedAt: 5,
    });
    v2.prepare(
      "INSERT INTO outbox (mutation_id, client_id, seq, kind, task_id, payload, created_at) VALUES ('11111111-1111-4111-8111-111111111111', 'c1', 2, 'submit', 'a', ?, 5)",
    ).run(payload);
    v2.close();

    let db = openDatabase(file, { migrateTo: 3 });
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.prepare('SELECT seq, id FROM submissions ORDER BY seq').all()).toEqual([
      { seq: 1, id: 's-old' },
      { seq: 2, id: 's-new' },
    ]);
    // The UUID is no longer a b-tree of its own; the task index serves "last submission".
    const indexes = (t: string) =>
      (db.prepare('SELECT name FROM pragma_index_list(?) ORDER BY name').all(t) as { name: string }[]).map(
        (r) => r.name,
      );
    expect(indexes('submissions')).toEqual(['submissions_task']);
    expect(indexes('outbox')).toEqual(['sqlite_autoindex_outbox_1', 'sqlite_autoindex_outbox_2']);
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'outbox'").get()).toMatchObject({
      sql: expect.stringContaining('WITHOUT ROWID'),
    });
    // The rest runs on the current schema (the Outbox class follows the latest migration).
    db.close();
    db = openDatabase(file);
    // A row written before v3 keeps its whole payload and is read back unchanged.
    const { Outbox, annotationDigest } = await import('../../src/main/core/db');
    const ob = new Outbox(db);
    expect(ob.clientId()).toBe('c1');
    expect(ob.peek()).toMatchObject([{ seq: 2, kind: 'submit', taskId: 'a', payload: JSON.parse(payload) }]);
    // New rows continue the sequence and name their submission.
    db.transaction(() =>
      ob.append('submit', 'a', { submissionId: 's-old', annotation: ann, submittedAt: 5 }, 6, {
        seq: 1,
        annotationJson: JSON.stringify(ann),
      }),
    )();
    expect(ob.peek().map((e) => [e.seq, e.payload])).toEqual([
      [2, JSON.parse(payload)],
      [3, { submissionId: 's-old', annotation: ann, submittedAt: 5 }],
    ]);
    expect(db.prepare('SELECT payload, submission_seq FROM outbox WHERE seq = 3').get()).toEqual({
      payload: JSON.stringify({
        submissionId: 's-old',
        submittedAt: 5,
        annotationSha256: annotationDigest(JSON.stringify(ann)),
      }),
      submission_seq: 1,
    });
    expect(ob.ack(['11111111-1111-4111-8111-111111111111'])).toBe(1);
    expect(ob.peek().map((e) => e.seq)).toEqual([3]);
    db.close();
  });

  it('3 keys activity events by time, narrows the project index to open tasks, and keeps the counters', () => {
    const file = path.join(dir, 'w.db');
    const v2 = openDatabase(file, { migrateTo: 2 });
    v2.prepare("INSERT INTO projects VALUES ('p', 'P', 'text', '{}', 72, 1, NULL, 0)").run();
    const insertTask = v2.prepare(
      "INSERT INTO tasks (id, project_id, kind, title, status, data, created_at, updated_at, finished_at) VALUES (?, 'p', 'text', 't', ?, '{}', 0, 0, ?)",
    );
    insertTask.run('a', 'queued', null);
    insertTask.run('b', 'submitted', 5);
    const insertEvent = v2.prepare(
      'INSERT INTO activity_events (kind, task_id, at, active_ms) VALUES (?, ?, ?, ?)',
    );
    insertEvent.run('task.claimed', 'a', 10, 0);
    insertEvent.run('task.draftSaved', 'a', 10, 300);
    insertEvent.run('task.submitted', 'b', 7, 50);
    v2.close();

    const db = openDatabase(file, { migrateTo: 8 });
    // Every event kept, numbered within its millisecond in the order they were written.
    expect(db.prepare('SELECT at, n, kind, active_ms FROM activity_events ORDER BY at, n').all()).toEqual([
      { at: 7, n: 1, kind: 'task.submitted', active_ms: 50 },
      { at: 10, n: 1, kind: 'task.claimed', active_ms: 0 },
      { at: 10, n: 2, kind: 'task.draftSaved', active_ms: 300 },
    ]);
    const indexes = (
      db.prepare("SELECT name FROM pragma_index_list('activity_events')").all() as { name: string }[]
    ).map((r) => r.name);
    expect(indexes).toEqual(['sqlite_autoindex_activity_events_1']);
    expect(
      db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'tasks_project_open_seq'").get(),
    ).toMatchObject({
      sql: expect.stringContaining('WHERE finished_at IS NULL'),
    });
    expect(
      db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'tasks_project_status_seq'").get(),
    ).toEqual({ n: 0 });
    // The rewritten counter trigger moves exactly one count per status change.
    const counts = () =>
      Object.fromEntries(
        (db.prepare('SELECT status, n FROM task_counts').all() as { status: string; n: number }[]).map(
          (r) => [r.status, r.n],
        ),
      );
    expect(counts()).toEqual({ queued: 1, in_progress: 0, submitted: 1, skipped: 0 });
    db.prepare("UPDATE tasks SET status = 'in_progress' WHERE id = 'a'").run();
    db.prepare("UPDATE tasks SET status = 'in_progress', updated_at = 1 WHERE id = 'a'").run();
    expect(counts()).toEqual({ queued: 0, in_progress: 1, submitted: 1, skipped: 0 });
    db.prepare("UPDATE tasks SET status = 'skipped', finished_at = 9 WHERE id = 'a'").run();
    expect(counts()).toEqual({ queued: 0, in_progress: 0, submitted: 1, skipped: 1 });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('9 turns the activity events into a verified hash chain and their active time into stretches', () => {
    const file = path.join(dir, 'w.db');
    const v8 = openDatabase(file, { migrateTo: 8 });
    v8.prepare("INSERT INTO projects VALUES ('p', 'P', 'text', '{}', 72, 1, NULL, 0)").run();
    v8.prepare(
      "INSERT INTO tasks (id, project_id, kind, title, status, data, created_at, updated_at, finished_at) VALUES ('a', 'p', 'text', 't', 'submitted', '{}', 0, 0, 9)",
    ).run();
    const ins = v8.prepare(
      'INSERT INTO activity_events (at, n, kind, task_id, active_ms, data) VALUES (?, 1, ?, ?, ?, ?)',
    );
    ins.run(1_000, 'task.claimed', 'a', 0, '{}');
    ins.run(5_000, 'task.draftSaved', 'a', 3_000, '{"results":1}');
    ins.run(9_000, 'task.submitted', 'a', 1_000, '{"submissionId":"s"}');
    v8.close();

    const db = openDatabase(file);
    expect(tables(db)).not.toContain('activity_events');
    const chainId = (
      db.prepare("SELECT value FROM activity_meta WHERE key = 'chain_id'").get() as { value: string }
    ).value;
    const links = (
      db.prepare('SELECT seq, prev_hash, hash, event FROM activity_chain ORDER BY seq').all() as {
        seq: number;
        prev_hash: string;
        hash: string;
        event: string;
      }[]
    ).map((r) => ({
      seq: r.seq,
      prevHash: r.prev_hash,
      hash: r.hash,
      event: JSON.parse(r.event) as unknown,
    }));
    expect(verifyChain(links, genesisHead(chainId)).ok).toBe(true);
    expect(links.map((l) => l.event)).toMatchObject([
      { kind: 'task.claimed', activeMs: 0, wallMs: 0 },
      { kind: 'task.draftSaved', activeMs: 3_000, data: { results: 1, legacy: true } },
      { kind: 'task.submitted', activeMs: 4_000, wallMs: 8_000 },
    ]);
    expect(db.prepare('SELECT from_at, ms, task_id FROM active_time ORDER BY from_at').all()).toEqual([
      { from_at: 2_000, ms: 3_000, task_id: 'a' },
      { from_at: 8_000, ms: 1_000, task_id: 'a' },
    ]);
    db.close();
  });

  it('4 moves status counts and the outbox seq into one counters table and gives drafts their active time', async () => {
    const file = path.join(dir, 'w.db');
    const v3 = openDatabase(file, { migrateTo: 3 });
    v3.prepare("INSERT INTO projects VALUES ('p', 'P', 'text', '{}', 72, 1, NULL, 0)").run();
    const insertTask = v3.prepare(
      "INSERT INTO tasks (id, project_id, kind, title, status, data, created_at, updated_at, finished_at) VALUES (?, 'p', 'text', 't', ?, '{}', 0, 0, ?)",
    );
    insertTask.run('a', 'queued', null);
    insertTask.run('b', 'in_progress', null);
    insertTask.run('c', 'submitted', 5);
    v3.prepare("INSERT INTO outbox_clients (client_id, last_seq) VALUES ('c1', 41)").run();
    v3.prepare(
      'INSERT INTO drafts (task_id, annotation, saved_at) VALUES (\'b\', \'{"results":[],"activeMs":250}\', 3)',
    ).run();
    v3.close();

    const db = openDatabase(file, { migrateTo: 4 });
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    expect(db.prepare('SELECT key, n FROM counters ORDER BY key').all()).toEqual([
      { key: 'outbox.c1', n: 41 },
      { key: 'tasks.in_progress', n: 1 },
      { key: 'tasks.queued', n: 1 },
      { key: 'tasks.skipped', n: 0 },
      { key: 'tasks.submitted', n: 1 },
    ]);
    expect(columns(db, 'outbox_clients')).toEqual(['client_id']);
    // The seq continues from the old counter: never reused.
    const { Outbox } = await import('../../src/main/core/db');
    const ob = new Outbox(db);
    expect(db.transaction(() => ob.append('skip', 'a', {}, 9))().seq).toBe(42);
    // Counts follow every status change through the new triggers; task_counts still reads them.
    db.prepare("UPDATE tasks SET status = 'skipped', finished_at = 9 WHERE id = 'a'").run();
    db.prepare("DELETE FROM tasks WHERE id = 'c'").run();
    db.prepare(
      "INSERT INTO tasks (id, project_id, kind, title, status, data, created_at, updated_at) VALUES ('d', 'p', 'text', 't', 'queued', '{}', 0, 0)",
    ).run();
    expect(db.prepare('SELECT status, n FROM task_counts ORDER BY status').all()).toEqual([
      { status: 'in_progress', n: 1 },
      { status: 'queued', n: 1 },
      { status: 'skipped', n: 1 },
      { status: 'submitted', n: 0 },
    ]);
    // A draft saved before v4 has no active_ms column value; readers fall back to its JSON.
    expect(db.prepare('SELECT active_ms FROM drafts').get()).toEqual({ active_ms: null });
    const { QueueRepo } = await import('../../src/main/core/queue/repo');
    const repo = new QueueRepo(db);
    expect(repo.draftActiveMs('b')).toBe(250);
    repo.saveDraft('b', { results: [], activeMs: 300 }, 10);
    expect(db.prepare('SELECT active_ms FROM drafts').get()).toEqual({ active_ms: 300 });
    expect(db.transaction(() => repo.takeDraftActiveMs('b'))()).toBe(300);
    expect(db.prepare('SELECT count(*) AS n FROM drafts').get()).toEqual({ n: 0 });
    db.close();
  });

  it('5 drops the outbox mutation index and makes drafts a rowid table, keeping every row', async () => {
    const file = path.join(dir, 'w.db');
    const v4 = openDatabase(file, { migrateTo: 4 });
    v4.prepare("INSERT INTO projects VALUES ('p', 'P', 'text', '{}', 72, 1, NULL, 0)").run();
    const insertTask = v4.prepare(
      "INSERT INTO tasks (id, project_id, kind, title, status, data, created_at, updated_at, finished_at) VALUES (?, 'p', 'text', 't', ?, '{}', 0, 0, ?)",
    );
    insertTask.run('a', 'submitted', 5);
    insertTask.run('b', 'in_progress', null);
    const ann = { results: [{ type: 'doc-class', id: 'r1', group: 'g', labels: ['PER'] }], activeMs: 7 };
    v4.prepare(
      "INSERT INTO submissions (id, task_id, annotation, submitted_at) VALUES ('s1', 'a', ?, 5)",
    ).run(JSON.stringify(ann));
    v4.prepare("INSERT INTO outbox_clients (client_id) VALUES ('c1')").run();
    v4.prepare("INSERT INTO counters (key, n) VALUES ('outbox.c1', 2)").run();
    const insertOutbox = v4.prepare(
      "INSERT INTO outbox (mutation_id, client_id, seq, kind, task_id, submission_seq, payload, created_at) VALUES (?, 'c1', ?, ?, 'a', ?, ?, 5)",
    );
    insertOutbox.run(
      '11111111-1111-4111-8111-111111111111',
      1,
      'submit',
      1,
      JSON.stringify({ submissionId: 's1', submittedAt: 5 }),
    );
    insertOutbox.run(
      '22222222-2222-4222-8222-222222222222',
      2,
      'skip',
      null,
      JSON.stringify({ skippedAt: 5 }),
    );
    // A draft too big for a WITHOUT ROWID leaf (it spilled into an overflow page before v5).
    const big = {
      results: Array.from({ length: 20 }, (_, i) => ({
        type: 'doc-class',
        id: `r${i}`,
        group: 'g',
        labels: ['PER'],
      })),
      activeMs: 9,
    };
    v4.prepare("INSERT INTO drafts (task_id, annotation, saved_at, active_ms) VALUES ('b', ?, 3, 9)").run(
      JSON.stringify(big),
    );
    v4.close();

    const db = openDatabase(file, { migrateTo: 5 });
    expect(db.pragma('user_version', { simple: true })).toBe(5);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const indexes = (t: string) =>
      (db.prepare('SELECT name FROM pragma_index_list(?) ORDER BY name').all(t) as { name: string }[]).map(
        (r) => r.name,
      );
    // The outbox is one b-tree: its (client_id, seq) key, no index on mutation_id.
    expect(indexes('outbox')).toEqual(['sqlite_autoindex_outbox_1']);
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'outbox'").get()).toMatchObject({
      sql: expect.stringContaining('WITHOUT ROWID'),
    });
    // Drafts: a rowid table whose declared key is still task_id (a unique index).
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'drafts'").get()).toMatchObject({
      sql: expect.not.stringContaining('WITHOUT ROWID'),
    });
    expect(indexes('drafts')).toEqual(['sqlite_autoindex_drafts_1']);
    expect(db.prepare("SELECT name FROM pragma_table_info('drafts') WHERE pk > 0").all()).toEqual([
      { name: 'task_id' },
    ]);
    expect(() =>
      db.prepare("INSERT INTO drafts (task_id, annotation, saved_at) VALUES ('b', '{}', 4)").run(),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db.prepare("INSERT INTO drafts (task_id, annotation, saved_at) VALUES ('nope', '{}', 4)").run(),
    ).toThrow(/FOREIGN KEY/);

    // Every row came across and reads back as before.
    const { Outbox } = await import('../../src/main/core/db');
    const { QueueRepo } = await import('../../src/main/core/queue/repo');
    const repo = new QueueRepo(db);
    expect(repo.draft('b')).toEqual({ taskId: 'b', annotation: big, savedAt: 3 });
    expect(repo.draftActiveMs('b')).toBe(9);
    const ob = new Outbox(db);
    expect(ob.peek().map((e) => [e.seq, e.mutationId, e.kind])).toEqual([
      [1, '11111111-1111-4111-8111-111111111111', 'submit'],
      [2, '22222222-2222-4222-8222-222222222222', 'skip'],
    ]);
    expect(ob.peek()[0]!.payload).toEqual({ submissionId: 's1', submittedAt: 5, annotation: ann });
    // The seq continues; ack still deletes exactly the rows named (an unknown id deletes nothing).
    expect(db.transaction(() => ob.append('release', 'a', {}, 9))().seq).toBe(3);
    expect(ob.ack(['22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'])).toBe(1);
    expect(ob.peek().map((e) => e.seq)).toEqual([1, 3]);
    // Deleting a task still removes its draft (the foreign key's cascade came across).
    db.prepare("DELETE FROM tasks WHERE id = 'b'").run();
    expect(db.prepare('SELECT count(*) AS n FROM drafts').get()).toEqual({ n: 0 });
    db.close();
  });

  it('6 makes the sync tables numbered schema, keeping the rows a signed-in v5 file holds', async () => {
    const file = path.join(dir, 'w.db');
    const v5 = openDatabase(file, { migrateTo: 5 });
    expect(tables(v5)).not.toContain('sync_meta');
    // What the sync engine created by itself before v6 (IF NOT EXISTS, outside the migrations).
    v5.exec(`
      CREATE TABLE IF NOT EXISTS sync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT, WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS sync_conflicts (
        mutation_id TEXT PRIMARY KEY, task_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('conflict', 'rejected')), reason TEXT, at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS sync_released (mutation_id TEXT PRIMARY KEY, task_id TEXT NOT NULL) STRICT, WITHOUT ROWID;
    `);
    v5.prepare("INSERT INTO projects VALUES ('p', 'P', 'text', '{}', 72, 1, 'p', 0)").run();
    const insertTask = v5.prepare(
      "INSERT INTO tasks (id, project_id, kind, title, status, data, created_at, updated_at, finished_at, hub_lease_epoch, lease_expires_at) VALUES (?, 'p', 'text', ?, ?, '{}', 0, 0, ?, 1, 99)",
    );
    insertTask.run('a', 'a', 'submitted', 5);
    insertTask.run('r', 'r', 'skipped', 6);
    v5.prepare("INSERT INTO drafts (task_id, annotation, saved_at, active_ms) VALUES ('r', ?, 3, 4)").run(
      JSON.stringify({ results: [], activeMs: 4 }),
    );
    v5.prepare(
      "INSERT INTO sync_meta VALUES ('hubUrl', 'http://hub'), ('cursor', '42'), ('deviceId', 'd1')",
    ).run();
    v5.prepare("INSERT INTO sync_conflicts VALUES ('m1', 'a', 'conflict', NULL, 7)").run();
    v5.prepare("INSERT INTO outbox_clients (client_id) VALUES ('c1')").run();
    v5.prepare("INSERT INTO counters (key, n) VALUES ('outbox.c1', 1)").run();
    v5.prepare(
      "INSERT INTO outbox (mutation_id, client_id, seq, kind, task_id, payload, created_at) VALUES ('m2', 'c1', 1, 'release', 'r', '{}', 6)",
    ).run();
    v5.prepare("INSERT INTO sync_released VALUES ('m2', 'r')").run();
    const before = (db: Database.Database) => ({
      tasks: db.prepare('SELECT id, status, hub_lease_epoch, lease_expires_at FROM tasks ORDER BY id').all(),
      drafts: db.prepare('SELECT task_id, annotation FROM drafts').all(),
      outbox: db.prepare('SELECT mutation_id, kind, task_id FROM outbox').all(),
      meta: db.prepare('SELECT * FROM sync_meta ORDER BY key').all(),
      conflicts: db.prepare('SELECT * FROM sync_conflicts').all(),
    });
    const rows = before(v5);
    v5.close();

    const db = openDatabase(file, { migrateTo: 6 });
    expect(db.pragma('user_version', { simple: true })).toBe(6);
    expect(before(db)).toEqual(rows);
    // The release row names its task, as sync_released did; the table is gone.
    expect(tables(db)).not.toContain('sync_released');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');

    // 8 (delivery states): the answers stay, as open answers to a submission.
    migrate(db);
    expect(
      db.prepare('SELECT mutation_id, mutation_kind, resolved_at, resolution FROM sync_conflicts').all(),
    ).toEqual([{ mutation_id: 'm1', mutation_kind: 'submit', resolved_at: null, resolution: null }]);

    // Acknowledging that release (through the queue, as push does) gives the task back.
    const { QueueService } = await import('../../src/main/core/queue');
    const queue = new QueueService(db, { clock: () => 10 });
    queue.transaction(() => {
      expect(queue.hub.acknowledge(['m2'])).toBe(1);
      expect(queue.hub.dropLease('r')).toBe('deleted');
    });
    expect(db.prepare("SELECT count(*) AS n FROM tasks WHERE id = 'r'").get()).toEqual({ n: 0 });
    // The flagged conflict from before v7 is what task a shows.
    expect(queue.deliveries.record('a')).toMatchObject({
      fromHub: true,
      waiting: null,
      answer: { kind: 'conflict' },
    });
    db.close();

    // A file never signed in gets the tables too.
    const fresh = openDatabase(path.join(dir, 'fresh.db'));
    expect(tables(fresh)).toEqual(expect.arrayContaining(['sync_meta', 'sync_conflicts']));
    fresh.close();
  });

  it('8 lets the outbox carry verdicts, keeps every row, and still guards the annotator’s tasks', () => {
    const file = path.join(dir, 'w.db');
    const v7 = openDatabase(file, { migrateTo: 7 });
    v7.prepare("INSERT INTO projects VALUES ('p', 'P', 'text', '{}', 72, 1, 'p', 0)").run();
    v7.prepare(
      "INSERT INTO tasks (id, project_id, kind, title, status, data, created_at, updated_at, finished_at) VALUES ('a', 'p', 'text', 'a', 'skipped', '{}', 0, 0, 5), ('b', 'p', 'text', 'b', 'queued', '{}', 0, 0, NULL)",
    ).run();
    v7.prepare("INSERT INTO outbox_clients (client_id) VALUES ('c1')").run();
    v7.prepare("INSERT INTO counters (key, n) VALUES ('outbox.c1', 1)").run();
    v7.prepare(
      "INSERT INTO outbox (mutation_id, client_id, seq, kind, task_id, payload, created_at) VALUES ('11111111-1111-4111-8111-111111111111', 'c1', 1, 'skip', 'a', '{}', 6)",
    ).run();
    // Before 8 a verdict (on a hub task that is no local task) cannot be stored.
    const verdict =
      "INSERT INTO outbox (mutation_id, client_id, seq, kind, task_id, payload, created_at) VALUES ('22222222-2222-4222-8222-222222222222', 'c1', 2, 'review.accept', 'hub-task', '{}', 7)";
    expect(() => v7.prepare(verdict).run()).toThrow();
    const rows = v7.prepare('SELECT * FROM outbox').all();
    v7.close();

    const db = openDatabase(file, { migrateTo: 8 });
    expect(db.prepare('SELECT * FROM outbox').all()).toEqual(rows);
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        'review_projects',
        'review_items',
        'review_versions',
        'review_verdicts',
        'review_feedback',
      ]),
    );
    db.prepare(verdict).run();
    // A submit, skip or release still needs its local task, which stays while one waits.
    expect(() =>
      db
        .prepare(
          "INSERT INTO outbox (mutation_id, client_id, seq, kind, task_id, payload, created_at) VALUES ('33333333-3333-4333-8333-333333333333', 'c1', 3, 'skip', 'gone', '{}', 8)",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("DELETE FROM tasks WHERE id = 'a'").run()).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM tasks WHERE id = 'b'").run();
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
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
    expect(tables(db)).toContain('counters');
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
